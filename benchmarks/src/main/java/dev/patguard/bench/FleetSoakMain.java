package dev.patguard.bench;

import dev.patguard.CacheStats;
import dev.patguard.fakebrms.Endpoint;
import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.Fault;
import dev.patguard.fakebrms.MintedToken;
import dev.patguard.redis.FleetKeys;
import dev.patguard.redis.testing.RedisProcess;
import dev.patguard.servlet.PatGuardFilter;
import dev.patguard.servlet.PatGuardPrincipal;
import dev.patguard.servlet.ProjectSource;
import dev.patguard.servlet.RoutePolicy;
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
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Issue #16, Redis killed during a soak: {@code requests} requests (default 20 000) through {@link
 * PatGuardFilter} in one embedded Jetty 12, {@code replicas} replicas (default 2: two filters on
 * {@code /r0/*} and {@code /r1/*}, each with its own guard and its own {@code RedisSharedCache} on
 * one real redis-server), fake-brms faulting {@code faultPercent} % (default 10) of its self
 * lookups (500, 503, or a delay beyond the guards' 300 ms request timeout). The redis-server
 * process is killed (SIGKILL) when request #{@code requests/3} is sent and started again on the
 * same port when request #{@code 2·requests/3} is.
 *
 * <p><b>Tokens.</b> {@value #GOOD} live tokens holding {@code releases:deploy} on the project (the
 * only ones that may pass), and tokens that must never pass: {@value #OTHERS} each of
 * under-privileged ({@code releases:manage}), scoped to another project, revoked in BRMS, expired
 * in BRMS, and {@value #RANDOM} random secrets BRMS never issued. Each request picks one (seeded):
 * half good, half the others; request i goes to replica i mod {@code replicas}. Cache TTL 2 s
 * (rejections 1 s), so lookups — and faults — keep happening all through the run.
 *
 * <p><b>Checked and reported.</b> A 200 for a token that must not pass is a <b>false permit</b>
 * (target 0; so is a 200 whose servlet saw no {@link PatGuardPrincipal}); a 401/403 for a good
 * token is a wrong denial; 503 is the fail-closed answer to an outage and is counted, not an error.
 * Per phase — before the kill, while Redis is down (kill to restart), after the restart — the
 * requests, the answers by status, the decisions (non-503 answers) per second, and the
 * client-measured latency p50/p99/max; the added p99 while down is p99(down) − p99(before) (target
 * ≤ 50 ms). Also: BRMS calls and shared-level hits per phase, and when each replica's Lettuce
 * connection and subscription were back after the restart.
 *
 * <pre>
 * java -cp ... dev.patguard.bench.FleetSoakMain [requests=20000] [concurrency=16] [faultPercent=10]
 *     [replicas=2]
 * </pre>
 */
public final class FleetSoakMain {
  static final int GOOD = 150;
  static final int OTHERS = 25;
  static final int RANDOM = 50;
  static final String PROJECT = Fixtures.projectKey(1);
  static final Duration REQUEST_TIMEOUT = Duration.ofMillis(300);
  static final long SEED = 16L;

  private FleetSoakMain() {}

  /** What a token is, and what it may be answered. */
  enum Kind {
    GOOD(200),
    MANAGE_ONLY(403),
    OTHER_PROJECT(403),
    REVOKED(401),
    EXPIRED(401),
    RANDOM(401);

    final int status;

    Kind(int status) {
      this.status = status;
    }
  }

  record Token(Kind kind, String secret) {}

  /** One phase's figures. */
  public record Phase(
      String name,
      int requests,
      Map<Integer, Integer> byStatus,
      int decisions,
      double seconds,
      double p50Nanos,
      double p99Nanos,
      double maxNanos,
      double decisionP99Nanos,
      long brmsCalls,
      long sharedHits,
      long sharedErrors) {
    double decisionsPerSecond() {
      return decisions / seconds;
    }
  }

  /** The run's outcome. */
  public record Result(
      int requests,
      int falsePermits,
      int permitsWithoutPrincipal,
      int wrongDenials,
      int unexpected,
      int clientErrors,
      List<Phase> phases,
      double addedP99Nanos,
      double addedDecisionP99Nanos,
      String reconnected,
      String loadBefore,
      String loadAfter) {}

  public static void main(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    int faultPercent = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int replicas = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    Result r = run(requests, concurrency, faultPercent, replicas, System.out);
    if (r.falsePermits() != 0 || r.permitsWithoutPrincipal() != 0) {
      System.exit(1);
    }
  }

  /** The servlet behind every filter: "ok", noting any request that arrived without a principal. */
  static final class App extends HttpServlet {
    private static final long serialVersionUID = 1L;
    final transient AtomicLong withoutPrincipal = new AtomicLong();

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
      if (!(req.getUserPrincipal() instanceof PatGuardPrincipal)) {
        withoutPrincipal.incrementAndGet();
      }
      res.setContentType("text/plain");
      res.setContentLength(2);
      res.getOutputStream().write("ok".getBytes(StandardCharsets.US_ASCII));
    }
  }

  public static Result run(
      int requests, int concurrency, int faultPercent, int replicas, PrintStream out)
      throws Exception {
    Locale.setDefault(Locale.ROOT);
    String loadBefore = Fleet.loadAverage();
    FleetKeys keys = Fleet.randomKeys();
    try (RedisProcess redis = RedisProcess.start(null);
        FakeBrms brms = Loopback.startBrms()) {
      List<Token> tokens = mint(brms);
      List<Fleet.Replica> fleet =
          Fleet.replicas(
              replicas,
              redis.uri(),
              keys,
              b ->
                  b.baseUrl(brms.baseUrl())
                      .requestTimeout(REQUEST_TIMEOUT)
                      .maxRetries(1)
                      .cacheTtl(Duration.ofSeconds(2))
                      .negativeCacheTtl(Duration.ofSeconds(1)),
              c -> c);
      App app = new App();
      QueuedThreadPool pool = new QueuedThreadPool(64, 8);
      pool.setDaemon(true);
      Server server = new Server(pool);
      ServerConnector connector = new ServerConnector(server, 1, 1);
      connector.setHost("127.0.0.1");
      connector.setPort(0);
      server.addConnector(connector);
      ServletContextHandler context = new ServletContextHandler("/");
      ServletHolder servlet = new ServletHolder("app", app);
      servlet.setAsyncSupported(true);
      context.addServlet(servlet, "/*");
      for (int i = 0; i < replicas; i++) {
        String prefix = "/r" + i;
        RoutePolicy policy =
            RoutePolicy.builder()
                .rule(
                    "GET",
                    prefix + "/api/projects/{projectId}/releases/deploy",
                    "releases:deploy",
                    ProjectSource.path("projectId"))
                .build();
        FilterHolder filter =
            new FilterHolder(
                PatGuardFilter.builder().guard(fleet.get(i).guard()).policy(policy).build());
        filter.setAsyncSupported(true);
        context.addFilter(
            filter, prefix + "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
      }
      server.setHandler(context);
      server.start();
      ExecutorService senders =
          Executors.newFixedThreadPool(
              concurrency + 1,
              r -> {
                Thread t = new Thread(r, "soak-sender");
                t.setDaemon(true);
                return t;
              });
      try {
        return soak(
            requests,
            concurrency,
            faultPercent,
            tokens,
            fleet,
            redis,
            brms,
            app,
            senders,
            URI.create("http://127.0.0.1:" + connector.getLocalPort()),
            loadBefore,
            out);
      } finally {
        senders.shutdownNow();
        server.stop();
        Fleet.closeAll(fleet);
      }
    }
  }

  private static Result soak(
      int requests,
      int concurrency,
      int faultPercent,
      List<Token> tokens,
      List<Fleet.Replica> fleet,
      RedisProcess redis,
      FakeBrms brms,
      App app,
      ExecutorService senders,
      URI origin,
      String loadBefore,
      PrintStream out)
      throws Exception {
    int replicas = fleet.size();
    Random rnd = new Random(SEED);
    List<Token> good = tokens.stream().filter(t -> t.kind() == Kind.GOOD).toList();
    List<Token> bad = tokens.stream().filter(t -> t.kind() != Kind.GOOD).toList();
    Token[] picks = new Token[requests];
    for (int i = 0; i < requests; i++) {
      picks[i] =
          rnd.nextBoolean() ? good.get(rnd.nextInt(good.size())) : bad.get(rnd.nextInt(bad.size()));
    }
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    // Warm-up (not counted, no faults, Redis up): every token once on every replica.
    for (Token t : tokens) {
      for (int i = 0; i < replicas; i++) {
        send(http, origin, i, t.secret());
      }
    }
    brms.resetCounters();
    brms.inject(
        Endpoint.SELF_LIST,
        Fault.randomly(
            faultPercent / 100.0,
            SEED,
            Fault.status(500),
            Fault.status(503),
            Fault.latency(REQUEST_TIMEOUT.plusMillis(100))));

    int killAt = requests / 3;
    int restartAt = 2 * requests / 3;
    long[] started = new long[requests];
    long[] took = new long[requests];
    int[] status = new int[requests];
    String[] errors = new String[requests];
    CountDownLatch killSignal = new CountDownLatch(1);
    CountDownLatch restartSignal = new CountDownLatch(1);
    long[] events = new long[3]; // kill, restarted, every replica reconnected and subscribed
    long[][] counters = new long[3][]; // BRMS calls, shared hits, shared errors at each boundary
    AtomicInteger next = new AtomicInteger();

    Future<String> controller =
        senders.submit(
            () -> {
              killSignal.await();
              counters[0] = counters(brms, fleet);
              events[0] = System.nanoTime();
              redis.kill();
              restartSignal.await();
              redis.start();
              events[1] = System.nanoTime();
              counters[1] = counters(brms, fleet);
              long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
              while (System.nanoTime() < deadline) {
                if (fleet.stream()
                    .allMatch(r -> r.fleet().isConnected() && r.fleet().isSubscribed())) {
                  events[2] = System.nanoTime();
                  return String.format(
                      Locale.ROOT,
                      "every replica connected and subscribed again %.0f ms after the restart",
                      (events[2] - events[1]) / 1e6);
                }
                Thread.sleep(5);
              }
              return "NOT every replica reconnected within 60 s of the restart";
            });

    long[] zero = counters(brms, fleet);
    long runStart = System.nanoTime();
    List<Future<?>> done = new ArrayList<>();
    for (int c = 0; c < concurrency; c++) {
      done.add(
          senders.submit(
              () -> {
                int i;
                while ((i = next.getAndIncrement()) < requests) {
                  if (i == killAt) {
                    killSignal.countDown();
                  } else if (i == restartAt) {
                    restartSignal.countDown();
                  }
                  long t0 = System.nanoTime();
                  started[i] = t0;
                  try {
                    status[i] = send(http, origin, i % replicas, picks[i].secret());
                  } catch (IOException | RuntimeException e) {
                    errors[i] = e.toString();
                  }
                  took[i] = System.nanoTime() - t0;
                }
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get(10, TimeUnit.MINUTES);
    }
    long runEnd = System.nanoTime();
    String reconnected = controller.get(2, TimeUnit.MINUTES);
    counters[2] = counters(brms, fleet);
    brms.clearFaults();

    int falsePermits = 0;
    int wrongDenials = 0;
    int unexpected = 0;
    int clientErrors = 0;
    for (int i = 0; i < requests; i++) {
      Kind k = picks[i].kind();
      if (errors[i] != null) {
        clientErrors++;
      } else if (status[i] == 200 && k != Kind.GOOD) {
        falsePermits++;
      } else if (k == Kind.GOOD && (status[i] == 401 || status[i] == 403)) {
        wrongDenials++;
      } else if (status[i] != k.status && status[i] != 503) {
        unexpected++;
      }
    }
    long[] bounds = {runStart, events[0], events[1], runEnd};
    String[] names = {"before (Redis up)", "Redis down", "after the restart"};
    List<Phase> phases = new ArrayList<>();
    for (int p = 0; p < 3; p++) {
      long from = bounds[p];
      long to = bounds[p + 1];
      List<Double> lat = new ArrayList<>();
      List<Double> decided = new ArrayList<>();
      Map<Integer, Integer> byStatus = new java.util.TreeMap<>();
      int decisions = 0;
      for (int i = 0; i < requests; i++) {
        if (started[i] >= from && started[i] < to && errors[i] == null) {
          lat.add((double) took[i]);
          byStatus.merge(status[i], 1, Integer::sum);
          if (status[i] != 503) {
            decisions++;
            decided.add((double) took[i]);
          }
        }
      }
      double[] sorted = lat.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      double[] sortedDecided = decided.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      long[] a = p == 0 ? zero : counters[p - 1];
      long[] b = counters[p];
      phases.add(
          new Phase(
              names[p],
              sorted.length,
              byStatus,
              decisions,
              (to - from) / 1e9,
              Fleet.percentile(sorted, 50),
              Fleet.percentile(sorted, 99),
              sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1],
              Fleet.percentile(sortedDecided, 99),
              b[0] - a[0],
              b[1] - a[1],
              b[2] - a[2]));
    }
    Result result =
        new Result(
            requests,
            falsePermits,
            (int) app.withoutPrincipal.get(),
            wrongDenials,
            unexpected,
            clientErrors,
            phases,
            phases.get(1).p99Nanos() - phases.get(0).p99Nanos(),
            phases.get(1).decisionP99Nanos() - phases.get(0).decisionP99Nanos(),
            reconnected,
            loadBefore,
            Fleet.loadAverage());
    print(result, concurrency, faultPercent, replicas, tokens.size(), out);
    return result;
  }

  /** BRMS self lookups, shared hits and shared errors summed over the replicas, now. */
  private static long[] counters(FakeBrms brms, List<Fleet.Replica> fleet) {
    long hits = 0;
    long errors = 0;
    for (Fleet.Replica r : fleet) {
      CacheStats s = r.guard().cacheStats();
      hits += s.sharedHits();
      errors += s.sharedErrors();
    }
    return new long[] {brms.requestCount(Endpoint.SELF_LIST), hits, errors};
  }

  private static int send(HttpClient http, URI origin, int replica, String secret)
      throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(
                origin.resolve("/r" + replica + "/api/projects/" + PROJECT + "/releases/deploy"))
            .timeout(Duration.ofSeconds(10))
            .GET()
            .header("Authorization", "Bearer " + secret)
            .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static List<Token> mint(FakeBrms brms) {
    List<Token> tokens = new ArrayList<>();
    for (int i = 0; i < GOOD; i++) {
      tokens.add(new Token(Kind.GOOD, mint(brms, "releases:deploy", PROJECT).secret()));
    }
    for (int i = 0; i < OTHERS; i++) {
      tokens.add(new Token(Kind.MANAGE_ONLY, mint(brms, "releases:manage", PROJECT).secret()));
      tokens.add(
          new Token(
              Kind.OTHER_PROJECT, mint(brms, "releases:deploy", Fixtures.projectKey(9)).secret()));
      MintedToken revoked = mint(brms, "releases:deploy", PROJECT);
      brms.revoke(revoked.id());
      tokens.add(new Token(Kind.REVOKED, revoked.secret()));
      MintedToken expired = mint(brms, "releases:deploy", PROJECT);
      brms.expire(expired.id());
      tokens.add(new Token(Kind.EXPIRED, expired.secret()));
    }
    for (String s : CoalescingMain.randomSecrets(RANDOM)) {
      tokens.add(new Token(Kind.RANDOM, s));
    }
    return tokens;
  }

  private static MintedToken mint(FakeBrms brms, String permission, String project) {
    return brms.mint(
        s ->
            s.permissions(permission)
                .projects(project)
                .allProjects(false)
                .expiresIn(Duration.ofDays(30)));
  }

  private static void print(
      Result r, int concurrency, int faultPercent, int replicas, int tokens, PrintStream out) {
    out.printf(
        "%n## Soak with Redis killed: %d requests, %d senders, %d replicas (filters) in one Jetty,"
            + " fake-brms faulting %d %% of self lookups, %d tokens%n%n",
        r.requests(), concurrency, replicas, faultPercent, tokens);
    out.println(
        "| phase | requests | 200 | 401 | 403 | 503 | decisions/s | p50 ms | p99 ms | max ms |"
            + " p99 of decisions (non-503) ms | BRMS calls | shared hits | shared errors | s |");
    out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (Phase p : r.phases()) {
      out.printf(
          Locale.ROOT,
          "| %s | %d | %d | %d | %d | %d | %.0f | %s | %s | %s | %s | %d | %d | %d | %.1f |%n",
          p.name(),
          p.requests(),
          p.byStatus().getOrDefault(200, 0),
          p.byStatus().getOrDefault(401, 0),
          p.byStatus().getOrDefault(403, 0),
          p.byStatus().getOrDefault(503, 0),
          p.decisionsPerSecond(),
          Fleet.ms(p.p50Nanos()),
          Fleet.ms(p.p99Nanos()),
          Fleet.ms(p.maxNanos()),
          Fleet.ms(p.decisionP99Nanos()),
          p.brmsCalls(),
          p.sharedHits(),
          p.sharedErrors(),
          p.seconds());
    }
    out.printf(
        Locale.ROOT,
        "%nfalse permits %d (200s without a principal %d); wrong denials of good tokens %d;"
            + " other unexpected statuses %d; client errors %d%n",
        r.falsePermits(),
        r.permitsWithoutPrincipal(),
        r.wrongDenials(),
        r.unexpected(),
        r.clientErrors());
    out.printf(
        Locale.ROOT,
        "added p99 while Redis was down: %s ms (p99 down − p99 before), %s ms for the decisions"
            + " alone; %s%n",
        Fleet.ms(r.addedP99Nanos()),
        Fleet.ms(r.addedDecisionP99Nanos()),
        r.reconnected());
    out.printf("load average before %s, after %s%n", r.loadBefore(), r.loadAfter());
  }
}
