package dev.patguard.bench;

import dev.patguard.CacheStats;
import dev.patguard.LookupStrategy;
import dev.patguard.PatGuard;
import dev.patguard.TokenFacts;
import dev.patguard.decision.Grant;
import dev.patguard.decision.PermissionModel;
import dev.patguard.decision.Requirement;
import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.FakeUser;
import dev.patguard.fakebrms.MintedToken;
import dev.patguard.token.PersonalAccessToken;
import dev.patguard.token.Project;
import dev.patguard.token.SecretDigest;
import dev.patguard.token.TokenJson;
import dev.patguard.token.TokenOwner;
import java.io.PrintStream;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.openjdk.jol.info.GraphLayout;
import org.openjdk.jol.util.Multiset;
import org.openjdk.jol.vm.VM;

/**
 * Issue #7 item 5: bytes retained per cached entry for a typical token (3 permissions, 2 projects),
 * measured with JOL {@link GraphLayout} (exact shallow sizes, shared objects counted once).
 *
 * <p>Two populations of tokens, each measured twice:
 *
 * <ul>
 *   <li><b>Worst case</b>: every token has its own owner and its own two projects, so nothing can
 *       be shared between entries.
 *   <li><b>Realistic fleet</b>: {@code entries} tokens over {@code owners} owners (default 2 000: a
 *       user or service account has several tokens) and {@code projects} projects (default 500: an
 *       organisation has tens to hundreds); each token has 3 permissions and 2 distinct projects
 *       drawn at random from the pool, its owner drawn at random from the owners. The data is still
 *       parsed from each token's own JSON text, so every string and UUID is its own copy as on the
 *       wire: whatever the entries share, patguard's interning found, not the generator.
 * </ul>
 *
 * <ol>
 *   <li><b>Entries as the cache holds them</b>: {@code entries} keys ({@link SecretDigest}) and
 *       values ({@code TokenFacts.Known} around a {@link Grant} compiled from JSON parsed by {@link
 *       TokenJson}). The two root arrays are subtracted; the shared permission model is counted
 *       once. Not included: the cache's own node and table per entry, which part 2 adds.
 *   <li><b>Through a real PatGuard</b>: {@code realEntries} tokens minted in fake-brms, each looked
 *       up once by {@code PatGuard.decide}; the {@code TokenCache} node map is measured before
 *       (empty, connection already open) and after, and the difference divided by the entries. It
 *       includes Caffeine's nodes, table and frequency sketch. The worst case uses the default self
 *       lookup (each owner has one token, so every lookup is exact); the fleet uses the indexed
 *       lookup, because a self lookup by a token whose owner has several tokens returns all of them
 *       and yields an ambiguous grant holding one compiled grant per candidate.
 * </ol>
 *
 * Both parts also report the <b>interners</b>: the owner facts, projects and large scopes that
 * grants share live in weak interners whose own nodes and references cost memory per distinct
 * value. That cost is measured as the interners' graph beyond what the entries already reach, and
 * shown both apart and added to the entries' figure ("with interners").
 *
 * <p>Run: {@code java -Xmx6g -Djdk.attach.allowAttachSelf=true -cp benchmarks/target/benchmarks.jar
 * dev.patguard.bench.MemoryMain [entries] [realEntries] [owners] [projects]} (defaults 100000
 * 100000 2000 500).
 */
public final class MemoryMain {
  /** The target from issue #7. */
  static final long TARGET_BYTES = 512;

  /** What the real fills ask: a permit for every token, whatever its projects. */
  static final Requirement DEPLOY = Requirement.parse("releases:deploy");

  static {
    // JOL reads record fields' offsets its own way only when told (Unsafe refuses records).
    System.setProperty("jol.magicFieldOffset", "true");
  }

  private MemoryMain() {}

  /** One measurement: bytes per entry for the entries alone, and the interners' share on top. */
  record Figure(int entries, double bytesPerEntry, double internerBytesPerEntry) {
    double withInterners() {
      return bytesPerEntry + internerBytesPerEntry;
    }
  }

