package dev.patguard.bench;

import dev.patguard.CacheStats;
import dev.patguard.PatGuard;
import dev.patguard.decision.Decision;
import dev.patguard.fakebrms.Endpoint;
import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.Fault;
import dev.patguard.redis.FleetKeys;
import dev.patguard.redis.testing.RedisProcess;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Issue #16, coalescing across a fleet: {@code replicas} replicas (default 8), each a {@link
 * PatGuard} with its own {@code RedisSharedCache} on one real redis-server, all on one fake-brms
 * answering each self lookup after {@code brmsLatencyMs} (default 50 ms, a plausible BRMS round
 * trip, long enough that the replicas' misses overlap). Run twice, with the shared level and
 * without it (each replica only its own cache):
 *
 * <ol>
 *   <li><b>Herd</b>: {@code herd} threads (default 1 000) released at once, thread i asking replica
 *       i mod {@code replicas}, all about one token no replica has seen. BRMS calls: fake-brms's
 *       SELF_LIST counter (target 1 with the shared level; 8 without).
 *   <li><b>Spread</b>: {@code tokens} distinct unseen tokens (default 400), each asked of every
 *       replica at once ({@code replicas} threads released together); {@code wave} tokens (default
 *       25) at a time. BRMS calls per token (target ≤ 1.1 with the shared level; 8 without).
 * </ol>
 *
 * Every answer must be a permit (the tokens all hold the requirement); anything else is counted and
 * printed, as are the shared-level errors (a read, lock or write that failed or took longer than
 * the default 100 ms command timeout: each sends that replica to BRMS itself, fail-closed). The
 * load average is printed before and after.
 *
 * <pre>
 * java -cp ... dev.patguard.bench.FleetCoalescingMain [replicas=8] [herd=1000] [tokens=400]
 *     [wave=25] [brmsLatencyMs=50]
 * </pre>
 */
public final class FleetCoalescingMain {
  private FleetCoalescingMain() {}

  /** One scenario with one variant. */
  public record Row(
      String scenario,
      boolean shared,
      int replicas,
      int tokens,
      long requests,
      long permits,
      long others,
      long brmsCalls,
      int peakBrms,
      long sharedHits,
      long sharedErrors,
      long millis) {
    /** BRMS calls per distinct token. */
    public double callsPerToken() {
      return (double) brmsCalls / tokens;
    }
  }

  /** Every row, and the load average around the run. */
  public record Result(List<Row> rows, String loadBefore, String loadAfter) {
    Row row(String scenario, boolean shared) {
      return rows.stream()
          .filter(r -> r.scenario().equals(scenario) && r.shared() == shared)
          .findFirst()
          .orElseThrow();
    }
  }

  public static void main(String[] args) throws Exception {
    int replicas = args.length > 0 ? Integer.parseInt(args[0]) : 8;
    int herd = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
    int tokens = args.length > 2 ? Integer.parseInt(args[2]) : 400;
    int wave = args.length > 3 ? Integer.parseInt(args[3]) : 25;
    int latency = args.length > 4 ? Integer.parseInt(args[4]) : 50;
    run(replicas, herd, tokens, wave, Duration.ofMillis(latency), System.out);
  }

  public static Result run(
      int replicas, int herd, int tokens, int wave, Duration brmsLatency, PrintStream out)
      throws Exception {
    Locale.setDefault(Locale.ROOT);
    String loadBefore = Fleet.loadAverage();
    List<Row> rows = new ArrayList<>();
    FleetKeys keys = Fleet.randomKeys();
    try (RedisProcess redis = RedisProcess.start(null);
        FakeBrms brms = Loopback.startBrms()) {
      Function<PatGuard.Builder, PatGuard.Builder> config =
          b -> b.baseUrl(brms.baseUrl()).cacheTtl(Duration.ofMinutes(10));
      // Without the shared level first, then with it; each on tokens minted for it alone.
      for (boolean shared : new boolean[] {false, true}) {
        List<Fleet.Replica> fleet =
            Fleet.replicas(replicas, shared ? redis.uri() : null, keys, config, c -> c);
        try {
          // Warm-up (not counted): connections to BRMS and Redis, and the JIT, on a few tokens.
          spread(brms, fleet, 3 * wave, wave, shared, brmsLatency);
          rows.add(herd(brms, fleet, herd, shared, brmsLatency));
          rows.add(spread(brms, fleet, tokens, wave, shared, brmsLatency));
        } finally {
          Fleet.closeAll(fleet);
        }
      }
    }
    Result result = new Result(rows, loadBefore, Fleet.loadAverage());
    print(result, herd, tokens, wave, brmsLatency, out);
    return result;
  }

  private static long sharedHits(List<Fleet.Replica> fleet) {
    long n = 0;
    for (Fleet.Replica r : fleet) {
      CacheStats s = r.guard().cacheStats();
      n += s.sharedHits();
    }
    return n;
  }

  /** Failed or late shared reads, locks and writes (each sends a replica to BRMS on its own). */
  private static long sharedErrors(List<Fleet.Replica> fleet) {
    long n = 0;
    for (Fleet.Replica r : fleet) {
      n += r.guard().cacheStats().sharedErrors();
    }
    return n;
  }

  private static Row herd(
      FakeBrms brms, List<Fleet.Replica> fleet, int threads, boolean shared, Duration latency)
      throws InterruptedException {
    String secret = Loopback.mintTypical(brms).secret();
    brms.resetCounters();
    brms.inject(Endpoint.SELF_LIST, Fault.latency(latency));
    long hitsBefore = sharedHits(fleet);
    long errorsBefore = sharedErrors(fleet);
    LongAdder permits = new LongAdder();
    LongAdder others = new LongAdder();
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>(threads);
    for (int i = 0; i < threads; i++) {
      PatGuard guard = fleet.get(i % fleet.size()).guard();
      Thread t =
          new Thread(
              () -> {
                ready.countDown();
                try {
                  go.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
                count(guard.decideBlocking(secret, Loopback.PERMIT), permits, others);
              },
              "herd-" + i);
      t.setDaemon(true);
      workers.add(t);
      t.start();
    }
    ready.await();
    long started = System.nanoTime();
    go.countDown();
    for (Thread t : workers) {
      t.join();
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    brms.clearFaults();
    return new Row(
        "herd",
        shared,
        fleet.size(),
        1,
        threads,
        permits.sum(),
        others.sum(),
        brms.requestCount(Endpoint.SELF_LIST),
        brms.peakConcurrency(Endpoint.SELF_LIST),
        sharedHits(fleet) - hitsBefore,
        sharedErrors(fleet) - errorsBefore,
        millis);
  }

  private static Row spread(
      FakeBrms brms,
      List<Fleet.Replica> fleet,
      int tokens,
      int wave,
      boolean shared,
      Duration latency)
      throws InterruptedException {
    List<String> secrets = new ArrayList<>(tokens);
    for (int i = 0; i < tokens; i++) {
      secrets.add(Loopback.mintTypical(brms).secret());
    }
    brms.resetCounters();
    brms.inject(Endpoint.SELF_LIST, Fault.latency(latency));
    long hitsBefore = sharedHits(fleet);
    long errorsBefore = sharedErrors(fleet);
    LongAdder permits = new LongAdder();
    LongAdder others = new LongAdder();
    long started = System.nanoTime();
    for (int first = 0; first < tokens; first += wave) {
      int last = Math.min(tokens, first + wave);
      int threads = (last - first) * fleet.size();
      CountDownLatch ready = new CountDownLatch(threads);
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> workers = new ArrayList<>(threads);
      for (int k = first; k < last; k++) {
        String secret = secrets.get(k);
        for (Fleet.Replica replica : fleet) {
          Thread t =
              new Thread(
                  () -> {
                    ready.countDown();
                    try {
                      go.await();
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                      return;
                    }
                    count(replica.guard().decideBlocking(secret, Loopback.PERMIT), permits, others);
                  },
                  "spread");
          t.setDaemon(true);
          workers.add(t);
          t.start();
        }
      }
      ready.await();
      go.countDown();
      for (Thread t : workers) {
        t.join();
      }
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    brms.clearFaults();
    return new Row(
        "spread",
        shared,
        fleet.size(),
        tokens,
        (long) tokens * fleet.size(),
        permits.sum(),
        others.sum(),
        brms.requestCount(Endpoint.SELF_LIST),
        brms.peakConcurrency(Endpoint.SELF_LIST),
        sharedHits(fleet) - hitsBefore,
        sharedErrors(fleet) - errorsBefore,
        millis);
  }

  private static void count(Decision d, LongAdder permits, LongAdder others) {
    if (d.isPermit()) {
      permits.increment();
    } else {
      others.increment();
    }
  }

  private static void print(
      Result r, int herd, int tokens, int wave, Duration latency, PrintStream out) {
    out.printf(
        "%n## Fleet coalescing: %d replicas, one Redis, fake-brms answering in %d ms%n%n",
        r.rows().get(0).replicas(), latency.toMillis());
    out.printf(
        "herd: %d threads at once, one unseen token, thread i on replica i mod n; spread: %d"
            + " unseen tokens, each asked of every replica at once, %d tokens at a time%n%n",
        herd, tokens, wave);
    out.println(
        "| scenario | shared level | requests | permits | other answers | BRMS calls | BRMS calls"
            + " per token | peak concurrent BRMS | shared hits | shared errors | wall ms |");
    out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (Row row : r.rows()) {
      out.printf(
          Locale.ROOT,
          "| %s | %s | %d | %d | %d | %d | %.3f | %d | %d | %d | %d |%n",
          row.scenario().equals("herd")
              ? "herd: " + row.requests() + " concurrent first requests, one token"
              : "spread: " + row.tokens() + " tokens × " + row.replicas() + " replicas",
          row.shared() ? "yes" : "no",
          row.requests(),
          row.permits(),
          row.others(),
          row.brmsCalls(),
          row.callsPerToken(),
          row.peakBrms(),
          row.sharedHits(),
          row.sharedErrors(),
          row.millis());
    }
    out.printf("%nload average before %s, after %s%n", r.loadBefore(), r.loadAfter());
  }
}
