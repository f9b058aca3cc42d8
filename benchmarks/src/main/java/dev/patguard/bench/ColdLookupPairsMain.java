package dev.patguard.bench;

import dev.patguard.PatGuard;
import dev.patguard.decision.Decision;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Issue #7 item 4 measured in interleaved rounds: the cold lookup's ratio to a bare JDK {@code
 * HttpClient.send} of the same request, where both contenders run back to back many times over, so
 * that a change in the machine's load (it is shared) lands on both sides of each ratio instead of
 * on one JMH trial. {@link ColdLookupBenchmark} gives the absolute figures.
 *
 * <p>Contenders, each timed over {@code perRound} calls in a row:
 *
 * <ul>
 *   <li>{@code bare} — {@code HttpClient.send} of the self-list request, body read as bytes;
 *   <li>{@code blocking} — {@code PatGuard.invalidate} then {@code decideBlocking} (the BRMS call
 *       runs on the calling thread), checked to permit;
 *   <li>{@code async} — the same through {@code decide(...).join()} (the call runs on patguard's
 *       pool), checked to permit.
 * </ul>
 *
 * Each round runs the three in a rotated order (bare first, then blocking first, then async first);
 * the ratio of a round is its contender's µs per call over bare's in the same round. Warm-up rounds
 * run first and are printed but not counted. Beside wall time, each run records the process's CPU
 * time per call (client, fake-brms server, JIT and GC together): on a shared machine, wall time
 * also counts the moments other processes held the CPUs, CPU time does not.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.patguard.bench.ColdLookupPairsMain
 * [rounds] [perRound] [warmupRounds]} (defaults 15 300 5).
 */
public final class ColdLookupPairsMain {
  private ColdLookupPairsMain() {}

  /** One contender's run of {@code calls} in one round. */
  public record Timing(int round, String contender, int calls, long nanos, long cpuNanos) {
    double microsPerCall() {
      return nanos / 1_000.0 / calls;
    }

    double cpuMicrosPerCall() {
      return cpuNanos / 1_000.0 / calls;
    }
  }

  /** What a run found: every timing, and per measured round the two ratios to bare. */
  public record Result(
      List<Timing> timings,
      List<Double> blockingRatios,
      List<Double> asyncRatios,
      List<Double> blockingCpuRatios,
      List<Double> asyncCpuRatios) {
    public double medianBlockingRatio() {
      return median(blockingRatios);
    }

    public double medianAsyncRatio() {
      return median(asyncRatios);
    }
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    run(rounds, perRound, warmup, System.out);
  }

  @FunctionalInterface
  private interface Call {
    void run() throws Exception;
  }

