package dev.patguard.bench;

import dev.patguard.PatGuard;
import dev.patguard.decision.Decision;
import dev.patguard.fakebrms.Endpoint;
import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.Fault;
import dev.patguard.fakebrms.MintedToken;
import dev.patguard.token.PersonalAccessToken;
import dev.patguard.token.Project;
import dev.patguard.token.TokenJson;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.openjdk.jol.info.GraphLayout;

/**
 * Issue #7 item 6: what BRMS sees when many requests miss at once, PatGuard's cache vs the cache
 * users write today — a {@link ConcurrentHashMap} of results around the same {@link BrmsClient}, no
 * coalescing, no bound, no TTL ({@link HandWrittenCache}).
 *
 * <ol>
 *   <li><b>Thundering herd</b>: {@code misses} threads (default 1 000) released at once ask about
 *       one token the cache has never seen. fake-brms delays each self lookup by 100 ms, so the
 *       misses overlap as they would behind a slow BRMS.
 *   <li><b>Flood</b>: {@code floodThreads} request threads (default 200, Tomcat's default pool)
 *       present {@code floodTokens} distinct random secrets (default 100 000), for at most {@code
 *       floodSeconds} (default 60; loopback only), with fake-brms answering each self lookup after
 *       {@link #FLOOD_LATENCY}. Reported: requests done, upstream calls, peak concurrent upstream
 *       requests (fake-brms's counters) and the bytes the contender's cache retains afterwards (JOL
 *       over its entry maps; PatGuard: grants and rejections).
 * </ol>
 *
 * Run: {@code java -cp benchmarks/target/benchmarks.jar dev.patguard.bench.CoalescingMain [misses]
 * [floodTokens] [floodSeconds] [floodThreads]}
 */
public final class CoalescingMain {
  /** fake-brms's delay on each self lookup during the flood: a plausible BRMS round trip. */
  static final Duration FLOOD_LATENCY = Duration.ofMillis(20);

  static {
    System.setProperty("jol.magicFieldOffset", "true"); // JOL on records, as in MemoryMain
  }

  private CoalescingMain() {}

  /** One contender in one scenario. */
  record Row(
      String scenario,
      String contender,
      long requests,
      long permits,
      long upstream,
      int peakUpstream,
      long errors,
      long millis,
      long cacheBytes) {}

  /** A contender: answers "may this secret deploy to proj-1?" on the request thread. */
  interface Contender extends AutoCloseable {
    String name();

    /** PERMIT, DENY or ERROR. */
    String decide(String secret);

    /** Bytes the contender's cache retains now (JOL over its entry maps). */
    long cacheBytes() throws ReflectiveOperationException;

    @Override
    void close();
  }

  public static void main(String[] args) throws Exception {
    int misses = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
    int floodTokens = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    int floodSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
    int floodThreads = args.length > 3 ? Integer.parseInt(args[3]) : 200;
    run(misses, floodTokens, Duration.ofSeconds(floodSeconds), floodThreads, System.out);
  }

  static List<Row> run(
      int misses, int floodTokens, Duration floodBound, int floodThreads, PrintStream out)
      throws Exception {
    Locale.setDefault(Locale.ROOT);
    List<Row> rows = new ArrayList<>();
    try (FakeBrms brms = Loopback.startBrms()) {
      for (boolean patguard : new boolean[] {false, true}) {
        MintedToken token = Loopback.mintTypical(brms);
        brms.inject(Endpoint.SELF_LIST, Fault.latency(Duration.ofMillis(100)));
        rows.add(herd(brms, contender(brms, patguard), token.secret(), misses));
        brms.clearFaults();
      }
      List<String> secrets = randomSecrets(floodTokens);
      // A real BRMS answers in tens of milliseconds, not loopback microseconds; without a delay the
      // fake's single dispatcher thread, not the client, would cap the concurrency BRMS sees.
      brms.inject(Endpoint.SELF_LIST, Fault.latency(FLOOD_LATENCY));
      for (boolean patguard : new boolean[] {false, true}) {
        rows.add(flood(brms, () -> contender(brms, patguard), secrets, floodBound, floodThreads));
      }
      brms.clearFaults();
    }
    print(rows, misses, floodTokens, floodBound, floodThreads, out);
    return rows;
  }

