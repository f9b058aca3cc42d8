package dev.patguard.bench;

import dev.patguard.PatGuard;
import dev.patguard.cache.CacheStats;
import dev.patguard.cache.TokenState;
import dev.patguard.decision.Grant;
import dev.patguard.decision.PermissionModel;
import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.token.PersonalAccessToken;
import dev.patguard.token.SecretDigest;
import dev.patguard.token.TokenJson;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jol.info.GraphLayout;
import org.openjdk.jol.util.Multiset;
import org.openjdk.jol.vm.VM;

/**
 * Issue #7 item 5: bytes retained per cached entry for a typical token (3 permissions, 2 projects),
 * measured with JOL {@link GraphLayout} (exact shallow sizes, shared objects counted once).
 *
 * <ol>
 *   <li><b>Entries as the cache holds them</b>: {@code entries} keys ({@link SecretDigest}) and
 *       values ({@code TokenState.Known} around a {@link Grant} compiled from JSON parsed by
 *       {@link TokenJson}, so every string is its own copy, as on the wire). The two root arrays
 *       are subtracted; the shared permission model is counted once. Not included: the cache's own
 *       node and table per entry, which part 2 adds.
 *   <li><b>Through a real PatGuard</b>: {@code realEntries} tokens minted in fake-brms, each looked
 *       up once by {@code PatGuard.decide}; the {@code TokenCache} object graph is measured before
 *       (empty, connection already open) and after, and the difference divided by the entries.
 *       It includes Caffeine's nodes, table and frequency sketch.
 * </ol>
 *
 * Run: {@code java -Xmx6g -Djdk.attach.allowAttachSelf=true -cp benchmarks/target/benchmarks.jar dev.patguard.bench.MemoryMain
 * [entries] [realEntries]} (defaults 100000 100000).
 */
public final class MemoryMain {
  /** The target from issue #7. */
  static final long TARGET_BYTES = 512;

  static {
    // JOL reads record fields' offsets its own way only when told (Unsafe refuses records).
    System.setProperty("jol.magicFieldOffset", "true");
  }

  private MemoryMain() {}

  /** What one run found. */
  record Result(int entries, double bytesPerEntry, int realEntries, double realBytesPerEntry,
      double heapBytesPerEntry) {}

  public static void main(String[] args) throws Exception {
    int entries = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int realEntries = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    run(entries, realEntries, System.out);
  }

  static Result run(int entries, int realEntries, PrintStream out) throws Exception {
    Locale.setDefault(Locale.ROOT);
    out.printf("## Retained bytes per cached entry (3 permissions, 2 projects)%n%n");
    double synthetic = entriesAsCached(entries, out);
    double[] real = throughPatGuard(realEntries, out);
    out.printf("%n| measurement | entries | bytes/entry | target | met |%n|---|---:|---:|---:|---|%n");
    out.printf("| key + value as the cache holds them (JOL) | %d | %.1f | %d | %s |%n",
        entries, synthetic, TARGET_BYTES, synthetic <= TARGET_BYTES ? "yes" : "no");
    out.printf("| real PatGuard: cache nodes + keys + values + sketch (JOL) | %d | %.1f | %d | %s |%n",
        realEntries, real[0], TARGET_BYTES, real[0] <= TARGET_BYTES ? "yes" : "no");
    out.printf("| real PatGuard: heap used after GC, delta (MemoryMXBean) | %d | %.1f | - | cross-check |%n",
        realEntries, real[1]);
    return new Result(entries, synthetic, realEntries, real[0], real[1]);
  }

  // ---------------------------------------------------------------- part 1

  static double entriesAsCached(int n, PrintStream out) throws IllegalAccessException {
    SecretDigest[] keys = new SecretDigest[n];
    TokenState.Known[] values = new TokenState.Known[n];
    PermissionModel model = PermissionModel.strict();
    for (int i = 0; i < n; i++) {
      String json = TokenJson.write(Fixtures.token(Fixtures.THREE, 2, i));
      PersonalAccessToken token = TokenJson.parseToken(json);
      keys[i] = SecretDigest.of("secret-" + i);
      // As TokenCache.store does it.
      values[i] = new TokenState.Known(
          Grant.compileCandidates(List.of(token), model, keys[i].fingerprint()), false);
    }
    GraphLayout layout = GraphLayout.parseInstance(keys, values);
    long roots = VM.current().sizeOf(keys) + VM.current().sizeOf(values);
    double perEntry = (layout.totalSize() - roots) / (double) n;
    out.printf("### 1. %d entries as the cache holds them: %.1f bytes/entry%n%n", n, perEntry);
    out.printf("Objects per entry, by class (JOL, shared objects counted once):%n%n");
    histogram(layout.getClassCounts(), layout.getClassSizes(), n, out);
    out.printf("%nWhere one entry's bytes go, field by field (retained by that field alone; "
        + "'shared' = the same instance in every entry, so ~0 per entry):%n%n");
    fieldTable("SecretDigest (key)", keys[0], keys[1], out);
    fieldTable("TokenState.Known (value)", values[0], values[1], out);
    fieldTable("Grant", values[0].grant(), values[1].grant(), out);
    fieldTable("Grant.subject (TokenSubject)", values[0].grant().subject(), values[1].grant().subject(), out);
    fieldTable("Grant.projects[0] (Project)", values[0].grant().projects().get(0),
        values[1].grant().projects().get(0), out);
    return perEntry;
  }

