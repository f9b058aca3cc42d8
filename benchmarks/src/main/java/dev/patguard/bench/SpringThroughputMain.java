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
 * <p>Same method as {@link FilterThroughputMain}: one JDK {@link HttpClient} (HTTP/1.1 keep-alive;
 * Tomcat's limit of 100 requests a connection lifted in all five), {@code concurrency} threads
 * sending blocking GETs with the same bearer header; every answer must be 200 "ok", and each app's
 * controller checks the authentication its variant must produce (none for unguarded, the filter's
 * principal for filter). Rounds are of a fixed duration; each round runs the five variants one
 * after another, the order rotated from round to round (P U O S F, U O S F P, ...) so that a drift
 * in the load falls on every variant; each round gives the ratios filter/unguarded,
 * patguard/unguarded, patguard/floor and patguard/opaque, and the results are their medians over
 * the measured rounds. Warm-up rounds (same shape, printed, not counted) come first; no request may
 * reach BRMS after them. The load average ({@code /proc/loadavg}) is printed before and after.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.patguard.bench.SpringThroughputMain \
 *     [roundSeconds=5] [rounds=6] [concurrency=8] [warmupRounds=3]
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

  /**
   * One timed run of one variant; {@code serverCpuNanos} is the CPU time its Tomcat's threads used
   * meanwhile (-1 before the first request named them), which other processes on the machine do not
   * inflate as they do the rate.
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
   * The measured rounds (five a round, in run order), the ratios per round and their medians
   * (patguard in Spring Security against unguarded, opaque and the floor; the filter against
   * unguarded), the warm-up rounds (not counted) and the load average before and after.
   */
  public record Result(
      List<Round> rounds,
      List<Double> unguardedRatios,
      List<Double> opaqueRatios,
      List<Double> floorRatios,
      List<Double> filterRatios,
      double medianUnguardedRatio,
      double medianOpaqueRatio,
      double medianFloorRatio,
      double medianFilterRatio,
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
    run(Duration.ofMillis((long) (seconds * 1000)), rounds, concurrency, warmupRounds, System.out);
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

  private static int port(ConfigurableApplicationContext c) {
    return ((WebServerApplicationContext) c).getWebServer().getPort();
  }

  /**
   * Starts fake-brms and the five apps, warms up and measures.
   *
   * @param roundLength how long each variant runs in a round
   * @param rounds measured rounds (each runs all five variants)
   * @param concurrency client threads
   * @param warmupRounds rounds run first and not counted
   * @param out where the tables go
   * @return the figures
   * @throws Exception if an app fails to start or a request fails
   */
  public static Result run(
      Duration roundLength, int rounds, int concurrency, int warmupRounds, PrintStream out)
      throws Exception {
    String loadBefore = loadAverage();
    try (Loopback loopback = new Loopback()) {
      URI brms = loopback.brms.baseUrl();
      Map<Variant, ConfigurableApplicationContext> apps = new EnumMap<>(Variant.class);
      ExecutorService senders =
          Executors.newFixedThreadPool(
              concurrency,
              r -> {
                Thread t = new Thread(r, "sender");
                t.setDaemon(true);
                return t;
              });
      try {
        apps.put(
            Variant.PATGUARD,
            start(
                PatGuardApp.class,
                brms,
                Map.of(
                    "patguard.brms-url",
                    brms.toString(),
                    "patguard.cache.ttl",
                    "1h",
                    "spring.autoconfigure.exclude",
                    USER_DETAILS)));
        apps.put(
            Variant.UNGUARDED,
            start(
                UnguardedApp.class,
                brms,
                Map.of(
                    "spring.autoconfigure.exclude",
                    String.join(",", SECURITY_AUTO_CONFIGURATIONS))));
        apps.put(
            Variant.OPAQUE,
            start(
                OpaqueApp.class,
                brms,
                Map.of(
                    "spring.autoconfigure.exclude",
                    String.join(
                        ",",
                        SECURITY_AUTO_CONFIGURATIONS[0],
                        SECURITY_AUTO_CONFIGURATIONS[1],
                        USER_DETAILS))));
        apps.put(
            Variant.FLOOR,
            start(
                FloorApp.class,
                brms,
                Map.of(
                    "spring.autoconfigure.exclude",
                    String.join(
                        ",",
                        SECURITY_AUTO_CONFIGURATIONS[0],
                        SECURITY_AUTO_CONFIGURATIONS[1],
                        USER_DETAILS))));
        apps.put(
            Variant.FILTER,
            start(
                FilterApp.class,
                brms,
                Map.of(
                    "patguard.brms-url",
                    brms.toString(),
                    "patguard.cache.ttl",
                    "1h",
                    "patguard.filter.policy",
                    "classpath:spring-throughput-policy.yaml",
                    "spring.autoconfigure.exclude",
                    // patguard's guard and filter stay; Spring Security and its integration go
                    String.join(
                        ",",
                        Arrays.copyOfRange(
                            SECURITY_AUTO_CONFIGURATIONS,
                            1,
                            SECURITY_AUTO_CONFIGURATIONS.length)))));
        HttpClient http =
            HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        String auth = "Bearer " + loopback.token.secret();
        Map<Variant, URI> uris = new EnumMap<>(Variant.class);
        for (Map.Entry<Variant, ConfigurableApplicationContext> e : apps.entrySet()) {
          uris.put(
              e.getKey(),
              URI.create("http://127.0.0.1:" + port(e.getValue()) + FilterFixtures.PATH));
        }

        Map<Variant, Releases> pools = new EnumMap<>(Variant.class);
        for (Map.Entry<Variant, ConfigurableApplicationContext> e : apps.entrySet()) {
          pools.put(e.getKey(), e.getValue().getBean(Releases.class));
        }
        List<Round> warmup = new ArrayList<>();
        for (int i = 0; i < warmupRounds; i++) {
          round(http, senders, uris, pools, auth, roundLength, concurrency, i, warmup);
        }
        long upstreamAfterWarm = loopback.brms.totalRequests();
        List<Round> measured = new ArrayList<>();
        List<Double> vsUnguarded = new ArrayList<>();
        List<Double> vsOpaque = new ArrayList<>();
        List<Double> vsFloor = new ArrayList<>();
        List<Double> filterVsUnguarded = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
          round(http, senders, uris, pools, auth, roundLength, concurrency, i, measured);
          vsUnguarded.add(
              rate(measured, i, Variant.PATGUARD) / rate(measured, i, Variant.UNGUARDED));
          vsOpaque.add(rate(measured, i, Variant.PATGUARD) / rate(measured, i, Variant.OPAQUE));
          vsFloor.add(rate(measured, i, Variant.PATGUARD) / rate(measured, i, Variant.FLOOR));
          filterVsUnguarded.add(
              rate(measured, i, Variant.FILTER) / rate(measured, i, Variant.UNGUARDED));
        }
        if (loopback.brms.totalRequests() != upstreamAfterWarm) {
          throw new IllegalStateException(
              (loopback.brms.totalRequests() - upstreamAfterWarm)
                  + " requests reached BRMS after the warm-up: not a cache-hit measurement");
        }
        for (Map.Entry<Variant, ConfigurableApplicationContext> e : apps.entrySet()) {
          long wrong = e.getValue().getBean(Releases.class).unexpected.get();
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
          medians.put(v, median(rates));
          cpuMedians.put(v, median(cpu));
        }
        Result result =
            new Result(
                List.copyOf(measured),
                List.copyOf(vsUnguarded),
                List.copyOf(vsOpaque),
                List.copyOf(vsFloor),
                List.copyOf(filterVsUnguarded),
                median(vsUnguarded),
                median(vsOpaque),
                median(vsFloor),
                median(filterVsUnguarded),
                medians,
                cpuMedians,
                List.copyOf(warmup),
                loadBefore,
                loadAverage());
        print(result, roundLength, concurrency, out);
        return result;
      } finally {
        senders.shutdownNow();
        for (ConfigurableApplicationContext c : apps.values()) {
          c.close();
        }
      }
    }
  }

  /** One round: each variant for {@code length}, in the order rotated by {@code index}. */
  private static void round(
      HttpClient http,
      ExecutorService senders,
      Map<Variant, URI> uris,
      Map<Variant, Releases> pools,
      String auth,
      Duration length,
      int concurrency,
      int index,
      List<Round> rounds)
      throws Exception {
    Variant[] all = Variant.values();
    for (int k = 0; k < all.length; k++) {
      Variant v = all[(index + k) % all.length];
      rounds.add(timed(http, senders, uris.get(v), v, auth, length, concurrency, pools.get(v)));
    }
  }

  /** The server CPU per request of {@code v} in round {@code i}, in microseconds. */
  private static double cpu(List<Round> rounds, int i, Variant v) {
    for (int k = VARIANTS * i; k < VARIANTS * (i + 1); k++) {
      if (rounds.get(k).variant() == v) {
        return rounds.get(k).cpuMicrosPerRequest();
      }
    }
    throw new IllegalStateException("no " + v + " in round " + i);
  }

  /** The rate of {@code v} in round {@code i} (one entry per variant a round). */
  private static double rate(List<Round> rounds, int i, Variant v) {
    for (int k = VARIANTS * i; k < VARIANTS * (i + 1); k++) {
      if (rounds.get(k).variant() == v) {
        return rounds.get(k).perSecond();
      }
    }
    throw new IllegalStateException("no " + v + " in round " + i);
  }

  /** {@code concurrency} threads send GETs until {@code length} has passed; every answer 200 ok. */
  private static Round timed(
      HttpClient http,
      ExecutorService senders,
      URI uri,
      Variant v,
      String auth,
      Duration length,
      int concurrency,
      Releases app)
      throws Exception {
    HttpRequest request = HttpRequest.newBuilder(uri).GET().header("Authorization", auth).build();
    AtomicLong done = new AtomicLong();
    String threads = app.threads;
    long cpuBefore = threads == null ? -1 : cpuOf(threads);
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
    long cpu = threads == null ? -1 : cpuOf(threads) - cpuBefore;
    return new Round(v, done.get(), nanos, cpu);
  }

  /** The CPU time used so far by the live threads whose names start with {@code prefix}. */
  private static long cpuOf(String prefix) {
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

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
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
    out.printf(
        Locale.ROOT,
        "Spring Boot throughput, cache hits: %d keep-alive clients, %d ms per variant a round,"
            + " order rotated (P U O S F, U O S F P, ...); %d cores; load average before %s,"
            + " after %s%n%n",
        concurrency,
        length.toMillis(),
        Runtime.getRuntime().availableProcessors(),
        r.loadBefore(),
        r.loadAfter());
    out.printf(Locale.ROOT, "Warm-up (not counted):%n%n");
    table(r.warmupRounds(), "warm-up round", out);
    out.printf(Locale.ROOT, "%nMeasured:%n%n");
    table(r.rounds(), "round", out);
    Map<Variant, Double> rate = r.medianPerSecond();
    Map<Variant, Double> cpu = r.medianCpuMicrosPerRequest();
    out.printf(
        Locale.ROOT,
        "%nmedian ratios: filter / unguarded %.3f; patguard / unguarded %.3f, patguard / floor %.3f,"
            + " patguard / opaque %.3f%n"
            + "median req/s: patguard %.0f, unguarded %.0f, opaque %.0f, Spring Security floor %.0f,"
            + " filter %.0f%n",
        r.medianFilterRatio(),
        r.medianUnguardedRatio(),
        r.medianFloorRatio(),
        r.medianOpaqueRatio(),
        rate.get(Variant.PATGUARD),
        rate.get(Variant.UNGUARDED),
        rate.get(Variant.OPAQUE),
        rate.get(Variant.FLOOR),
        rate.get(Variant.FILTER));
    out.printf(
        Locale.ROOT,
        "median server CPU per request (Tomcat's threads, µs): patguard %.1f, unguarded %.1f,"
            + " opaque %.1f, Spring Security floor %.1f, filter %.1f; patguard / opaque %.3f,"
            + " filter / unguarded %.3f%n",
        cpu.get(Variant.PATGUARD),
        cpu.get(Variant.UNGUARDED),
        cpu.get(Variant.OPAQUE),
        cpu.get(Variant.FLOOR),
        cpu.get(Variant.FILTER),
        cpu.get(Variant.PATGUARD) / cpu.get(Variant.OPAQUE),
        cpu.get(Variant.FILTER) / cpu.get(Variant.UNGUARDED));
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
      double p = rate(rounds, i, Variant.PATGUARD);
      double u = rate(rounds, i, Variant.UNGUARDED);
      double o = rate(rounds, i, Variant.OPAQUE);
      double s = rate(rounds, i, Variant.FLOOR);
      double f = rate(rounds, i, Variant.FILTER);
      double cp = cpu(rounds, i, Variant.PATGUARD);
      double cu = cpu(rounds, i, Variant.UNGUARDED);
      double co = cpu(rounds, i, Variant.OPAQUE);
      double cs = cpu(rounds, i, Variant.FLOOR);
      double cf = cpu(rounds, i, Variant.FILTER);
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