  static Contender contender(FakeBrms brms, boolean patguard) {
    return patguard ? new PatGuardContender(brms) : new HandWrittenCache(brms);
  }

  private static Row herd(FakeBrms brms, Contender contender, String secret, int threads)
      throws InterruptedException {
    try (contender) {
      brms.resetCounters();
      CountDownLatch ready = new CountDownLatch(threads);
      CountDownLatch go = new CountDownLatch(1);
      LongAdder permits = new LongAdder();
      LongAdder errors = new LongAdder();
      List<Thread> workers = new ArrayList<>(threads);
      for (int i = 0; i < threads; i++) {
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
                  count(contender.decide(secret), permits, errors);
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
      return new Row(
          "herd: " + threads + " concurrent misses, one token",
          contender.name(),
          threads,
          permits.sum(),
          brms.requestCount(Endpoint.SELF_LIST),
          brms.peakConcurrency(Endpoint.SELF_LIST),
          errors.sum(),
          millis,
          0);
    }
  }

  private static Row flood(
      FakeBrms brms, Supplier<Contender> make, List<String> secrets, Duration bound, int threads)
      throws InterruptedException, ReflectiveOperationException {
    Contender contender = make.get();
    try (contender) {
      brms.resetCounters();
      AtomicInteger next = new AtomicInteger();
      LongAdder permits = new LongAdder();
      LongAdder errors = new LongAdder();
      LongAdder done = new LongAdder();
      long deadline = System.nanoTime() + bound.toNanos();
      List<Thread> workers = new ArrayList<>(threads);
      long started = System.nanoTime();
      for (int i = 0; i < threads; i++) {
        Thread t =
            new Thread(
                () -> {
                  int k;
                  while ((k = next.getAndIncrement()) < secrets.size()
                      && System.nanoTime() < deadline) {
                    count(contender.decide(secrets.get(k)), permits, errors);
                    done.increment();
                  }
                },
                "flood-" + i);
        t.setDaemon(true);
        workers.add(t);
        t.start();
      }
      for (Thread t : workers) {
        t.join();
      }
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      long cacheBytes = contender.cacheBytes();
      return new Row(
          "flood: " + secrets.size() + " random tokens, " + threads + " threads",
          contender.name(),
          done.sum(),
          permits.sum(),
          brms.requestCount(Endpoint.SELF_LIST),
          brms.peakConcurrency(Endpoint.SELF_LIST),
          errors.sum(),
          millis,
          cacheBytes);
    }
  }

  private static void count(String outcome, LongAdder permits, LongAdder errors) {
    if (outcome.equals("PERMIT")) {
      permits.increment();
    } else if (outcome.equals("ERROR")) {
      errors.increment();
    }
  }

  static List<String> randomSecrets(int n) {
    Random random = new SecureRandom();
    String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    List<String> secrets = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      char[] c = new char[40];
      for (int j = 0; j < c.length; j++) {
        c[j] = alphabet.charAt(random.nextInt(alphabet.length()));
      }
      secrets.add(new String(c));
    }
    return secrets;
  }

