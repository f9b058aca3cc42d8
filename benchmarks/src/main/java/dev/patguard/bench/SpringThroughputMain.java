package dev.patguard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.patguard.servlet.PatGuardPrincipal;
import dev.patguard.spring.security.PatGuardAuthentication;
import dev.patguard.spring.security.PatGuardSecurity;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthentication;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionAuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Issue #15's benchmark: requests per second through one Spring Boot 4 app (embedded Tomcat, one
 * {@code @RestController} on {@code GET /api/projects/{projectId}/releases/deploy} answering "ok"),
 * cache hits, {@code concurrency} keep-alive clients, in five variants started side by side in this
 * JVM, each on its own random port on 127.0.0.1:
 *
 * <ul>
 *   <li><b>patguard</b>: the starter's {@link PatGuardSecurity} in the security chain, {@code
 *       require("releases:deploy").onPathVariable("projectId")} (as samples/spring-webapp);
 *   <li><b>unguarded</b>: the same app without Spring Security or patguard (their
 *       auto-configurations excluded);
 *   <li><b>opaque</b>: Spring Security's {@code oauth2ResourceServer().opaqueToken()} with a
 *       hand-written Caffeine-cached {@link OpaqueTokenIntrospector} ({@link CachedIntrospector})
 *       calling the same fake BRMS's {@code GET /api/personal-access-tokens} with the presented
 *       token, and an authorization manager requiring the authority {@code
 *       releases:deploy@<projectId>}: what a Spring user would otherwise write;
 *   <li><b>floor</b>: Spring Security's chain set up as in the two above, authenticating nobody
 *       ({@code permitAll()}), so that the chain's own cost is told apart from the guard's;
 *   <li><b>filter</b>: the starter's {@code PatGuardFilter} from {@code patguard.filter.policy}
 *       alone, in the app without Spring Security: patguard's own cost in a Boot app.
 * </ul>
 *
 * <p>Each app runs in a JVM of its own ({@link SpringAppProcess}, the same heap options for all),
 * as apps are deployed: five apps in one JVM would share the JIT's type profiles, the heap and the
 * collector, so that one app's round would pay for another's garbage and deoptimisations ({@code
 * one-jvm} still runs them so, for comparison). This JVM holds fake-brms and the clients.
 *
 * <p>Same method as {@link FilterThroughputMain}: one JDK {@link HttpClient} (HTTP/1.1 keep-alive;
 * Tomcat's limit of 100 requests a connection lifted in all five), {@code concurrency} threads
 * sending blocking GETs with the same bearer header; every answer must be 200 "ok", and each app's
 * controller checks the authentication its variant must produce (none for unguarded, the filter's
 * principal for filter). Rounds are of a fixed duration; each round runs the five variants one
 * after another, the order rotated from round to round (P U O S F, U O S F P, ...) so that a drift
 * in the load falls on every variant. Each round gives the ratios filter/unguarded,
 * patguard/unguarded, patguard/floor and patguard/opaque of the rates, and of the server CPU per
 * request (the app's whole JVM, GC and JIT included; its Tomcat threads in {@code one-jvm}); the
 * results are their medians over the measured rounds, each with a distribution-free 95 % confidence
 * interval, and a target counts as met only when that interval lies at or above it. Warm-up rounds
 * (same shape, printed, not counted) come first; no request may reach BRMS after them. The load
 * average ({@code /proc/loadavg}) is printed before and after.
 *
 * <pre>
 * java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt) \
 *     dev.patguard.bench.SpringThroughputMain \
 *     [roundSeconds=5] [rounds=6] [concurrency=8] [warmupRounds=3] [jvm-each|one-jvm]
 * </pre>
 */
public final class SpringThroughputMain {
  private static final int VARIANTS = Variant.values().length;

  /** The five apps. */
  public enum Variant {
    /** patguard's starter in the security chain. */
    PATGUARD("P"),
    /** No Spring Security, no patguard. */
    UNGUARDED("U"),
    /** Spring Security's opaque-token support with a hand-written cached introspector. */
    OPAQUE("O"),
    /**
     * Spring Security's chain with no authentication at all ({@code permitAll()}): the floor that
     * any guard inside Spring Security starts from.
     */
    FLOOR("S"),
    /** The starter's {@code PatGuardFilter} in the app without Spring Security. */
    FILTER("F");

    final String letter;

    Variant(String letter) {
      this.letter = letter;
    }
  }

  /** Where the five apps run. */
  public enum Apps {
    /**
     * Each in a JVM of its own, as apps are deployed: no app's JIT profile, heap or GC touches
     * another's, and its CPU is its whole JVM's (GC and JIT included).
     */
    JVM_EACH,
    /** All five in this JVM (quicker to start; they share the JIT, the heap and the GC). */
    ONE_JVM;

    static Apps parse(String arg) {
      return switch (arg) {
        case "jvm-each" -> JVM_EACH;
        case "one-jvm" -> ONE_JVM;
        default ->
            throw new IllegalArgumentException(
                "apps must be jvm-each or one-jvm, not \"" + arg + "\"");
      };
    }
  }

  /**
   * One timed run of one variant; {@code serverCpuNanos} is the CPU time its server used meanwhile
   * (its whole JVM with {@link Apps#JVM_EACH}, its Tomcat's threads with {@link Apps#ONE_JVM}; -1
   * when not known yet), which other processes on the machine do not inflate as they do the rate.
   */
  public record Round(Variant variant, long requests, long nanos, long serverCpuNanos) {
    double perSecond() {
      return requests * 1e9 / nanos;
    }

    double cpuMicrosPerRequest() {
      return serverCpuNanos < 0 || requests == 0 ? Double.NaN : serverCpuNanos / 1e3 / requests;
    }
  }

  /**
   * One ratio measured once a round: its values (NaN where a round could not give one), their
   * median, and a distribution-free 95 % confidence interval of that median (two order statistics
   * chosen by the binomial distribution; NaN below 6 rounds, too few for 95 %).
   */
  public record Ratio(List<Double> perRound, double median, double low, double high) {
    static Ratio of(List<Double> values) {
      List<Double> sorted = new ArrayList<>();
      for (double v : values) {
        if (!Double.isNaN(v)) {
          sorted.add(v);
        }
      }
      sorted.sort(null);
      int n = sorted.size();
      double median =
          n == 0
              ? Double.NaN
              : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
      int k = lowerRank(n);
      return k == 0
          ? new Ratio(List.copyOf(values), median, Double.NaN, Double.NaN)
          : new Ratio(List.copyOf(values), median, sorted.get(k - 1), sorted.get(n - k));
    }

    /**
     * The largest k with P(B < k) ≤ 2.5 % for B ~ Binomial(n, 1/2): the k-th smallest and k-th
     * largest of n values then bound the median with at least 95 % confidence (0: no such k).
     */
    static int lowerRank(int n) {
      if (n > 1000) {
        throw new IllegalArgumentException("at most 1000 rounds, not " + n);
      }
      double p = Math.pow(0.5, n); // P(B = 0)
      double below = 0; // P(B < k)
      int k = 0;
      while (k < n && below + p <= 0.025) {
        below += p;
        p = p * (n - k) / (k + 1);
        k++;
      }
      return k;
    }

    /** "0.988 [0.951, 1.012]", or without the interval when there is none. */
    String format() {
      return Double.isNaN(low)
          ? String.format(Locale.ROOT, "%.3f", median)
          : String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", median, low, high);
    }

    /** Met, not met, or undecided, against a lower bound: the interval must lie at or above it. */
    String against(double atLeast) {
      if (Double.isNaN(low)) {
        return "undecided (too few rounds for a 95 % interval)";
      }
      if (low >= atLeast) {
        return "met";
      }
      return high < atLeast ? "not met" : "undecided (the interval spans the target)";
    }
  }

  /**
   * The measured rounds (five a round, in run order); per-round ratios of the rates (patguard in
   * Spring Security against unguarded, opaque and the floor; the filter against unguarded) and of
   * the server CPU per request; each variant's median rate and CPU per request; the warm-up rounds
   * (not counted) and the load average before and after.
   */
  public record Result(
      Apps apps,
      List<Round> rounds,
      Ratio filterVsUnguarded,
      Ratio patguardVsUnguarded,
      Ratio patguardVsFloor,
      Ratio patguardVsOpaque,
      Ratio cpuFilterVsUnguarded,
      Ratio cpuPatguardVsFloor,
      Ratio cpuPatguardVsOpaque,
      Map<Variant, Double> medianPerSecond,
      Map<Variant, Double> medianCpuMicrosPerRequest,
      List<Round> warmupRounds,
      String loadBefore,
      String loadAfter) {}

  private SpringThroughputMain() {}

  /**
   * Runs the benchmark and prints its tables.
   *
   * @param args {@code [roundSeconds=5] [rounds=6] [concurrency=8] [warmupRounds=3]}
   * @throws Exception if an app fails to start or a request fails
   */
  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 6;
    int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    int warmupRounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    Apps apps = args.length > 4 ? Apps.parse(args[4]) : Apps.JVM_EACH;
    run(
        Duration.ofMillis((long) (seconds * 1000)),
        rounds,
        concurrency,
        warmupRounds,
        apps,
        System.out);
    // Spring's and Tomcat's non-daemon threads are gone with the contexts; the client's are not.
    System.exit(0);
  }

  /**
   * The controller of all five apps; {@code expected} says what authentication (Spring Security's)
   * it must see, {@code principal} what {@code getUserPrincipal()} must be.
   */
  @RestController
  static final class Releases {
    final Predicate<@Nullable Authentication> expected;
    final Predicate<@Nullable Principal> principal;
    final AtomicLong unexpected = new AtomicLong();

    /** The name prefix of this app's Tomcat threads ("http-nio-127.0.0.1-auto-1-"). */
    volatile @Nullable String threads;

    Releases(Predicate<@Nullable Authentication> expected) {
      this(expected, p -> true);
    }

    Releases(
        Predicate<@Nullable Authentication> expected, Predicate<@Nullable Principal> principal) {
      this.expected = expected;
      this.principal = principal;
    }

    @GetMapping("/api/projects/{projectId}/releases/deploy")
    String deploy(@PathVariable("projectId") String projectId, HttpServletRequest request) {
      if (!expected.test(SecurityContextHolder.getContext().getAuthentication())
          || !principal.test(request.getUserPrincipal())) {
        unexpected.incrementAndGet();
      }
      if (threads == null) {
        threads = Thread.currentThread().getName().replaceFirst("exec-\\d+$", "");
      }
      return "ok";
    }
  }

  /** (a) patguard's starter, configured from {@code patguard.*} properties. */
  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class PatGuardApp {
    @Bean
    Releases releases() {
      return new Releases(a -> a instanceof PatGuardAuthentication);
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http, PatGuardSecurity patguard) throws Exception {
      patguard.applyTo(http);
      http.csrf(c -> c.disable())
          .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
          .authorizeHttpRequests(
              a ->
                  a.requestMatchers(HttpMethod.GET, "/api/projects/{projectId}/releases/deploy")
                      .access(patguard.require("releases:deploy").onPathVariable("projectId"))
                      .anyRequest()
                      .denyAll());
      return http.build();
    }
  }

  /**
   * (e) the starter's {@code PatGuardFilter}, from {@code patguard.filter.policy} (the one rule of
   * the route, {@code spring-throughput-policy.yaml}), without Spring Security.
   */
  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class FilterApp {
    @Bean
    Releases releases() {
      return new Releases(a -> a == null, p -> p instanceof PatGuardPrincipal);
    }
  }

  /** (b) the same controller without Spring Security (excluded by property, see {@link #run}). */
  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class UnguardedApp {
    @Bean
    Releases releases() {
      return new Releases(a -> a == null);
    }
  }

  /** (d) Spring Security's chain, as the others set it up, authenticating nobody. */
  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class FloorApp {
    @Bean
    Releases releases() {
      return new Releases(a -> a instanceof AnonymousAuthenticationToken);
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http) throws Exception {
      http.csrf(c -> c.disable())
          .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
          .authorizeHttpRequests(
              a ->
                  a.requestMatchers(HttpMethod.GET, "/api/projects/{projectId}/releases/deploy")
                      .permitAll()
                      .anyRequest()
                      .denyAll());
      return http.build();
    }
  }

  /** (c) Spring Security's opaque-token support over the hand-written introspector. */
  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class OpaqueApp {
    @Bean
    Releases releases() {
      return new Releases(a -> a instanceof BearerTokenAuthentication);
    }

    @Bean
    CachedIntrospector introspector(org.springframework.core.env.Environment env) {
      return new CachedIntrospector(URI.create(env.getRequiredProperty("bench.brms-url")));
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http, CachedIntrospector introspector) throws Exception {
      http.oauth2ResourceServer(o -> o.opaqueToken(t -> t.introspector(introspector)))
          .csrf(c -> c.disable())
          .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
          .authorizeHttpRequests(
              a ->
                  a.requestMatchers(HttpMethod.GET, "/api/projects/{projectId}/releases/deploy")
                      .access(
                          (auth, ctx) ->
                              new AuthorizationDecision(
                                  hasAuthority(
                                      auth.get(),
                                      "releases:deploy@" + ctx.getVariables().get("projectId"))))
                      .anyRequest()
                      .denyAll());
      return http.build();
    }

    private static boolean hasAuthority(Authentication auth, String wanted) {
      for (GrantedAuthority g : auth.getAuthorities()) {
        if (wanted.equals(g.getAuthority())) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * What a Spring user would write without patguard: ask BRMS for the caller's own tokens with the
   * presented one, take the one token listed, turn each permission × project into an authority
   * {@code permission@projectKey}, and cache the principal for an hour under the token itself. (A
   * user listing several tokens is refused: this endpoint does not say which one was presented.)
   */
  static final class CachedIntrospector implements OpaqueTokenIntrospector {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI endpoint;
    private final HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final Cache<String, OAuth2AuthenticatedPrincipal> cache =
        Caffeine.newBuilder().expireAfterWrite(Duration.ofHours(1)).maximumSize(100_000).build();
    final AtomicLong lookups = new AtomicLong();

    CachedIntrospector(URI brms) {
      this.endpoint = brms.resolve("/api/personal-access-tokens");
    }

    @Override
    public OAuth2AuthenticatedPrincipal introspect(String token) {
      return cache.get(token, this::lookup);
    }

    private OAuth2AuthenticatedPrincipal lookup(String token) {
      lookups.incrementAndGet();
      HttpResponse<byte[]> r;
      try {
        r =
            http.send(
                HttpRequest.newBuilder(endpoint)
                    .timeout(Duration.ofSeconds(5))
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", "application/json")
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException e) {
        throw new OAuth2IntrospectionException("BRMS unreachable: " + e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new OAuth2IntrospectionException("interrupted", e);
      }
      if (r.statusCode() == 401 || r.statusCode() == 403) {
        throw new BadOpaqueTokenException("token not accepted by BRMS");
      }
      if (r.statusCode() != 200) {
        throw new OAuth2IntrospectionException("BRMS answered " + r.statusCode());
      }
      JsonNode tokens;
      try {
        tokens = JSON.readTree(r.body());
      } catch (IOException e) {
        throw new OAuth2IntrospectionException("malformed BRMS answer", e);
      }
      if (!tokens.isArray() || tokens.size() != 1) {
        throw new BadOpaqueTokenException("cannot tell which token was presented");
      }
      JsonNode t = tokens.get(0);
      Map<String, Object> attributes = new HashMap<>();
      attributes.put("sub", t.path("user").path("email").asText());
      attributes.put("token_id", t.path("id").asText());
      if (t.hasNonNull("expiresAt")) {
        Instant exp = Instant.parse(t.get("expiresAt").asText());
        if (!exp.isAfter(Instant.now())) {
          throw new BadOpaqueTokenException("token expired");
        }
        attributes.put("exp", exp);
      }
      List<GrantedAuthority> authorities = new ArrayList<>();
      for (JsonNode p : t.path("permissions")) {
        for (JsonNode project : t.path("projects")) {
          authorities.add(
              new SimpleGrantedAuthority(p.asText() + "@" + project.path("key").asText()));
        }
      }
      return new OAuth2IntrospectionAuthenticatedPrincipal(
          t.path("id").asText(), attributes, authorities);
    }
  }

  /** Boot's in-memory user (a generated password, logged): used by neither guarded app. */
  private static final String USER_DETAILS =
      "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration";

  /** patguard's and Spring Security's auto-configurations: all off in the unguarded app. */
  private static final String[] SECURITY_AUTO_CONFIGURATIONS = {
    "dev.patguard.spring.boot.PatGuardAutoConfiguration",
    "dev.patguard.spring.boot.PatGuardSecurityAutoConfiguration",
    "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
    USER_DETAILS,
    "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
    "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
    "org.springframework.boot.security.autoconfigure.actuate.web.servlet"
        + ".ManagementWebSecurityAutoConfiguration",
  };

  private static ConfigurableApplicationContext start(
      Class<?> app, URI brms, Map<String, Object> extra) {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("server.port", "0");
    props.put("server.address", "127.0.0.1");
    // keep-alive for the whole run, as Jetty does in FilterThroughputMain (Tomcat's default: 100)
    props.put("server.tomcat.max-keep-alive-requests", "-1");
    props.put("spring.main.banner-mode", "off");
    props.put("spring.jmx.enabled", "false");
    props.put("logging.level.root", "WARN");
    props.put("bench.brms-url", brms.toString());
    props.putAll(extra);
    return new SpringApplicationBuilder(app).properties(props).run();
  }

  /** Starts the app of {@code variant} on a random loopback port, its BRMS at {@code brms}. */
  static ConfigurableApplicationContext startApp(Variant variant, URI brms) {
    String withSecurity =
        String.join(
            ",", SECURITY_AUTO_CONFIGURATIONS[0], SECURITY_AUTO_CONFIGURATIONS[1], USER_DETAILS);
    return switch (variant) {
      case PATGUARD ->
          start(
              PatGuardApp.class,
              brms,
              patguard(brms, "spring.autoconfigure.exclude", USER_DETAILS));
      case UNGUARDED ->
          start(
              UnguardedApp.class,
              brms,
              Map.of(
                  "spring.autoconfigure.exclude", String.join(",", SECURITY_AUTO_CONFIGURATIONS)));
      case OPAQUE ->
          start(OpaqueApp.class, brms, Map.of("spring.autoconfigure.exclude", withSecurity));
      case FLOOR ->
          start(FloorApp.class, brms, Map.of("spring.autoconfigure.exclude", withSecurity));
      case FILTER ->
          start(
              FilterApp.class,
              brms,
              patguard(
                  brms,
                  "patguard.filter.policy",
                  "classpath:spring-throughput-policy.yaml",
                  "spring.autoconfigure.exclude",
                  // patguard's guard and filter stay; Spring Security and its integration go
                  String.join(
                      ",",
                      Arrays.copyOfRange(
                          SECURITY_AUTO_CONFIGURATIONS, 1, SECURITY_AUTO_CONFIGURATIONS.length))));
    };
  }

  /** patguard's properties for an app on {@code brms} (an hour's cache), then {@code more}. */
  private static Map<String, Object> patguard(URI brms, String... more) {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("patguard.brms-url", brms.toString());
    props.put("patguard.cache.ttl", "1h");
    for (int i = 0; i < more.length; i += 2) {
      props.put(more[i], more[i + 1]);
    }
    return props;
  }

  static int port(ConfigurableApplicationContext c) {
    return ((WebServerApplicationContext) c).getWebServer().getPort();
  }

  /** One running app, in this JVM or in a child, as the rounds see it. */
  private interface Server extends AutoCloseable {
    URI uri();

    /** The server's CPU time so far (see {@link Round#serverCpuNanos}), or -1. */
    long cpuNanos() throws IOException;

    /** Requests its controller saw without the authentication its variant must produce. */
    long unexpected() throws IOException;

    @Override
    void close();
  }

  /** An app in this JVM; its CPU is its Tomcat threads'. */
  private record InProcess(ConfigurableApplicationContext context, URI uri) implements Server {
    @Override
    public long cpuNanos() {
      String threads = context.getBean(Releases.class).threads;
      return threads == null ? -1 : tomcatCpuNanos(threads);
    }

    @Override
    public long unexpected() {
      return context.getBean(Releases.class).unexpected.get();
    }

    @Override
    public void close() {
      context.close();
    }
  }

  /** An app in a child JVM ({@link SpringAppProcess}); its CPU is that JVM's. */
  private record InChild(ChildJvm jvm, URI uri) implements Server {
    @Override
    public long cpuNanos() throws IOException {
      return ask("cpu");
    }

    @Override
    public long unexpected() throws IOException {
      return ask("unexpected");
    }

    private long ask(String what) throws IOException {
      jvm.println(what);
      jvm.flush();
      return Long.parseLong(jvm.expect(what).substring(what.length()).trim());
    }

    @Override
    public void close() {
      jvm.close();
    }
  }

  /** Heap and collector alike for the five child JVMs, the heap touched up front. */
  private static final List<String> CHILD_JVM_OPTIONS =
      List.of("-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch");

  /**
   * More options for every child JVM, split at spaces, {@code {variant}} replaced by the app's
   * letter: {@code -XX:StartFlightRecording=filename=/tmp/app-{variant}.jfr} profiles each app.
   */
  static final String CHILD_OPTIONS_ENV = "SPRING_BENCH_CHILD_OPTIONS";

  private static List<String> childOptions(Variant v) {
    List<String> options = new ArrayList<>(CHILD_JVM_OPTIONS);
    String extra = System.getenv(CHILD_OPTIONS_ENV);
    if (extra != null) {
      for (String o : extra.trim().split("\\s+")) {
        if (!o.isEmpty()) {
          options.add(o.replace("{variant}", v.letter));
        }
      }
    }
    return options;
  }

  private static Map<Variant, Server> startAll(Apps apps, URI brms) throws IOException {
    Map<Variant, Server> servers = new EnumMap<>(Variant.class);
    if (apps == Apps.ONE_JVM) {
      try {
        for (Variant v : Variant.values()) {
          ConfigurableApplicationContext c = startApp(v, brms);
          servers.put(v, new InProcess(c, appUri(port(c))));
        }
        return servers;
      } catch (RuntimeException e) {
        servers.values().forEach(Server::close);
        throw e;
      }
    }
    // All five start at once (each JVM mostly waits on its own class loading), then report.
    Map<Variant, ChildJvm> children = new EnumMap<>(Variant.class);
    try {
      for (Variant v : Variant.values()) {
        children.put(
            v,
            ChildJvm.start(
                childOptions(v),
                SpringAppProcess.class,
                List.of(v.name()),
                Map.of(SpringAppProcess.BRMS_ENV, brms.toString()),
                Path.of(
                    System.getProperty("java.io.tmpdir"),
                    "patguard-spring-app-" + v.letter + ".log")));
      }
      for (Map.Entry<Variant, ChildJvm> e : children.entrySet()) {
        String ready = e.getValue().expect("ready");
        int port = Integer.parseInt(ready.substring("ready".length()).trim());
        servers.put(e.getKey(), new InChild(e.getValue(), appUri(port)));
      }
      return servers;
    } catch (IOException | RuntimeException e) {
      children.values().forEach(ChildJvm::close);
      throw e;
    }
  }

  private static URI appUri(int port) {
    return URI.create("http://127.0.0.1:" + port + FilterFixtures.PATH);
  }

  /**
   * Starts fake-brms and the five apps, warms up and measures.
   *
   * @param roundLength how long each variant runs in a round
   * @param rounds measured rounds (each runs all five variants)
   * @param concurrency client threads
   * @param warmupRounds rounds run first and not counted
   * @param apps where the apps run
   * @param out where the tables go
   * @return the figures
   * @throws Exception if an app fails to start or a request fails
   */
  public static Result run(
      Duration roundLength,
      int rounds,
      int concurrency,
      int warmupRounds,
      Apps apps,
      PrintStream out)
      throws Exception {
    String loadBefore = loadAverage();
    try (Loopback loopback = new Loopback()) {
      URI brms = loopback.brms.baseUrl();
      ExecutorService senders =
          Executors.newFixedThreadPool(
              concurrency,
              r -> {
                Thread t = new Thread(r, "sender");
                t.setDaemon(true);
                return t;
              });
      Map<Variant, Server> servers = startAll(apps, brms);
      try {
        HttpClient http =
            HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        String auth = "Bearer " + loopback.token.secret();
        List<Round> warmup = new ArrayList<>();
        for (int i = 0; i < warmupRounds; i++) {
          round(http, senders, servers, auth, roundLength, concurrency, i, warmup);
        }
        long upstreamAfterWarm = loopback.brms.totalRequests();
        List<Round> measured = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
          round(http, senders, servers, auth, roundLength, concurrency, i, measured);
        }
        if (loopback.brms.totalRequests() != upstreamAfterWarm) {
          throw new IllegalStateException(
              (loopback.brms.totalRequests() - upstreamAfterWarm)
                  + " requests reached BRMS after the warm-up: not a cache-hit measurement");
        }
        for (Map.Entry<Variant, Server> e : servers.entrySet()) {
          long wrong = e.getValue().unexpected();
          if (wrong != 0) {
            throw new IllegalStateException(
                e.getKey() + ": " + wrong + " requests without the expected authentication");
          }
        }
        Map<Variant, Double> medians = new EnumMap<>(Variant.class);
        Map<Variant, Double> cpuMedians = new EnumMap<>(Variant.class);
        for (Variant v : Variant.values()) {
          List<Double> rates = new ArrayList<>();
          List<Double> cpu = new ArrayList<>();
          for (Round r : measured) {
            if (r.variant() == v) {
              rates.add(r.perSecond());
              cpu.add(r.cpuMicrosPerRequest());
            }
          }
          medians.put(v, Ratio.of(rates).median());
          cpuMedians.put(v, Ratio.of(cpu).median());
        }
        Result result =
            new Result(
                apps,
                List.copyOf(measured),
                ratio(measured, rounds, Variant.FILTER, Variant.UNGUARDED, Round::perSecond),
                ratio(measured, rounds, Variant.PATGUARD, Variant.UNGUARDED, Round::perSecond),
                ratio(measured, rounds, Variant.PATGUARD, Variant.FLOOR, Round::perSecond),
                ratio(measured, rounds, Variant.PATGUARD, Variant.OPAQUE, Round::perSecond),
                ratio(
                    measured,
                    rounds,
                    Variant.FILTER,
                    Variant.UNGUARDED,
                    Round::cpuMicrosPerRequest),
                ratio(
                    measured, rounds, Variant.PATGUARD, Variant.FLOOR, Round::cpuMicrosPerRequest),
                ratio(
                    measured, rounds, Variant.PATGUARD, Variant.OPAQUE, Round::cpuMicrosPerRequest),
                medians,
                cpuMedians,
                List.copyOf(warmup),
                loadBefore,
                loadAverage());
        print(result, roundLength, concurrency, out);
        return result;
      } finally {
        senders.shutdownNow();
        servers.values().forEach(Server::close);
      }
    }
  }

  /** {@code a / b} of {@code figure} in each of the first {@code rounds} rounds. */
  private static Ratio ratio(
      List<Round> measured, int rounds, Variant a, Variant b, ToDoubleFunction<Round> figure) {
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      values.add(
          figure.applyAsDouble(of(measured, i, a)) / figure.applyAsDouble(of(measured, i, b)));
    }
    return Ratio.of(values);
  }

  /** One round: each variant for {@code length}, in the order rotated by {@code index}. */
  private static void round(
      HttpClient http,
      ExecutorService senders,
      Map<Variant, Server> servers,
      String auth,
      Duration length,
      int concurrency,
      int index,
      List<Round> rounds)
      throws Exception {
    Variant[] all = Variant.values();
    for (int k = 0; k < all.length; k++) {
      Variant v = all[(index + k) % all.length];
      rounds.add(timed(http, senders, servers.get(v), v, auth, length, concurrency));
    }
  }

  /** The run of {@code v} in round {@code i} (one entry per variant a round). */
  private static Round of(List<Round> rounds, int i, Variant v) {
    for (int k = VARIANTS * i; k < VARIANTS * (i + 1); k++) {
      if (rounds.get(k).variant() == v) {
        return rounds.get(k);
      }
    }
    throw new IllegalStateException("no " + v + " in round " + i);
  }

  /** {@code concurrency} threads send GETs until {@code length} has passed; every answer 200 ok. */
  private static Round timed(
      HttpClient http,
      ExecutorService senders,
      Server server,
      Variant v,
      String auth,
      Duration length,
      int concurrency)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(server.uri()).GET().header("Authorization", auth).build();
    AtomicLong done = new AtomicLong();
    long cpuBefore = server.cpuNanos();
    long start = System.nanoTime();
    long deadline = start + length.toNanos();
    List<Future<Void>> clients = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      clients.add(
          senders.submit(
              () -> {
                while (System.nanoTime() < deadline) {
                  HttpResponse<String> r;
                  try {
                    r = http.send(request, HttpResponse.BodyHandlers.ofString());
                  } catch (IOException e) {
                    throw new IOException(
                        v + " after " + done.get() + " requests: " + e.getMessage(), e);
                  }
                  if (r.statusCode() != 200 || !"ok".equals(r.body())) {
                    throw new IllegalStateException(v + " answered " + r.statusCode());
                  }
                  done.incrementAndGet();
                }
                return null;
              }));
    }
    for (Future<Void> f : clients) {
      f.get();
    }
    long nanos = System.nanoTime() - start;
    long cpuAfter = server.cpuNanos();
    long cpu = cpuBefore < 0 || cpuAfter < 0 ? -1 : cpuAfter - cpuBefore;
    return new Round(v, done.get(), nanos, cpu);
  }

  /** The CPU time used so far by the live threads whose names start with {@code prefix}. */
  static long tomcatCpuNanos(String prefix) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (t != null && t.getThreadName().startsWith(prefix)) {
        long cpu = mx.getThreadCpuTime(t.getThreadId());
        sum += Math.max(0, cpu);
      }
    }
    return sum;
  }

  /** The first three fields of /proc/loadavg, or the JVM's 1-minute figure elsewhere. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return String.format(
          Locale.ROOT,
          "%.2f",
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  private static void print(Result r, Duration length, int concurrency, PrintStream out) {
    String cpuScope =
        r.apps() == Apps.JVM_EACH ? "each app's whole JVM" : "each app's Tomcat threads";
    out.printf(
        Locale.ROOT,
        "Spring Boot throughput, cache hits: %d keep-alive clients, %d ms per variant a round,"
            + " order rotated (P U O S F, U O S F P, ...); apps %s; %d cores; load average before"
            + " %s, after %s%n%n",
        concurrency,
        length.toMillis(),
        r.apps() == Apps.JVM_EACH ? "in a JVM each" : "in one JVM",
        Runtime.getRuntime().availableProcessors(),
        r.loadBefore(),
        r.loadAfter());
    out.printf(Locale.ROOT, "Warm-up (not counted):%n%n");
    table(r.warmupRounds(), "warm-up round", out);
    out.printf(Locale.ROOT, "%nMeasured (server CPU: %s):%n%n", cpuScope);
    table(r.rounds(), "round", out);
    Map<Variant, Double> rate = r.medianPerSecond();
    Map<Variant, Double> cpu = r.medianCpuMicrosPerRequest();
    out.printf(
        Locale.ROOT,
        "%nmedian req/s: patguard %.0f, unguarded %.0f, opaque %.0f, Spring Security floor %.0f,"
            + " filter %.0f%n"
            + "median server CPU per request (%s, µs): patguard %.1f, unguarded %.1f, opaque %.1f,"
            + " Spring Security floor %.1f, filter %.1f%n",
        rate.get(Variant.PATGUARD),
        rate.get(Variant.UNGUARDED),
        rate.get(Variant.OPAQUE),
        rate.get(Variant.FLOOR),
        rate.get(Variant.FILTER),
        cpuScope,
        cpu.get(Variant.PATGUARD),
        cpu.get(Variant.UNGUARDED),
        cpu.get(Variant.OPAQUE),
        cpu.get(Variant.FLOOR),
        cpu.get(Variant.FILTER));
    out.printf(
        Locale.ROOT,
        "%nmedian of the per-round ratios [95 %% confidence interval of the median]:%n"
            + "  rate filter / unguarded   %s  target >= 0.95: %s%n"
            + "  rate patguard / unguarded %s  target >= 0.95: %s%n"
            + "  rate patguard / opaque    %s  target >= 1.00: %s%n"
            + "  rate patguard / floor     %s%n"
            + "  CPU filter / unguarded    %s%n"
            + "  CPU patguard / floor      %s%n"
            + "  CPU patguard / opaque     %s%n",
        r.filterVsUnguarded().format(),
        r.filterVsUnguarded().against(0.95),
        r.patguardVsUnguarded().format(),
        r.patguardVsUnguarded().against(0.95),
        r.patguardVsOpaque().format(),
        r.patguardVsOpaque().against(1.0),
        r.patguardVsFloor().format(),
        r.cpuFilterVsUnguarded().format(),
        r.cpuPatguardVsFloor().format(),
        r.cpuPatguardVsOpaque().format());
  }

  private static void table(List<Round> rounds, String label, PrintStream out) {
    out.println(
        "| "
            + label
            + " | order | patguard req/s | unguarded req/s | opaque req/s | floor req/s"
            + " | filter req/s | filter / unguarded | patguard / unguarded | patguard / floor"
            + " | patguard / opaque | server CPU µs/req P | U | O | S | F | CPU P / O"
            + " | CPU F / U |");
    out.println(
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (int i = 0; i < rounds.size() / VARIANTS; i++) {
      StringBuilder order = new StringBuilder();
      for (int k = 0; k < VARIANTS; k++) {
        order.append(k == 0 ? "" : " ").append(rounds.get(VARIANTS * i + k).variant().letter);
      }
      double p = of(rounds, i, Variant.PATGUARD).perSecond();
      double u = of(rounds, i, Variant.UNGUARDED).perSecond();
      double o = of(rounds, i, Variant.OPAQUE).perSecond();
      double s = of(rounds, i, Variant.FLOOR).perSecond();
      double f = of(rounds, i, Variant.FILTER).perSecond();
      double cp = of(rounds, i, Variant.PATGUARD).cpuMicrosPerRequest();
      double cu = of(rounds, i, Variant.UNGUARDED).cpuMicrosPerRequest();
      double co = of(rounds, i, Variant.OPAQUE).cpuMicrosPerRequest();
      double cs = of(rounds, i, Variant.FLOOR).cpuMicrosPerRequest();
      double cf = of(rounds, i, Variant.FILTER).cpuMicrosPerRequest();
      out.printf(
          Locale.ROOT,
          "| %d | %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.3f | %.3f | %.3f | %.3f | %.1f | %.1f"
              + " | %.1f | %.1f | %.1f | %.3f | %.3f |%n",
          i + 1,
          order,
          p,
          u,
          o,
          s,
          f,
          f / u,
          p / u,
          p / s,
          p / o,
          cp,
          cu,
          co,
          cs,
          cf,
          cp / co,
          cf / cu);
    }
  }
}
