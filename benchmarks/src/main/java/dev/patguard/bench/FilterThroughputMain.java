package dev.patguard.bench;

import dev.patguard.PatGuard;
import dev.patguard.servlet.PatGuardFilter;
import dev.patguard.servlet.PatGuardPrincipal;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.io.ConnectionStatistics;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Issue #7 item 3, end to end: one embedded Jetty 12 (ee10) on 127.0.0.1, one context, one trivial
 * servlet on "/*"; {@link PatGuardFilter} is mapped on {@code /g/*} only (REQUEST and ASYNC,
 * async-supported), so {@code /g/api/projects/proj-1/releases/deploy} is guarded (the 20th rule of
 * a 20-rule policy, warmed cache) and {@code /u/api/projects/proj-1/releases/deploy} is the same
 * servlet unguarded. Same server, connector, thread pool and client for both.
 *
 * <p>One JDK {@link HttpClient} (HTTP/1.1, keep-alive) and {@code concurrency} threads each sending
 * blocking GETs (the same {@code Authorization: Bearer} header on both paths) until {@code
 * requests} are done: one round. Rounds come in pairs, one of each path, alternating G U, U G, G U,
 * ... (the ABBA order cancels a linear drift in the load), and each pair gives a ratio
 * guarded/unguarded of throughput. Every response must be 200 with the servlet's body, and the
 * guarded servlet must see a {@link PatGuardPrincipal}; no guarded request may go upstream after
 * the warm-up.
 *
 * <p><b>The warm-up rule</b>: warm-up pairs of {@code warmup} requests a round, at least {@value
 * #MIN_WARMUP_PAIRS}, until a pair's guarded and unguarded rates are each within {@value
 * #STABLE_PERCENT} % of the previous pair's, or {@code maxWarmupPairs} pairs were run (then the
 * output says the rates had not settled). Then {@code pairs} measured pairs; the result is the
 * <b>median ratio of the measured pairs</b>. Every round is printed, the warm-up ones in a table of
 * their own, so that nothing is hidden.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.patguard.bench.FilterThroughputMain \
 *     [requests=20000] [pairs=5] [concurrency=8] [warmup=20000] [maxWarmupPairs=10]
 * </pre>
 */
public final class FilterThroughputMain {
  static final String GUARDED = "/g";
  static final String UNGUARDED = "/u";

  /** Warm-up pairs run whatever the rates do. */
  static final int MIN_WARMUP_PAIRS = 3;

  /**
   * How close (percent) a warm-up pair's rates must be to the previous pair's to end the warm-up.
   */
  static final int STABLE_PERCENT = 5;

  /** One timed round. */
  public record Round(String path, int requests, long nanos) {
    double perSecond() {
      return requests * 1e9 / nanos;
    }
  }

  /**
   * The measured pairs' ratios and their summary, and the warm-up rounds (not counted).
   *
   * @param warmupSettled whether the warm-up ended by the rule (rates settled) rather than at its
   *     limit
   */
  public record Result(
      List<Round> rounds,
      List<Double> ratios,
      double medianRatio,
      double minRatio,
      double maxRatio,
      double guardedMedianPerSecond,
      double unguardedMedianPerSecond,
      long connections,
      List<Round> warmupRounds,
      boolean warmupSettled) {}

  private FilterThroughputMain() {}

  public static void main(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int pairs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 20_000;
    int maxWarmupPairs = args.length > 4 ? Integer.parseInt(args[4]) : 10;
    run(requests, pairs, concurrency, warmup, maxWarmupPairs, System.out);
  }

  /**
   * The servlet on both paths: checks who the filter says is calling (guarded only), answers "ok".
   */
  static final class App extends HttpServlet {
    private static final long serialVersionUID = 1L;
    final transient AtomicLong guardedWithoutPrincipal = new AtomicLong();

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
      if (req.getRequestURI().startsWith(GUARDED + "/")
          && !(req.getUserPrincipal() instanceof PatGuardPrincipal)) {
        guardedWithoutPrincipal.incrementAndGet();
      }
      res.setContentType("text/plain");
      res.setContentLength(2);
      res.getOutputStream().write(OK);
    }

    private static final byte[] OK = "ok".getBytes(StandardCharsets.US_ASCII);
  }

  /** {@link #run(int, int, int, int, int, PrintStream)} with at most 10 warm-up pairs. */
  public static Result run(int requests, int pairs, int concurrency, int warmup, PrintStream out)
      throws Exception {
    return run(requests, pairs, concurrency, warmup, 10, out);
  }

  public static Result run(
      int requests, int pairs, int concurrency, int warmup, int maxWarmupPairs, PrintStream out)
      throws Exception {
    if (maxWarmupPairs < MIN_WARMUP_PAIRS) {
      throw new IllegalArgumentException("maxWarmupPairs must be at least " + MIN_WARMUP_PAIRS);
    }
    try (Loopback loopback = new Loopback();
        PatGuard guard = loopback.warmGuard()) {
      App app = new App();
      QueuedThreadPool pool = new QueuedThreadPool(32, 8);
      pool.setDaemon(true);
      Server server = new Server(pool);
      ServerConnector connector = new ServerConnector(server, 1, 1);
      connector.setHost("127.0.0.1");
      connector.setPort(0);
      ConnectionStatistics connections = new ConnectionStatistics();
      connector.addBean(connections);
      server.addConnector(connector);
      ServletContextHandler context = new ServletContextHandler("/");
      ServletHolder servlet = new ServletHolder("app", app);
      servlet.setAsyncSupported(true);
      context.addServlet(servlet, "/*");
      FilterHolder filter =
          new FilterHolder(
              PatGuardFilter.builder().guard(guard).policy(FilterFixtures.policy(GUARDED)).build());
      filter.setAsyncSupported(true);
      context.addFilter(
          filter, GUARDED + "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
      server.setHandler(context);
      server.start();
      ExecutorService senders =
          Executors.newFixedThreadPool(
              concurrency,
              r -> {
                Thread t = new Thread(r, "sender");
                t.setDaemon(true);
                return t;
              });
      try {
        HttpClient http =
            HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        URI origin = URI.create("http://127.0.0.1:" + connector.getLocalPort());
        String auth = "Bearer " + loopback.token.secret();
        List<Round> warmupRounds = new ArrayList<>();
        boolean settled = false;
        for (int p = 0; p < maxWarmupPairs && !settled; p++) {
          pair(http, senders, origin, auth, warmup, concurrency, p % 2 == 0, warmupRounds);
          if (p + 1 >= MIN_WARMUP_PAIRS) {
            settled =
                within(rate(warmupRounds, p, GUARDED), rate(warmupRounds, p - 1, GUARDED))
                    && within(
                        rate(warmupRounds, p, UNGUARDED), rate(warmupRounds, p - 1, UNGUARDED));
          }
        }
        long upstreamAfterWarm = guard.cacheStats().upstreamLookups();

        List<Round> rounds = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (int p = 0; p < pairs; p++) {
          pair(http, senders, origin, auth, requests, concurrency, p % 2 == 0, rounds);
          ratios.add(rate(rounds, p, GUARDED) / rate(rounds, p, UNGUARDED));
        }
        if (guard.cacheStats().upstreamLookups() != upstreamAfterWarm) {
          throw new IllegalStateException("guarded requests went upstream: " + guard.cacheStats());
        }
        if (app.guardedWithoutPrincipal.get() != 0) {
          throw new IllegalStateException(
              app.guardedWithoutPrincipal.get() + " guarded requests had no principal");
        }
        Result result =
            summarise(rounds, ratios, connections.getConnectionsTotal(), warmupRounds, settled);
        print(result, requests, concurrency, warmup, out);
        return result;
      } finally {
        senders.shutdownNow();
        server.stop();
      }
    }
  }

  /** Runs one pair of rounds (guarded first or not) and adds both to {@code rounds}. */
  private static void pair(
      HttpClient http,
      ExecutorService senders,
      URI origin,
      String auth,
      int requests,
      int concurrency,
      boolean guardedFirst,
      List<Round> rounds)
      throws Exception {
    rounds.add(
        timed(
            http,
            senders,
            origin,
            guardedFirst ? GUARDED : UNGUARDED,
            auth,
            requests,
            concurrency));
    rounds.add(
        timed(
            http,
            senders,
            origin,
            guardedFirst ? UNGUARDED : GUARDED,
            auth,
            requests,
            concurrency));
  }

  /** The rate of {@code prefix} in pair {@code p} of {@code rounds} (two rounds a pair). */
  private static double rate(List<Round> rounds, int p, String prefix) {
    Round a = rounds.get(2 * p);
    return (a.path().equals(prefix) ? a : rounds.get(2 * p + 1)).perSecond();
  }

  private static boolean within(double rate, double previous) {
    return Math.abs(rate / previous - 1) * 100 < STABLE_PERCENT;
  }

  private static Round timed(
      HttpClient http,
      ExecutorService senders,
      URI origin,
      String prefix,
      String auth,
      int requests,
      int concurrency)
      throws Exception {
    long start = System.nanoTime();
    round(http, senders, origin.resolve(prefix + FilterFixtures.PATH), auth, requests, concurrency);
    return new Round(prefix, requests, System.nanoTime() - start);
  }

  /**
   * Sends {@code requests} GETs from {@code concurrency} threads; every answer must be 200 "ok".
   */
  private static void round(
      HttpClient http, ExecutorService senders, URI uri, String auth, int requests, int concurrency)
      throws Exception {
    HttpRequest request = HttpRequest.newBuilder(uri).GET().header("Authorization", auth).build();
    AtomicInteger left = new AtomicInteger(requests);
    List<Future<Void>> done = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      done.add(
          senders.submit(
              () -> {
                while (left.getAndDecrement() > 0) {
                  HttpResponse<String> r;
                  try {
                    r = http.send(request, HttpResponse.BodyHandlers.ofString());
                  } catch (IOException e) {
                    throw new IOException(
                        uri + " after " + (requests - left.get()) + " requests: " + e.getMessage(),
                        e);
                  }
                  if (r.statusCode() != 200 || !"ok".equals(r.body())) {
                    throw new IllegalStateException(
                        uri + " answered " + r.statusCode() + ": " + r.body());
                  }
                }
                return null;
              }));
    }
    for (Future<Void> f : done) {
      f.get();
    }
  }

  private static Result summarise(
      List<Round> rounds,
      List<Double> ratios,
      long connections,
      List<Round> warmupRounds,
      boolean settled) {
    List<Double> sorted = new ArrayList<>(ratios);
    sorted.sort(null);
    return new Result(
        List.copyOf(rounds),
        List.copyOf(ratios),
        median(sorted),
        sorted.get(0),
        sorted.get(sorted.size() - 1),
        medianRate(rounds, GUARDED),
        medianRate(rounds, UNGUARDED),
        connections,
        List.copyOf(warmupRounds),
        settled);
  }

  private static double medianRate(List<Round> rounds, String prefix) {
    List<Double> rates = new ArrayList<>();
    for (Round r : rounds) {
      if (r.path().equals(prefix)) {
        rates.add(r.perSecond());
      }
    }
    rates.sort(null);
    return median(rates);
  }

  private static double median(List<Double> sorted) {
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static void print(Result r, int requests, int concurrency, int warmup, PrintStream out) {
    int warmupPairs = r.warmupRounds().size() / 2;
    out.printf(
        Locale.ROOT,
        "Warm-up: %d pairs of %d requests a round (G U, U G, ...), at least %d, until both"
            + " rates are within %d %% of the previous pair's: %s. Not counted.%n%n",
        warmupPairs,
        warmup,
        MIN_WARMUP_PAIRS,
        STABLE_PERCENT,
        r.warmupSettled() ? "settled" : "NOT settled (limit reached)");
    table(r.warmupRounds(), "warm-up pair", out);
    out.printf(
        Locale.ROOT,
        "%nMeasured: %d requests per round, concurrency %d, %d pairs (G U, U G, ...);"
            + " the result is the median ratio of these pairs.%n%n",
        requests,
        concurrency,
        r.ratios().size());
    table(r.rounds(), "pair", out);
    out.printf(
        Locale.ROOT,
        "%nmedian ratio %.3f (min %.3f, max %.3f); median guarded %.0f req/s, unguarded %.0f req/s;"
            + " %d TCP connections accepted in all (keep-alive: ~concurrency expected)%n",
        r.medianRatio(),
        r.minRatio(),
        r.maxRatio(),
        r.guardedMedianPerSecond(),
        r.unguardedMedianPerSecond(),
        r.connections());
  }

  private static void table(List<Round> rounds, String label, PrintStream out) {
    out.println(
        "| " + label + " | order | guarded req/s | unguarded req/s | guarded / unguarded |");
    out.println("|---:|---|---:|---:|---:|");
    for (int p = 0; p < rounds.size() / 2; p++) {
      double g = rate(rounds, p, GUARDED);
      double u = rate(rounds, p, UNGUARDED);
      out.printf(
          Locale.ROOT,
          "| %d | %s | %.0f | %.0f | %.3f |%n",
          p + 1,
          rounds.get(2 * p).path().equals(GUARDED) ? "G U" : "U G",
          g,
          u,
          g / u);
    }
  }
}
