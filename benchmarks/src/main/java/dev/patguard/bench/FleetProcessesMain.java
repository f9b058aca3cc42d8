package dev.patguard.bench;

import dev.patguard.fakebrms.Endpoint;
import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.Fault;
import dev.patguard.redis.FleetKey;
import dev.patguard.redis.testing.RedisProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@link FleetCoalescingMain}'s two scenarios with every replica in a JVM of its own ({@link
 * FleetReplicaProcess}), as replicas of one app run: {@code replicas} child processes (default 8)
 * on one redis-server and one fake-brms (answering in {@code brmsLatencyMs}, default 50 ms), with
 * the shared level and without it. Herd: {@code herd} threads (default 1 000) spread evenly over
 * the processes, all on one unseen token, released by one {@code go} line written to every child
 * back to back. Spread: {@code tokens} unseen tokens (default 200), {@code wave} (default 25) at a
 * time, each asked once by every process. BRMS calls from fake-brms's counter. {@value
 * #WARMUP_WAVES} waves first, not counted. {@code patient}: a 3 s Redis command timeout instead of
 * the default 100 ms, to tell the protocol's behaviour apart from timeouts on a saturated machine.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.patguard.bench.FleetProcessesMain [replicas=8]
 *     [herd=1000] [tokens=200] [wave=25] [brmsLatencyMs=50] [default|patient] [lockWaitMs=500]
 * </pre>
 */
public final class FleetProcessesMain {
  /** Waves of {@code wave} tokens run in every child before anything is counted. */
  static final int WARMUP_WAVES = 8;

  private FleetProcessesMain() {}

  /** One scenario with one variant. */
  public record Row(
      String scenario,
      boolean shared,
      int tokens,
      long requests,
      long permits,
      long others,
      long brmsCalls,
      long sharedHits,
      long sharedErrors,
      long millis) {
    double callsPerToken() {
      return (double) brmsCalls / tokens;
    }
  }

  public static void main(String[] args) throws Exception {
    int replicas = args.length > 0 ? Integer.parseInt(args[0]) : 8;
    int herd = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
    int tokens = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    int wave = args.length > 3 ? Integer.parseInt(args[3]) : 25;
    int latency = args.length > 4 ? Integer.parseInt(args[4]) : 50;
    boolean patient = args.length > 5 && args[5].equals("patient");
    long lockWaitMs = args.length > 6 ? Long.parseLong(args[6]) : 500;
    run(replicas, herd, tokens, wave, Duration.ofMillis(latency), patient, lockWaitMs, System.out);
  }

  public static List<Row> run(
      int replicas,
      int herd,
      int tokens,
      int wave,
      Duration latency,
      boolean patient,
      PrintStream out)
      throws Exception {
    return run(replicas, herd, tokens, wave, latency, patient, 500, out);
  }

  public static List<Row> run(
      int replicas,
      int herd,
      int tokens,
      int wave,
      Duration latency,
      boolean patient,
      long lockWaitMs,
      PrintStream out)
      throws Exception {
    Locale.setDefault(Locale.ROOT);
    String loadBefore = Fleet.loadAverage();
    byte[] key = new byte[FleetKey.MIN_BYTES];
    new SecureRandom().nextBytes(key);
    String keys = "k1:" + Base64.getEncoder().encodeToString(key);
    List<Row> rows = new ArrayList<>();
    try (RedisProcess redis = RedisProcess.start(null);
        FakeBrms brms = Loopback.startBrms()) {
      for (boolean shared : new boolean[] {false, true}) {
        List<ChildJvm> children = new ArrayList<>();
        try {
          for (int i = 0; i < replicas; i++) {
            children.add(
                ChildJvm.start(
                    List.of("-Xmx256m"),
                    FleetReplicaProcess.class,
                    List.of(
                        shared ? "shared" : "local",
                        patient ? "patient" : "default",
                        Long.toString(lockWaitMs)),
                    Map.of(
                        FleetReplicaProcess.REDIS_ENV,
                        redis.uri(),
                        FleetReplicaProcess.BRMS_ENV,
                        brms.baseUrl().toString(),
                        FleetReplicaProcess.KEYS_ENV,
                        keys),
                    Path.of(
                        System.getProperty("java.io.tmpdir"),
                        "patguard-fleet-replica-" + i + ".log")));
          }
          for (ChildJvm c : children) {
            c.expect("ready");
          }
          brms.inject(Endpoint.SELF_LIST, Fault.latency(latency));
          long[] counters = new long[4];
          // Warm-up (not counted): cold JVMs run Lettuce, Netty and the guard interpreted at first.
          for (int w = 0; w < WARMUP_WAVES; w++) {
            batch(brms, children, wave, 1, counters);
          }
          rows.add(row("herd", shared, 1, batch(brms, children, 1, herd / replicas, counters)));
          long[] total = new long[6];
          for (int first = 0; first < tokens; first += wave) {
            long[] w = batch(brms, children, Math.min(wave, tokens - first), 1, counters);
            for (int k = 0; k < total.length; k++) {
              total[k] += w[k];
            }
          }
          rows.add(row("spread", shared, tokens, total));
          brms.clearFaults();
        } finally {
          for (ChildJvm c : children) {
            c.close();
          }
        }
      }
    }
    print(rows, replicas, herd, tokens, wave, latency, patient, lockWaitMs, loadBefore, out);
    return rows;
  }

