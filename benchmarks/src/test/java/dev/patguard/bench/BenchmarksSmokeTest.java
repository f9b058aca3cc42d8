package dev.patguard.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark and measurement program for a moment, in this JVM, so that a broken
 * benchmark fails the build. It asserts only that each produced a result: no speed or size targets
 * are checked here (CI machines are shared and noisy; see RESULTS.md for the figures).
 */
class BenchmarksSmokeTest {
  static {
    // JMH's lock keeps two measuring runs apart; a smoke run measures nothing, so it must not fail
    // (or make a real run fail) because another JMH run on the machine holds /tmp/jmh.lock.
    System.setProperty("jmh.ignoreLock", "true");
  }

  private static Collection<RunResult> runBriefly(Class<?> benchmark) throws RunnerException {
    Options options =
        new OptionsBuilder()
            .include("^" + benchmark.getName().replace(".", "\\.") + "\\.")
            .forks(0)
            .warmupIterations(0)
            .measurementIterations(1)
            .measurementTime(TimeValue.milliseconds(100))
            .shouldFailOnError(true)
            .build();
    return new Runner(options).run();
  }

  /**
   * Asserts that every {@code @Benchmark} method the class declares ran once per parameter
   * combination and produced a score. The expected methods are read from the class, so adding a
   * benchmark cannot break this test and dropping one from the run cannot pass it.
   */
  private static void assertEachProducedAScore(
      Class<?> benchmark, Collection<RunResult> results, int parameterCombinations) {
    SortedSet<String> declared = new TreeSet<>();
    for (Method m : benchmark.getDeclaredMethods()) {
      if (m.isAnnotationPresent(Benchmark.class)) {
        declared.add(m.getName());
      }
    }
    assertFalse(declared.isEmpty(), benchmark + " declares no benchmark");
    SortedSet<String> run = new TreeSet<>();
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark();
      run.add(name.substring(name.lastIndexOf('.') + 1));
      double score = r.getPrimaryResult().getScore();
      assertTrue(
          score > 0 && !Double.isNaN(score), name + " " + r.getParams() + " produced no score");
    }
    assertEquals(declared, run, "the benchmarks run are the ones " + benchmark + " declares");
    assertEquals(declared.size() * parameterCombinations, results.size(), "benchmarks run");
  }

  private static void assertEachProducedAScore(Class<?> benchmark) throws RunnerException {
    assertEachProducedAScore(benchmark, runBriefly(benchmark), 1);
  }

  @Test
  void decisionBenchmarkWhenRunBrieflyThenEveryContenderAndSizeProducesAScore()
      throws RunnerException {
    // every method x permissions {3, 19} x projects {2, 50}
    assertEachProducedAScore(DecisionBenchmark.class, runBriefly(DecisionBenchmark.class), 4);
  }

  @Test
  void cacheHitBenchmarkWhenRunBrieflyThenEachMethodProducesAScore() throws RunnerException {
    assertEachProducedAScore(CacheHitBenchmark.class);
  }

  @Test
  void coldLookupBenchmarkWhenRunBrieflyThenEachMethodProducesAScore() throws RunnerException {
    assertEachProducedAScore(ColdLookupBenchmark.class);
  }

  @Test
  void filterOverheadBenchmarkWhenRunBrieflyThenEachMethodProducesAScore() throws RunnerException {
    // both filters, route matching alone, the guard's decision alone
    assertEachProducedAScore(FilterOverheadBenchmark.class);
  }

  @Test
  void filterThroughputMainWhenRunSmallThenItReportsARatioPerPair() throws Exception {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    FilterThroughputMain.Result r =
        FilterThroughputMain.run(
            300, 1, 4, 200, new PrintStream(text, true, StandardCharsets.UTF_8));
    assertEquals(1, r.ratios().size(), "one pair");
    assertTrue(r.medianRatio() > 0, "a ratio");
    assertTrue(text.toString(StandardCharsets.UTF_8).contains("| pair |"), "the table is printed");
    assertTrue(
        r.warmupRounds().size() >= 2 * FilterThroughputMain.MIN_WARMUP_PAIRS,
        "the warm-up pairs are run");
    assertTrue(
        text.toString(StandardCharsets.UTF_8).contains("| warm-up pair |"),
        "the warm-up rounds are printed");
  }

  @ParameterizedTest
  @EnumSource(SpringThroughputMain.Apps.class)
  void springThroughputMainWhenRunSmallThenItReportsEveryRatioPerRound(
      SpringThroughputMain.Apps apps) throws Exception {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    SpringThroughputMain.Result r =
        SpringThroughputMain.run(
            Duration.ofMillis(200),
            2,
            2,
            1,
            apps,
            new PrintStream(text, true, StandardCharsets.UTF_8));
    assertEquals(apps, r.apps());
    assertEquals(10, r.rounds().size(), "five variants, two measured rounds");
    for (SpringThroughputMain.Ratio ratio :
        List.of(
            r.filterVsUnguarded(),
            r.patguardVsUnguarded(),
            r.patguardVsFloor(),
            r.patguardVsOpaque(),
            r.cpuFilterVsUnguarded(),
            r.cpuPatguardVsFloor(),
            r.cpuPatguardVsOpaque())) {
      assertEquals(2, ratio.perRound().size(), "one ratio per round: " + ratio);
      assertTrue(ratio.median() > 0, "a median: " + ratio);
      assertTrue(Double.isNaN(ratio.low()), "two rounds are too few for a 95 % interval");
    }
    assertEquals(5, r.warmupRounds().size(), "the warm-up round ran every variant");
    for (SpringThroughputMain.Round round : r.rounds()) {
      // After the warm-up each app's Tomcat threads are known, so every round has its CPU.
      assertTrue(round.serverCpuNanos() > 0, "server CPU measured: " + round);
    }
    String printed = text.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("| round |"), "the table is printed");
    assertTrue(printed.contains("median server CPU per request"), "the CPU is printed");
    assertTrue(printed.contains("target >= 0.95: undecided"), "the verdicts are printed");
    assertTrue(printed.contains("load average before"), "the load is printed");
  }

  @Test
  void springThroughputRatioWhenEnoughRoundsThenItsIntervalIsTheBinomialOrderStatistics() {
    // n = 6: P(B <= 0) = 1/64 <= 2.5 %, P(B <= 1) = 7/64 > 2.5 %: the extremes bound the median.
    assertEquals(1, SpringThroughputMain.Ratio.lowerRank(6));
    assertEquals(0, SpringThroughputMain.Ratio.lowerRank(5), "5 rounds cannot give 95 %");
    // n = 60: the 22nd smallest and 22nd largest (P(B <= 21) = 1.37 %, P(B <= 22) = 2.59 %).
    assertEquals(22, SpringThroughputMain.Ratio.lowerRank(60));
    List<Double> values = new ArrayList<>();
    for (int i = 60; i >= 1; i--) {
      values.add((double) i);
    }
    values.add(Double.NaN); // a round without a figure is left out, not counted as a value
    SpringThroughputMain.Ratio r = SpringThroughputMain.Ratio.of(values);
    assertEquals(30.5, r.median());
    assertEquals(22.0, r.low());
    assertEquals(39.0, r.high());
    assertEquals("met", r.against(22.0));
    assertEquals("not met", r.against(39.5));
    assertEquals("undecided (the interval spans the target)", r.against(30));
  }

  @Test
  void coldLookupPairsMainWhenRunSmallThenItReportsBothRatiosPerRound() throws Exception {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    ColdLookupPairsMain.Result r =
        ColdLookupPairsMain.run(2, 5, 1, new PrintStream(text, true, StandardCharsets.UTF_8));
    assertEquals(2, r.blockingRatios().size(), "one ratio per measured round");
    assertEquals(2, r.asyncRatios().size(), "one ratio per measured round");
    assertEquals(6, r.timings().size(), "three contenders, two measured rounds");
    assertTrue(r.medianBlockingRatio() > 0 && r.medianAsyncRatio() > 0, "ratios");
    assertTrue(
        text.toString(StandardCharsets.UTF_8).contains("| contender |"), "the summary is printed");
  }

  @Test
  void memoryMainWhenRunOnAFewEntriesThenItReportsBytesPerEntry() throws Exception {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    MemoryMain.Result r =
        MemoryMain.run(300, 200, 20, 10, new PrintStream(text, true, StandardCharsets.UTF_8));
    assertTrue(r.bytesPerEntry() > 0, "synthetic bytes per entry");
    assertTrue(r.realBytesPerEntry() > 0, "real bytes per entry");
    assertTrue(r.fleet().bytesPerEntry() > 0, "fleet bytes per entry");
    assertTrue(r.realFleet().bytesPerEntry() > 0, "real fleet bytes per entry");
    assertTrue(
        r.fleet().bytesPerEntry() < r.worst().bytesPerEntry(),
        "20 owners and 10 projects over 300 tokens: entries share what the worst case cannot");
    assertTrue(
        text.toString(StandardCharsets.UTF_8).contains("| measurement |"), "the table is printed");
  }

  @Test
  void coalescingMainWhenRunSmallThenItPrintsOneRowPerScenarioAndContender() throws Exception {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    List<CoalescingMain.Row> rows =
        CoalescingMain.run(
            20, 200, Duration.ofSeconds(2), 8, new PrintStream(text, true, StandardCharsets.UTF_8));
    assertEquals(4, rows.size(), "herd and flood, for both contenders");
    for (CoalescingMain.Row r : rows) {
      assertTrue(r.requests() > 0, r + " made no request");
    }
    assertFalse(text.toString(StandardCharsets.UTF_8).isEmpty(), "the table is printed");
  }

  @Test
  void sharedHitBenchmarkWhenRunBrieflyThenEachMethodProducesAScore() throws RunnerException {
    // bare GET, bare async GET, the SPI read, the decode, the L1-miss/L2-hit decision, the drop
    assertEachProducedAScore(SharedHitBenchmark.class);
  }

  @Test
  void sharedHitPairsMainWhenRunSmallThenItReportsBothRatiosPerRound() {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    SharedHitPairsMain.Result r =
        SharedHitPairsMain.run(2, 20, 1, new PrintStream(text, true, StandardCharsets.UTF_8));
    assertEquals(3, r.rounds().size(), "one warm-up and two measured rounds");
    assertTrue(r.rounds().get(2).decode() > 0, "the decode is timed");
    assertTrue(r.medianGuardRatio() > 0 && r.medianSpiRatio() > 0, "ratios");
    assertTrue(text.toString(StandardCharsets.UTF_8).contains("| round |"), "the table is printed");
  }

  @Test
  void fleetCoalescingMainWhenRunSmallThenItReportsBrmsCallsWithAndWithoutTheSharedLevel()
      throws Exception {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    FleetCoalescingMain.Result r =
        FleetCoalescingMain.run(
            3,
            30,
            6,
            3,
            Duration.ofMillis(20),
            new PrintStream(text, true, StandardCharsets.UTF_8));
    assertEquals(4, r.rows().size(), "herd and spread, with and without the shared level");
    for (FleetCoalescingMain.Row row : r.rows()) {
      assertTrue(row.brmsCalls() > 0 && row.permits() > 0, row + " produced no result");
    }
    assertTrue(
        text.toString(StandardCharsets.UTF_8).contains("| scenario |"), "the table is printed");
  }

  @Test
  void fleetProcessesMainWhenRunSmallThenEachReplicaProcessAnswers() throws Exception {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    List<FleetProcessesMain.Row> rows =
        FleetProcessesMain.run(
            2,
            4,
            2,
            1,
            Duration.ofMillis(20),
            false,
            new PrintStream(text, true, StandardCharsets.UTF_8));
    assertEquals(4, rows.size(), "herd and spread, with and without the shared level");
    for (FleetProcessesMain.Row row : rows) {
      assertEquals(row.requests(), row.permits() + row.others(), row + ": every request answered");
      assertTrue(row.brmsCalls() > 0, row + " made no BRMS call");
    }
    assertTrue(
        text.toString(StandardCharsets.UTF_8).contains("| scenario |"), "the table is printed");
  }

  @Test
  void fleetRevocationMainWhenRunSmallThenItReportsADelayPerReplicaReached() throws Exception {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    FleetRevocationMain.Result r =
        FleetRevocationMain.run(3, 5, 1, new PrintStream(text, true, StandardCharsets.UTF_8));
    assertEquals(10, r.perReplicaNanos().length, "two other replicas reached in each of 5 rounds");
    assertEquals(5, r.perRoundNanos().length, "one fleet-wide delay per round");
    assertTrue(r.perRoundNanos()[0] > 0, "a delay was measured");
    assertTrue(text.toString(StandardCharsets.UTF_8).contains("p99 ms"), "the table is printed");
  }

  @Test
  void fleetSoakMainWhenRedisIsKilledMidRunThenNoRequestIsFalselyPermitted() throws Exception {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    FleetSoakMain.Result r =
        FleetSoakMain.run(900, 4, 10, 2, new PrintStream(text, true, StandardCharsets.UTF_8));
    // A correctness assertion, not a speed target: with Redis down and BRMS faulting, a token that
    // must not pass never does.
    assertEquals(0, r.falsePermits(), text.toString(StandardCharsets.UTF_8));
    assertEquals(0, r.permitsWithoutPrincipal(), "200s whose servlet saw no principal");
    assertEquals(0, r.clientErrors(), "requests without an answer");
    assertEquals(3, r.phases().size(), "before, down, after");
    assertEquals(
        900, r.phases().stream().mapToInt(FleetSoakMain.Phase::requests).sum(), "every request");
    assertTrue(r.phases().get(1).requests() > 0, "requests were sent while Redis was down");
    assertTrue(r.phases().get(1).decisions() > 0, "decisions went on while Redis was down");
  }
}
