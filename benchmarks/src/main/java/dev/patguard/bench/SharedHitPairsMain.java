package dev.patguard.bench;

import dev.patguard.decision.Decision;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Issue #16's shared-hit ratio in interleaved rounds, as {@link ColdLookupPairsMain} does for the
 * cold lookup: on this shared machine a JMH trial per method lets a change of load fall on one side
 * of the ratio; here the contenders of {@link SharedHitBenchmark} run back to back, {@code
 * perRound} calls each, in a rotated order, for {@code rounds} rounds, on one thread, one replica
 * (the benchmark's own setup and checks: {@link SharedHitBenchmark.Replica}).
 *
 * <ul>
 *   <li>{@code bare} — a synchronous Lettuce {@code GET} of the entry's key on its own connection
 *       (the baseline);
 *   <li>{@code spi} — {@code RedisSharedCache.get(digest).join()} (HMAC, GET, AES-GCM open);
 *   <li>{@code decode} — core's decode of the opened entry alone (JSON, token parsing, grant
 *       compilation), in-process;
 *   <li>{@code guard} — the guard's own cache dropped, then {@code decide(...).join()}, checked to
 *       permit: the whole L1-miss/L2-hit path.
 * </ul>
 *
 * A round's ratio is its contender's µs per call over bare's in the same round; the result is the
 * median over the measured rounds (warm-up rounds printed, not counted). Target: guard / bare ≤
 * 1.5.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.patguard.bench.SharedHitPairsMain [rounds=20]
 *     [perRound=2000] [warmupRounds=5]
 * </pre>
 */
public final class SharedHitPairsMain {
  private SharedHitPairsMain() {}

  /** Per round: µs per call of each contender, and the two ratios. */
  public record Round(
      int round,
      String order,
      double bare,
      double spi,
      double decode,
      double guard,
      boolean warmup) {
    double guardRatio() {
      return guard / bare;
    }

    double spiRatio() {
      return spi / bare;
    }
  }

  /** Every round and the medians of the measured ones. */
  public record Result(
      List<Round> rounds,
      double medianGuardRatio,
      double medianSpiRatio,
      String loadBefore,
      String loadAfter) {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    run(rounds, perRound, warmup, System.out);
  }

  public static Result run(int rounds, int perRound, int warmup, PrintStream out) {
    Locale.setDefault(Locale.ROOT);
    String loadBefore = Fleet.loadAverage();
    SharedHitBenchmark.Servers servers = new SharedHitBenchmark.Servers();
    servers.setUp();
    SharedHitBenchmark.Replica r = new SharedHitBenchmark.Replica();
    List<Round> all = new ArrayList<>();
    try {
      r.setUp(servers);
      Runnable bare = () -> sink(r.raw.sync().get(r.entryKey).length);
      Runnable spi = () -> sink(r.fleet.get(r.digest).join().orElseThrow().length);
      Runnable guard =
          () -> {
            r.dropLocal.run();
            Decision d = r.guard.decide(r.secret, Loopback.PERMIT).join();
            if (!d.isPermit()) {
              throw new IllegalStateException("a shared hit did not permit: " + d);
            }
          };
      Runnable decode = () -> sink(r.decode.apply(r.plaintext).hashCode());
      String[] names = {"bare", "spi", "decode", "guard"};
      Runnable[] calls = {bare, spi, decode, guard};
      for (int k = 0; k < warmup + rounds; k++) {
        double[] micros = new double[calls.length];
        StringBuilder order = new StringBuilder();
        for (int j = 0; j < calls.length; j++) {
          int c = (k + j) % calls.length;
          order.append(j == 0 ? "" : " ").append(names[c]);
          long t0 = System.nanoTime();
          for (int i = 0; i < perRound; i++) {
            calls[c].run();
          }
          micros[c] = (System.nanoTime() - t0) / 1_000.0 / perRound;
        }
        all.add(
            new Round(
                k + 1, order.toString(), micros[0], micros[1], micros[2], micros[3], k < warmup));
      }
    } finally {
      r.tearDown();
      servers.tearDown();
    }
    List<Round> measured = all.stream().filter(x -> !x.warmup()).toList();
    Result result =
        new Result(
            all,
            median(measured.stream().map(Round::guardRatio).toList()),
            median(measured.stream().map(Round::spiRatio).toList()),
            loadBefore,
            Fleet.loadAverage());
    print(result, perRound, out);
    return result;
  }

  private static int sunk;

  private static void sink(int n) {
    sunk += n;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static void print(Result r, int perRound, PrintStream out) {
    out.printf(
        "%n## Shared-level hit vs a bare Lettuce GET, interleaved rounds of %d calls each, one"
            + " thread%n%n",
        perRound);
    out.println(
        "| round | order | bare GET µs | SPI get µs | decode µs | guard L1 miss / L2 hit µs |"
            + " guard / bare | SPI / bare |");
    out.println("|---:|---|---:|---:|---:|---:|---:|---:|");
    for (Round x : r.rounds()) {
      out.printf(
          Locale.ROOT,
          "| %s | %s | %.1f | %.1f | %.1f | %.1f | %.3f | %.3f |%n",
          x.warmup() ? "warm-up " + x.round() : String.valueOf(x.round()),
          x.order(),
          x.bare(),
          x.spi(),
          x.decode(),
          x.guard(),
          x.guardRatio(),
          x.spiRatio());
    }
    out.printf(
        Locale.ROOT,
        "%nmedian of the measured rounds: guard / bare %.3f, SPI / bare %.3f%n",
        r.medianGuardRatio(),
        r.medianSpiRatio());
    out.printf("load average before %s, after %s%n", r.loadBefore(), r.loadAfter());
  }
}