  private static Row row(String scenario, boolean shared, int tokens, long[] r) {
    return new Row(scenario, shared, tokens, r[0] + r[1], r[0], r[1], r[2], r[3], r[4], r[5]);
  }

  /**
   * Mints {@code n} tokens, arms {@code perSecret} threads per token in every child, releases them
   * all. Returns permits, others, BRMS calls, shared hits, shared errors (this batch's) and wall
   * ms; {@code counters} holds the children's totals so far and is updated.
   */
  private static long[] batch(
      FakeBrms brms, List<ChildJvm> children, int n, int perSecret, long[] counters)
      throws IOException {
    List<String> secrets = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      secrets.add(Loopback.mintTypical(brms).secret());
    }
    brms.resetCounters();
    for (ChildJvm c : children) {
      c.println("batch " + n + " " + perSecret);
      for (String s : secrets) {
        c.println(s);
      }
      c.flush();
    }
    for (ChildJvm c : children) {
      c.expect("armed");
    }
    long start = System.nanoTime();
    for (ChildJvm c : children) {
      c.println("go");
      c.flush();
    }
    long[] sum = new long[4];
    for (ChildJvm c : children) {
      String[] f = c.expect("done").split(" ");
      for (int k = 0; k < 4; k++) {
        sum[k] += Long.parseLong(f[k + 1]);
      }
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    long[] r = {
      sum[0] - counters[0],
      sum[1] - counters[1],
      brms.requestCount(Endpoint.SELF_LIST),
      sum[2] - counters[2],
      sum[3] - counters[3],
      millis
    };
    System.arraycopy(sum, 0, counters, 0, 4);
    return r;
  }

  private static void print(
      List<Row> rows,
      int replicas,
      int herd,
      int tokens,
      int wave,
      Duration latency,
      boolean patient,
      long lockWaitMs,
      String loadBefore,
      PrintStream out) {
    out.printf(
        "%n## Fleet coalescing, %d replicas in %d JVMs, one Redis, fake-brms answering in %d ms,"
            + " Redis command timeout %s, shared lock wait %d ms%n%n",
        replicas,
        replicas,
        latency.toMillis(),
        patient ? Fleet.PATIENT.toMillis() + " ms" : "100 ms (default)",
        lockWaitMs);
    out.printf(
        "herd: %d threads over the processes, one unseen token; spread: %d unseen tokens, each"
            + " asked once by every process, %d at a time%n%n",
        herd, tokens, wave);
    out.println(
        "| scenario | shared level | requests | permits | other answers | BRMS calls | BRMS calls"
            + " per token | shared hits | shared errors | wall ms |");
    out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (Row r : rows) {
      out.printf(
          Locale.ROOT,
          "| %s | %s | %d | %d | %d | %d | %.3f | %d | %d | %d |%n",
          r.scenario(),
          r.shared() ? "yes" : "no",
          r.requests(),
          r.permits(),
          r.others(),
          r.brmsCalls(),
          r.callsPerToken(),
          r.sharedHits(),
          r.sharedErrors(),
          r.millis());
    }
    out.printf("%nload average before %s, after %s%n", loadBefore, Fleet.loadAverage());
  }
}