  /** What one run found. */
  record Result(
      Figure worst,
      Figure fleet,
      Figure realWorst,
      double realWorstHeap,
      Figure realFleet,
      double realFleetHeap) {
    /** Worst case, key + value. */
    double bytesPerEntry() {
      return worst.bytesPerEntry();
    }

    /** Worst case through a real PatGuard. */
    double realBytesPerEntry() {
      return realWorst.bytesPerEntry();
    }
  }

  /** A population of tokens. */
  record Population(String name, int owners, int projects) {
    boolean isFleet() {
      return owners > 0;
    }

    String describe() {
      return isFleet()
          ? "realistic fleet ("
              + owners
              + " owners, "
              + projects
              + " projects, 2 per token at random)"
          : "worst case (every token its own owner and projects)";
    }
  }

  public static void main(String[] args) throws Exception {
    int entries = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int realEntries = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    int owners = args.length > 2 ? Integer.parseInt(args[2]) : 2_000;
    int projects = args.length > 3 ? Integer.parseInt(args[3]) : 500;
    run(entries, realEntries, owners, projects, System.out);
  }

  static Result run(int entries, int realEntries, PrintStream out) throws Exception {
    return run(entries, realEntries, 2_000, 500, out);
  }

  static Result run(int entries, int realEntries, int owners, int projects, PrintStream out)
      throws Exception {
    Locale.setDefault(Locale.ROOT);
    Population worst = new Population("worst case", 0, 0);
    Population fleet = new Population("realistic fleet", owners, projects);
    out.printf("## Retained bytes per cached entry (3 permissions, 2 projects)%n%n");
    // The fleet first: the interners start empty, so their figures are the fleet's alone.
    Figure fleetFigure = entriesAsCached(entries, fleet, out);
    Figure worstFigure = entriesAsCached(entries, worst, out);
    Object[] realFleet = throughPatGuard(realEntries, fleet, out);
    Object[] realWorst = throughPatGuard(realEntries, worst, out);

    out.printf(
        "%n| measurement | tokens | bytes/entry | with interners | target | met |%n"
            + "|---|---:|---:|---:|---:|---|%n");
    row(out, "worst case: key + value as the cache holds them (JOL)", worstFigure);
    row(
        out,
        "fleet (" + owners + " owners, " + projects + " projects): key + value (JOL)",
        fleetFigure);
    row(
        out,
        "worst case: real PatGuard, cache nodes + keys + values + sketch (JOL)",
        (Figure) realWorst[0]);
    row(out, "fleet: real PatGuard, indexed lookup, same (JOL)", (Figure) realFleet[0]);
    out.printf(
        "| worst case: real PatGuard, heap used after GC, delta (MemoryMXBean) | %d | | %.1f | - | cross-check |%n",
        realEntries, (double) realWorst[1]);
    out.printf(
        "| fleet: real PatGuard, heap used after GC, delta (MemoryMXBean) | %d | | %.1f | - | cross-check |%n",
        realEntries, (double) realFleet[1]);
    return new Result(
        worstFigure,
        fleetFigure,
        (Figure) realWorst[0],
        (double) realWorst[1],
        (Figure) realFleet[0],
        (double) realFleet[1]);
  }

  private static void row(PrintStream out, String name, Figure f) {
    out.printf(
        "| %s | %d | %.1f | %.1f | %d | %s |%n",
        name,
        f.entries(),
        f.bytesPerEntry(),
        f.withInterners(),
        TARGET_BYTES,
        f.withInterners() <= TARGET_BYTES ? "yes" : "no");
  }

  // ---------------------------------------------------------------- the tokens