  private static void histogram(Multiset<Class<?>> counts, Multiset<Class<?>> sizes, long n, PrintStream out) {
    List<Class<?>> classes = new ArrayList<>(sizes.keys());
    classes.sort(Comparator.comparingLong((Class<?> c) -> sizes.count(c)).reversed());
    out.printf("| class | objects/entry | bytes/entry |%n|---|---:|---:|%n");
    long shown = 0;
    for (Class<?> c : classes) {
      double bytes = sizes.count(c) / (double) n;
      if (bytes < 0.5) {
        continue;
      }
      shown += sizes.count(c);
      out.printf("| %s | %.2f | %.1f |%n", c.getName(), counts.count(c) / (double) n, bytes);
    }
    long total = 0;
    for (Class<?> c : classes) {
      total += sizes.count(c);
    }
    out.printf("| (classes under 0.5 B/entry) | | %.1f |%n", (total - shown) / (double) n);
  }

  /** Each instance field of {@code a}: bytes retained by its value, or "shared" when {@code b} has the same instance. */
  private static void fieldTable(String title, Object a, Object b, PrintStream out) throws IllegalAccessException {
    out.printf("%n**%s** — shallow %d B%n%n| field | retained B (overlaps between fields possible) |%n|---|---:|%n",
        title, VM.current().sizeOf(a));
    for (Class<?> c = a.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
          continue;
        }
        f.setAccessible(true);
        Object va = f.get(a);
        Object vb = f.get(b);
        if (va == null) {
          out.printf("| %s | null |%n", f.getName());
        } else if (va == vb) {
          out.printf("| %s | shared (%s) |%n", f.getName(), va.getClass().getSimpleName());
        } else {
          out.printf("| %s | %d (%s) |%n", f.getName(), GraphLayout.parseInstance(va).totalSize(),
              va.getClass().getSimpleName());
        }
      }
    }
  }

  // ---------------------------------------------------------------- part 2

  static double[] throughPatGuard(int n, PrintStream out) throws Exception {
    try (FakeBrms brms = Loopback.startBrms()) {
      List<String> secrets = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        secrets.add(Loopback.mintTypical(brms).secret());
      }
      String probe = Loopback.mintTypical(brms).secret();
      try (PatGuard guard = PatGuard.builder().baseUrl(brms.baseUrl())
          .cacheTtl(Duration.ofHours(1)).cacheMaximumSize(n + 1_000L).build()) {
        // PatGuard.cache -> TokenCache.grants -> Caffeine's BoundedLocalCache -> its ConcurrentHashMap of
        // nodes. Walking from TokenCache itself would reach threads and through them the whole heap
        // (fake-brms included); the node map holds exactly the entries: CHM nodes, Caffeine nodes,
        // keys, values, and the table.
        Object grants = field(field(guard, "cache"), "grants");
        Object bounded = field(grants, "cache");
        Object data = field(bounded, "data");
        // Open the connection and load every class on the path, then empty the cache.
        guard.decide(probe, Loopback.PERMIT).join();
        guard.invalidate(probe);
        guard.cacheStats();
        long heapBefore = usedHeapAfterGc();
        long before = GraphLayout.parseInstance(data).totalSize();

        long started = System.nanoTime();
        Semaphore window = new Semaphore(64);
        AtomicLong permits = new AtomicLong();
        for (String secret : secrets) {
          window.acquire();
          guard.decide(secret, Loopback.PERMIT).whenComplete((d, e) -> {
            if (d != null && d.isPermit()) {
              permits.incrementAndGet();
            }
            window.release();
          });
        }
        window.acquire(64);
        long fillMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        CacheStats stats = guard.cacheStats();
        if (permits.get() != n || stats.size() != n) {
          throw new IllegalStateException("filled " + permits.get() + " permits, cache size " + stats.size()
              + ", expected " + n + ": " + stats);
        }
        long heapAfter = usedHeapAfterGc();
        GraphLayout afterLayout = GraphLayout.parseInstance(data);
        long after = afterLayout.totalSize();
        Method sketchMethod = findMethod(bounded.getClass(), "frequencySketch");
        sketchMethod.setAccessible(true);
        long sketch = GraphLayout.parseInstance(sketchMethod.invoke(bounded)).totalSize();
        double perEntry = (after - before + sketch) / (double) n;
        double heapPerEntry = (heapAfter - heapBefore) / (double) n;
        out.printf("%n### 2. Real PatGuard filled from fake-brms: %d lookups in %d ms; the grants' node map %d B -> %d B,"
            + " frequency sketch %d B: %.1f bytes/entry (heap used after GC grew %.1f bytes/entry)%n%n", n, fillMillis,
            before, after, sketch, perEntry, heapPerEntry);
        out.printf("The grants' node map after the fill, by class:%n%n");
        histogram(afterLayout.getClassCounts(), afterLayout.getClassSizes(), n, out);
        return new double[] {perEntry, heapPerEntry};
      }
    }
  }

  /** The value of the field {@code name} declared by {@code target}'s class or a superclass. */
  static Object field(Object target, String name) throws ReflectiveOperationException {
    for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
      try {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(target);
      } catch (NoSuchFieldException e) {
        // look further up
      }
    }
    throw new NoSuchFieldException(target.getClass().getName() + "." + name);
  }

  static Method findMethod(Class<?> type, String name) throws NoSuchMethodException {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      for (Method m : c.getDeclaredMethods()) {
        if (m.getName().equals(name) && m.getParameterCount() == 0) {
          return m;
        }
      }
    }
    throw new NoSuchMethodException(type.getName() + "." + name);
  }

  static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