  private static void print(
      List<Row> rows, int misses, int floodTokens, Duration bound, int threads, PrintStream out) {
    out.printf("%n## Coalescing and flood: PatGuard vs a hand-written ConcurrentHashMap cache%n%n");
    out.printf(
        "herd: %d threads, fake-brms SELF_LIST latency 100 ms; flood: %d distinct random secrets, %d threads,"
            + " SELF_LIST latency %d ms, bounded at %d s%n%n",
        misses, floodTokens, threads, FLOOD_LATENCY.toMillis(), bound.toSeconds());
    out.printf(
        "| scenario | contender | requests done | permits | upstream calls | peak concurrent upstream"
            + " | errors/indeterminate | wall ms | cache retains after (JOL) |%n|---|---|---:|---:|---:|---:|---:|---:|---:|%n");
    for (Row r : rows) {
      out.printf(
          "| %s | %s | %d | %d | %d | %d | %d | %d | %s |%n",
          r.scenario(),
          r.contender(),
          r.requests(),
          r.permits(),
          r.upstream(),
          r.peakUpstream(),
          r.errors(),
          r.millis(),
          r.scenario().startsWith("herd")
              ? "-"
              : String.format(Locale.ROOT, "%.2f MiB", r.cacheBytes() / 1048576.0));
    }
  }

  /**
   * PatGuard with its defaults (TTL 60 s, negative TTL 5 s, 10 000 + 10 000 entries, 16 lookups at
   * once).
   */
  static final class PatGuardContender implements Contender {
    private final PatGuard guard;

    PatGuardContender(FakeBrms brms) {
      guard = PatGuard.builder().baseUrl(brms.baseUrl()).build();
    }

    @Override
    public String name() {
      return "PatGuard (coalescing, bounded, bulkhead 16)";
    }

    @Override
    public String decide(String secret) {
      Decision d = guard.decideBlocking(secret, Loopback.PERMIT);
      return d.isPermit() ? "PERMIT" : d instanceof Decision.Indeterminate ? "ERROR" : "DENY";
    }

    @Override
    public long cacheBytes() throws ReflectiveOperationException {
      Object cache = MemoryMain.field(guard, "cache");
      Object grants =
          MemoryMain.field(MemoryMain.field(MemoryMain.field(cache, "grants"), "cache"), "data");
      Object rejections =
          MemoryMain.field(
              MemoryMain.field(MemoryMain.field(cache, "rejections"), "cache"), "data");
      return GraphLayout.parseInstance(grants, rejections).totalSize();
    }

    @Override
    public void close() {
      guard.close();
    }
  }

  /**
   * The cache users write today: results by secret in a {@code ConcurrentHashMap}, rejections
   * included (an empty list), outages not cached; check, call, put — no coalescing, no bound, no
   * expiry.
   */
  static final class HandWrittenCache implements Contender {
    private final HttpClient http =
        HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final URI selfList;
    private final ConcurrentHashMap<String, List<PersonalAccessToken>> results =
        new ConcurrentHashMap<>();

    HandWrittenCache(FakeBrms brms) {
      selfList = brms.baseUrl().resolve("/api/personal-access-tokens");
    }

    @Override
    public String name() {
      return "hand-written ConcurrentHashMap";
    }

    @Override
    public String decide(String secret) {
      List<PersonalAccessToken> tokens = results.get(secret);
      if (tokens == null) {
        // What a user writes: the JDK client and the token JSON reader, 401 as "no tokens".
        try {
          HttpResponse<byte[]> r =
              http.send(
                  HttpRequest.newBuilder(selfList)
                      .GET()
                      .header("Authorization", "Bearer " + secret)
                      .header("Accept", "application/json")
                      .build(),
                  HttpResponse.BodyHandlers.ofByteArray());
          if (r.statusCode() == 401) {
            tokens = List.of();
          } else if (r.statusCode() == 200) {
            tokens = TokenJson.parseTokenList(r.body());
          } else {
            return "ERROR";
          }
        } catch (IOException | RuntimeException e) {
          return "ERROR";
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return "ERROR";
        }
        results.put(secret, tokens);
      }
      for (PersonalAccessToken t : tokens) {
        if (t.permissions().contains("releases:deploy")
            && t.projects().stream().map(Project::key).anyMatch(Fixtures.projectKey(1)::equals)) {
          return "PERMIT";
        }
      }
      return "DENY";
    }

    @Override
    public long cacheBytes() {
      return GraphLayout.parseInstance(results).totalSize();
    }

    @Override
    public void close() {
      results.clear();
    }
  }
}