  /**
   * The JSON text of token {@code i} of {@code population}, written from records that are then
   * dropped.
   */
  static IntFunction<String> tokens(Population population, long seed) {
    if (!population.isFleet()) {
      return i -> TokenJson.write(Fixtures.token(Fixtures.THREE, 2, i));
    }
    Random random = new Random(seed);
    Instant created = Fixtures.NOW.minus(Duration.ofDays(100));
    UUID organisation = Fixtures.uuid(random);
    List<TokenOwner> owners = new ArrayList<>(population.owners());
    for (int k = 0; k < population.owners(); k++) {
      owners.add(
          new TokenOwner(
              Fixtures.uuid(random),
              "svc-" + k + "@acme.test",
              "service account",
              "active",
              "Service",
              "Account " + k,
              true,
              created,
              created));
    }
    List<Project> projects = new ArrayList<>(population.projects());
    for (int j = 0; j < population.projects(); j++) {
      projects.add(
          new Project(
              Fixtures.uuid(random),
              "Project " + j,
              organisation,
              "1.4.2",
              fleetKey(j),
              j % 10 == 0,
              created,
              created.plusSeconds(3600)));
    }
    return i -> {
      int[] two = twoProjects(random, population.projects());
      PersonalAccessToken t =
          new PersonalAccessToken(
              Fixtures.uuid(random),
              "ci deploy " + i,
              Fixtures.THREE,
              false,
              List.of(projects.get(two[0]), projects.get(two[1])),
              owners.get(random.nextInt(owners.size())),
              created,
              created,
              Fixtures.NOW.plus(Duration.ofDays(30)));
      return TokenJson.write(t);
    };
  }

  static String fleetKey(int j) {
    return "fleet-" + j;
  }

  static int[] twoProjects(Random random, int pool) {
    int a = random.nextInt(pool);
    int b = random.nextInt(pool - 1);
    return new int[] {a, b >= a ? b + 1 : b};
  }

  // ---------------------------------------------------------------- part 1

  static Figure entriesAsCached(int n, Population population, PrintStream out) throws Exception {
    Object[] interners = settledInterners();
    long internersBefore = GraphLayout.parseInstance((Object) interners).totalSize();
    SecretDigest[] keys = new SecretDigest[n];
    TokenFacts.Known[] values = new TokenFacts.Known[n];
    PermissionModel model = PermissionModel.strict();
    IntFunction<String> json = tokens(population, 42);
    for (int i = 0; i < n; i++) {
      PersonalAccessToken token = TokenJson.parseToken(json.apply(i));
      keys[i] = SecretDigest.of("secret-" + i);
      // As TokenCache.store does it.
      values[i] =
          new TokenFacts.Known(
              Grant.compileCandidates(List.of(token), model, keys[i].fingerprint()), false);
    }
    GraphLayout layout = GraphLayout.parseInstance(keys, values);
    long roots = VM.current().sizeOf(keys) + VM.current().sizeOf(values);
    double perEntry = (layout.totalSize() - roots) / (double) n;
    long withInterners = GraphLayout.parseInstance(keys, values, interners).totalSize();
    double internerPerEntry = (withInterners - layout.totalSize() - internersBefore) / (double) n;
    out.printf(
        "### 1. %s: %d entries as the cache holds them: %.1f bytes/entry, interners +%.1f%n%n",
        population.describe(), n, perEntry, internerPerEntry);
    out.printf("Objects per entry, by class (JOL, shared objects counted once):%n%n");
    histogram(layout.getClassCounts(), layout.getClassSizes(), n, out);
    out.printf(
        "%nWhere one entry's bytes go, field by field (retained by that field alone; "
            + "'shared' = the same instance in entries 0 and 1):%n%n");
    fieldTable("SecretDigest (key)", keys[0], keys[1], out);
    fieldTable("TokenFacts.Known (value)", values[0], values[1], out);
    fieldTable("Grant", values[0].grant(), values[1].grant(), out);
    fieldTable(
        "Grant.subject (TokenSubject)",
        values[0].grant().subject(),
        values[1].grant().subject(),
        out);
    fieldTable(
        "Grant.projects[0], as the grant keeps it",
        firstProject(values[0].grant()),
        firstProject(values[1].grant()),
        out);
    out.printf("%n");
    return new Figure(n, perEntry, internerPerEntry);
  }

  /**
   * The first project as the grant holds it (an array element now; a list element in older
   * versions).
   */
  static Object firstProject(Grant grant) throws ReflectiveOperationException {
    Object projects = field(grant, "projects");
    return projects instanceof List<?> list
        ? list.get(0)
        : java.lang.reflect.Array.get(projects, 0);
  }