  public static Result run(int rounds, int perRound, int warmupRounds, PrintStream out)
      throws Exception {
    try (Loopback loopback = new Loopback()) {
      PatGuard guard = loopback.guard();
      try {
        HttpClient http =
            HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        URI selfList = loopback.brms.baseUrl().resolve("/api/personal-access-tokens");
        String secret = loopback.token.secret();
        HttpRequest request =
            HttpRequest.newBuilder(selfList)
                .GET()
                .header("Authorization", "Bearer " + secret)
                .header("Accept", "application/json")
                .build();
        Call bare =
            () -> {
              HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
              if (r.statusCode() != 200 || r.body().length == 0) {
                throw new IllegalStateException("fake-brms answered " + r.statusCode());
              }
            };
        Call blocking =
            () -> {
              guard.invalidate(secret);
              permitted(guard.decideBlocking(secret, Loopback.PERMIT));
            };
        Call async =
            () -> {
              guard.invalidate(secret);
              permitted(guard.decide(secret, Loopback.PERMIT).join());
            };
        String[] names = {"bare", "blocking", "async"};
        Call[] calls = {bare, blocking, async};

        List<Timing> timings = new ArrayList<>();
        List<Double> blockingRatios = new ArrayList<>();
        List<Double> asyncRatios = new ArrayList<>();
        List<Double> blockingCpuRatios = new ArrayList<>();
        List<Double> asyncCpuRatios = new ArrayList<>();
        out.printf(
            Locale.ROOT,
            "cold lookup, interleaved: %d warm-up + %d measured rounds of %d calls per contender%n%n",
            warmupRounds,
            rounds,
            perRound);
        out.println(
            "| round | order | bare us | blocking us | async us | blocking / bare | async / bare "
                + "| CPU us: bare | blocking | async | CPU blocking / bare | CPU async / bare |");
        out.println("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int round = 1 - warmupRounds; round <= rounds; round++) {
          int first = Math.floorMod(round, 3);
          long[] nanos = new long[3];
          long[] cpu = new long[3];
          StringBuilder order = new StringBuilder();
          for (int k = 0; k < 3; k++) {
            int c = (first + k) % 3;
            order.append(k == 0 ? "" : " ").append(names[c]);
            long cpuStart = PROCESS.getProcessCpuTime();
            long start = System.nanoTime();
            for (int i = 0; i < perRound; i++) {
              calls[c].run();
            }
            nanos[c] = System.nanoTime() - start;
            cpu[c] = PROCESS.getProcessCpuTime() - cpuStart;
          }
          double b = nanos[0] / 1_000.0 / perRound;
          double bl = nanos[1] / 1_000.0 / perRound;
          double as = nanos[2] / 1_000.0 / perRound;
          double cb = cpu[0] / 1_000.0 / perRound;
          double cbl = cpu[1] / 1_000.0 / perRound;
          double cas = cpu[2] / 1_000.0 / perRound;
          boolean measured = round >= 1;
          out.printf(
              Locale.ROOT,
              "| %s | %s | %.1f | %.1f | %.1f | %.3f | %.3f | %.1f | %.1f | %.1f | %.3f | %.3f |%n",
              measured ? Integer.toString(round) : "warm-up",
              order,
              b,
              bl,
              as,
              bl / b,
              as / b,
              cb,
              cbl,
              cas,
              cbl / cb,
              cas / cb);
          if (measured) {
            for (int c = 0; c < 3; c++) {
              timings.add(new Timing(round, names[c], perRound, nanos[c], cpu[c]));
            }
            blockingRatios.add(bl / b);
            asyncRatios.add(as / b);
            blockingCpuRatios.add(cbl / cb);
            asyncCpuRatios.add(cas / cb);
          }
        }
        Result result =
            new Result(
                List.copyOf(timings),
                List.copyOf(blockingRatios),
                List.copyOf(asyncRatios),
                List.copyOf(blockingCpuRatios),
                List.copyOf(asyncCpuRatios));
        out.printf(
            Locale.ROOT,
            "%n| contender | median wall us per call | median wall ratio to bare (min-max over rounds) "
                + "| median CPU us per call | median CPU ratio to bare (min-max) |%n");
        out.println("|---|---:|---:|---:|---:|");
        for (String name : names) {
          List<Double> micros = new ArrayList<>();
          List<Double> cpuMicros = new ArrayList<>();
          for (Timing t : timings) {
            if (t.contender().equals(name)) {
              micros.add(t.microsPerCall());
              cpuMicros.add(t.cpuMicrosPerCall());
            }
          }
          boolean blockingRow = name.equals("blocking");
          List<Double> ratios =
              name.equals("bare") ? null : blockingRow ? blockingRatios : asyncRatios;
          List<Double> cpuRatios =
              name.equals("bare") ? null : blockingRow ? blockingCpuRatios : asyncCpuRatios;
          out.printf(
              Locale.ROOT,
              "| %s | %.1f | %s | %.1f | %s |%n",
              name,
              median(micros),
              spread(ratios),
              median(cpuMicros),
              spread(cpuRatios));
        }
        return result;
      } finally {
        guard.close();
      }
    }
  }

  private static final com.sun.management.OperatingSystemMXBean PROCESS =
      (com.sun.management.OperatingSystemMXBean)
          java.lang.management.ManagementFactory.getOperatingSystemMXBean();

  private static String spread(@org.jspecify.annotations.Nullable List<Double> ratios) {
    return ratios == null
        ? "1 (baseline)"
        : String.format(
            Locale.ROOT,
            "%.3f (%.3f-%.3f)",
            median(ratios),
            Collections.min(ratios),
            Collections.max(ratios));
  }

  private static void permitted(Decision d) {
    if (!d.isPermit()) {
      throw new IllegalStateException("a cold decision was not a permit: " + d.explain());
    }
  }

  static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