  private static void histogram(
      Multiset<Class<?>> counts, Multiset<Class<?>> sizes, long n, PrintStream out) {
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

  /**
   * Each instance field of {@code a}: bytes retained by its value, or "shared" when {@code b} has
   * the same instance.
   */
  private static void fieldTable(String title, Object a, Object b, PrintStream out)
      throws IllegalAccessException {
    out.printf(
        "%n**%s** — shallow %d B%n%n| field | retained B (overlaps between fields possible) |%n|---|---:|%n",
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
          out.printf(
              "| %s | %d (%s) |%n",
              f.getName(),
              GraphLayout.parseInstance(va).totalSize(),
              va.getClass().getSimpleName());
        }
      }
    }
  }

  // ---------------------------------------------------------------- interners

  /**
   * patguard's weak interners (owner facts, projects, large scopes), after a GC and after each has
   * dropped its cleared references, so that what earlier measurements left behind is gone. None
   * when run against a core from before interning (to measure the "before" figures).
   */
  static Object[] settledInterners() throws Exception {
    usedHeapAfterGc();
    Object[] interners;
    try {
      // Read reflectively: core's internal package is not for other modules, benchmarks included.
      interners =
          new Object[] {
            staticField("dev.patguard.decision.OwnerFacts", "INTERNED"),
            staticField("dev.patguard.decision.ProjectScope", "PROJECTS"),
            staticField("dev.patguard.decision.ProjectScope", "SCOPES")
          };
    } catch (ClassNotFoundException e) {
      return new Object[0];
    }
    for (Object interner : interners) {
      settle(interner);
    }
    return interners;
  }

  /**
   * Drops cleared references before measuring: patguard's own interner expunges on size(),
   * Caffeine's weak interner on its cache's cleanUp().
   */
  static void settle(Object interner) throws ReflectiveOperationException {
    try {
      Method size = interner.getClass().getMethod("size");
      size.invoke(interner);
    } catch (NoSuchMethodException e) {
      Field cache = interner.getClass().getDeclaredField("cache");
      cache.setAccessible(true);
      Object c = cache.get(interner);
      Method cleanUp = c.getClass().getMethod("cleanUp");
      cleanUp.setAccessible(true);
      cleanUp.invoke(c);
    }
  }

  static Object staticField(String className, String name) throws ReflectiveOperationException {
    Field f = Class.forName(className).getDeclaredField(name);
    f.setAccessible(true);
    return f.get(null);
  }

  // ---------------------------------------------------------------- part 2

  /**
   * Bytes per entry as {@link Figure}, and the heap cross-check (bytes per entry, interners
   * included).
   */
  static Object[] throughPatGuard(int n, Population population, PrintStream out) throws Exception {
    Path index = Files.createTempFile("patguard-memory-index", ".txt");
    try (FakeBrms brms = Loopback.startBrms()) {
      List<String> secrets = new ArrayList<>(n);
      String adminSecret = null;
      long mintStarted = System.nanoTime();
      if (population.isFleet()) {
        FakeUser admin = brms.createUser(u -> u.email("admin@acme.test").admin());
        adminSecret = brms.mint(t -> t.owner(admin).neverExpires()).secret();
        for (int j = 0; j < population.projects(); j++) {
          brms.createProject(fleetKey(j), "Project " + j);
        }
        List<FakeUser> owners = new ArrayList<>(population.owners());
        for (int k = 0; k < population.owners(); k++) {
          owners.add(brms.createUser(u -> u.serviceAccount().status("active")));
        }
        Random random = new Random(7);
        try (Writer w = Files.newBufferedWriter(index, StandardCharsets.UTF_8)) {
          for (int i = 0; i < n + 1; i++) {
            FakeUser owner = owners.get(random.nextInt(owners.size()));
            int[] two = twoProjects(random, population.projects());
            String note = "ci deploy " + i;
            MintedToken t =
                brms.mint(
                    s ->
                        s.owner(owner)
                            .note(note)
                            .permissions(Fixtures.THREE)
                            .projects(fleetKey(two[0]), fleetKey(two[1]))
                            .allProjects(false)
                            .expiresIn(Duration.ofDays(30)));
            w.write(SecretDigest.of(t.secret()).hex() + " " + t.userId() + " " + t.id() + "\n");
            secrets.add(t.secret());
          }
        }
      } else {
        for (int i = 0; i < n + 1; i++) {
          String a = "w-" + i + "-a";
          String b = "w-" + i + "-b";
          String note = "ci deploy " + i;
          secrets.add(
              brms.mint(
                      s ->
                          s.note(note)
                              .permissions(Fixtures.THREE)
                              .projects(a, b)
                              .allProjects(false)
                              .expiresIn(Duration.ofDays(30)))
                  .secret());
        }
      }
      long mintMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - mintStarted);
      String probe = secrets.remove(secrets.size() - 1);
      PatGuard.Builder builder =
          PatGuard.builder()
              .baseUrl(brms.baseUrl())
              .cacheTtl(Duration.ofHours(1))
              .cacheMaximumSize(n + 1_000L);
      if (population.isFleet()) {
        String credential = adminSecret;
        builder.lookup(LookupStrategy.indexed(index)).adminCredential(() -> credential);
      }
      try (PatGuard guard = builder.build()) {
        // PatGuard.cache -> TokenCache.grants -> Caffeine's BoundedLocalCache -> its
        // ConcurrentHashMap of
        // nodes. Walking from TokenCache itself would reach threads and through them the whole heap
        // (fake-brms included); the node map holds exactly the entries: CHM nodes, Caffeine nodes,
        // keys, values, and the table.
        Object grants = field(field(guard, "cache"), "grants");
        Object bounded = field(grants, "cache");
        Object data = field(bounded, "data");
        // Open the connection and load every class on the path, then empty the cache.
        if (!guard.decide(probe, DEPLOY).join().isPermit()) {
          throw new IllegalStateException("the probe token is not permitted " + DEPLOY);
        }
        guard.invalidate(probe);
        guard.cacheStats();
        Object[] interners = settledInterners();
        long heapBefore = usedHeapAfterGc();
        long before = GraphLayout.parseInstance(data).totalSize();
        long internersBefore = GraphLayout.parseInstance((Object) interners).totalSize();

        long started = System.nanoTime();
        Semaphore window = new Semaphore(64);
        AtomicLong permits = new AtomicLong();
        for (String secret : secrets) {
          window.acquire();
          guard
              .decide(secret, DEPLOY)
              .whenComplete(
                  (d, e) -> {
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
          throw new IllegalStateException(
              "filled "
                  + permits.get()
                  + " permits, cache size "
                  + stats.size()
                  + ", expected "
                  + n
                  + ": "
                  + stats);
        }
        long heapAfter = usedHeapAfterGc();
        GraphLayout afterLayout = GraphLayout.parseInstance(data);
        long after = afterLayout.totalSize();
        long withInterners = GraphLayout.parseInstance(data, interners).totalSize();
        Method sketchMethod = findMethod(bounded.getClass(), "frequencySketch");
        sketchMethod.setAccessible(true);
        long sketch = GraphLayout.parseInstance(sketchMethod.invoke(bounded)).totalSize();
        double perEntry = (after - before + sketch) / (double) n;
        double internerPerEntry = (withInterners - after - internersBefore) / (double) n;
        double heapPerEntry = (heapAfter - heapBefore) / (double) n;
        out.printf(
            "%n### 2. %s: real PatGuard (%s lookup) filled from fake-brms (minted in %d ms): %d lookups"
                + " in %d ms; the grants' node map %d B -> %d B, frequency sketch %d B: %.1f bytes/entry, interners"
                + " +%.1f (heap used after GC grew %.1f bytes/entry)%n%n",
            population.describe(),
            population.isFleet() ? "indexed" : "self",
            mintMillis,
            n,
            fillMillis,
            before,
            after,
            sketch,
            perEntry,
            internerPerEntry,
            heapPerEntry);
        out.printf("The grants' node map after the fill, by class:%n%n");
        histogram(afterLayout.getClassCounts(), afterLayout.getClassSizes(), n, out);
        return new Object[] {new Figure(n, perEntry, internerPerEntry), heapPerEntry};
      }
    } finally {
      Files.deleteIfExists(index);
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
