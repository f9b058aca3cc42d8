package dev.patguard.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patguard.PatGuard;
import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.MintedToken;
import dev.patguard.redis.testing.RedisProcess;
import dev.patguard.servlet.support.Await;
import dev.patguard.servlet.support.Deployment;
import dev.patguard.servlet.support.ServletContainer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fleet mode configured by init-params only: replicas (each its own container with a {@code
 * PatGuardFilter} declared like web.xml would) sharing one real redis-server and one fake-brms.
 * Pub/sub delivery and connections are awaited by polling an observable condition with a deadline.
 */
abstract class FleetScenarios {
  private static final String DEPLOY = "/app/api/projects/proj-1/releases/deploy";
  private static final String KEY_MATERIAL = Base64.getEncoder().encodeToString(bytes(32));
  private static final String REDIS_PASSWORD = "redis-pw-5c1e0b7a94d2";
  private static final Map<String, String> ENVIRONMENT =
      Map.of(
          "FLEET_KEYS", "k1:" + KEY_MATERIAL,
          "SHORT_KEYS", "k1:" + Base64.getEncoder().encodeToString(bytes(8)),
          "REDIS_PASSWORD", REDIS_PASSWORD);
  private static final Duration DEADLINE = Duration.ofSeconds(15);

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final List<AutoCloseable> open = new ArrayList<>();
  private RedisProcess redis;
  private FakeBrms brms;
  private RedisClient rawClient;
  private StatefulRedisConnection<String, String> raw;

  abstract ServletContainer.Factory factory();

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (17 + i * 13);
    }
    return b;
  }

  @BeforeEach
  void start() {
    redis = RedisProcess.start(null);
    brms = FakeBrms.start();
    rawClient = RedisClient.create(redis.uri());
    raw = rawClient.connect();
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    raw.close();
    rawClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    brms.close();
    redis.close();
  }

  private Map<String, String> fleetParams() {
    Map<String, String> p = new HashMap<>();
    p.put("brms-url", brms.baseUrl().toString());
    p.put("policy", "classpath:test-policy.yaml");
    p.put("max-retries", "0");
    p.put("shared-cache", "redis");
    p.put("redis-uri", redis.uri());
    p.put("redis-fleet-keys-env", "FLEET_KEYS");
    p.put("redis-reconnect-delay", "50ms");
    p.put("redis-command-timeout", "200ms");
    p.put("shared-cache-timeout", "500ms");
    return p;
  }

  /** A replica: its own container and filter, configured by init-params alone. */
  private ServletContainer replica(Map<String, String> params) throws Exception {
    ServletContainer c =
        factory()
            .start(
                Deployment.of(
                    new PatGuardFilter(ENVIRONMENT::get, name -> null),
                    params,
                    new InvalidatingServlet()));
    open.add(c);
    return c;
  }

  private RedisCommands<String, String> redisCommands() {
    return raw.sync();
  }

  /** Every replica's command connection is open and its invalidation subscription confirmed. */
  private void awaitConnected(int replicas) {
    await(
        replicas + " replicas subscribed and connected",
        () -> {
          RedisCommands<String, String> r = redisCommands();
          long subscribed =
              r.pubsubNumsub("patguard:invalidations").getOrDefault("patguard:invalidations", 0L);
          long clients = r.clientList().lines().filter(l -> !l.isBlank()).count();
          // Each replica: one command and one pub/sub connection; plus this raw one.
          return subscribed == replicas && clients >= 2L * replicas + 1;
        });
  }

  private static void await(String what, BooleanSupplier condition) {
    Await.until(condition, DEADLINE, what);
  }

  private HttpResponse<String> deploy(ServletContainer c, String secret) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(c.origin() + DEPLOY))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + secret)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    GuardedApp.assertNoSecret(secret, r.headers().map() + r.body());
    return r;
  }

  /** The app's own revocation hook: invalidates through the guard the filter published. */
  private HttpResponse<String> invalidate(ServletContainer c, String secret) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(c.origin() + "/app/public/invalidate"))
            .timeout(Duration.ofSeconds(20))
            .header("X-Revoked", secret)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private MintedToken deployToken() {
    return brms.mint(t -> t.permissions("releases:deploy").projects("proj-1").neverExpires());
  }

  @Test
  void initWhenSharedCacheRedisThenSecondReplicasFirstRequestCostsNoBrmsCall() throws Exception {
    ServletContainer a = replica(fleetParams());
    ServletContainer b = replica(fleetParams());
    awaitConnected(2);
    MintedToken token = deployToken();

    assertEquals(200, deploy(a, token.secret()).statusCode());
    long afterA = brms.totalRequests();
    assertEquals(1, afterA, "replica a asked BRMS once");
    await("a's answer shared", () -> !redisCommands().keys("patguard:t:*").isEmpty());
    for (String key : redisCommands().keys("patguard:*")) {
      assertFalse(key.contains(token.secret()), key);
    }

    assertEquals(200, deploy(b, token.secret()).statusCode());
    assertEquals(afterA, brms.totalRequests(), "replica b's first request cost no BRMS call");
  }

  @Test
  void initWhenSharedCacheRedisThenInvalidationThroughOneReplicaReachesTheOther() throws Exception {
    ServletContainer a = replica(fleetParams());
    ServletContainer b = replica(fleetParams());
    awaitConnected(2);
    MintedToken token = deployToken();
    assertEquals(200, deploy(a, token.secret()).statusCode());
    await("a's answer shared", () -> !redisCommands().keys("patguard:t:*").isEmpty());
    assertEquals(200, deploy(b, token.secret()).statusCode());

    brms.revoke(token.id());
    // Without an invalidation, b keeps its cached grant for the cache TTL.
    assertEquals(200, deploy(b, token.secret()).statusCode());

    assertEquals(204, invalidate(a, token.secret()).statusCode());
    await(
        "b refuses the revoked token",
        () -> {
          try {
            return deploy(b, token.secret()).statusCode() == 401;
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    assertEquals(401, deploy(a, token.secret()).statusCode());
  }

  @Test
  void doFilterWhenRedisDownThenStillDecidesFromBrms() throws Exception {
    ServletContainer a = replica(fleetParams());
    awaitConnected(1);
    redis.kill();
    MintedToken token = deployToken();
    MintedToken other =
        brms.mint(t -> t.permissions("releases:deploy").projects("proj-2").neverExpires());

    assertEquals(200, deploy(a, token.secret()).statusCode());
    assertEquals(403, deploy(a, other.secret()).statusCode());
    brms.revoke(token.id());
    MintedToken revoked = deployToken();
    brms.revoke(revoked.id());
    assertEquals(401, deploy(a, revoked.secret()).statusCode());
    assertTrue(brms.totalRequests() >= 3, "each decision came from BRMS");
  }

  @Test
  void initWhenRedisNotRunningThenStartsAndDecidesFromBrms() throws Exception {
    redis.kill();
    ServletContainer a = replica(fleetParams());
    MintedToken token = deployToken();
    assertEquals(200, deploy(a, token.secret()).statusCode());
  }

  @Test
  void initWhenPasswordFromTheNamedVariableThenAuthenticatesToRedis() throws Exception {
    try (RedisProcess guarded = RedisProcess.start(REDIS_PASSWORD)) {
      Map<String, String> p = fleetParams();
      p.put("redis-uri", guarded.uri());
      p.put("redis-password-env", "REDIS_PASSWORD");
      ServletContainer a = replica(p);
      ServletContainer b = replica(p);
      MintedToken token = deployToken();
      RedisClient c =
          RedisClient.create("redis://" + REDIS_PASSWORD + "@127.0.0.1:" + guarded.port());
      try (StatefulRedisConnection<String, String> conn = c.connect()) {
        await(
            "both replicas subscribed",
            () ->
                conn.sync()
                        .pubsubNumsub("patguard:invalidations")
                        .getOrDefault("patguard:invalidations", 0L)
                    == 2);
        assertEquals(200, deploy(a, token.secret()).statusCode());
        long afterA = brms.totalRequests();
        await("a's answer shared", () -> !conn.sync().keys("patguard:t:*").isEmpty());
        assertEquals(200, deploy(b, token.secret()).statusCode());
        assertEquals(afterA, brms.totalRequests());
      } finally {
        c.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      }
    }
  }

  @Test
  void initWhenFleetKeysFromAFileThenShared(@TempDir Path dir) throws Exception {
    Path keys = Files.writeString(dir.resolve("fleet.keys"), "k1:" + KEY_MATERIAL + "\n");
    Map<String, String> p = fleetParams();
    p.remove("redis-fleet-keys-env");
    p.put("redis-fleet-keys-file", keys.toString());
    ServletContainer a = replica(p);
    ServletContainer b = replica(fleetParams());
    awaitConnected(2);
    MintedToken token = deployToken();
    assertEquals(200, deploy(a, token.secret()).statusCode());
    long afterA = brms.totalRequests();
    await("a's answer shared", () -> !redisCommands().keys("patguard:t:*").isEmpty());
    // The same key from the environment on b: it opens a's entry.
    assertEquals(200, deploy(b, token.secret()).statusCode());
    assertEquals(afterA, brms.totalRequests());
  }

  @Test
  void destroyWhenContainerStopsThenTheSharedCacheIsClosed() throws Exception {
    ServletContainer a = replica(fleetParams());
    ServletContainer b = replica(fleetParams());
    awaitConnected(2);
    a.close();
    open.remove(a);
    await(
        "a's subscription gone",
        () ->
            redisCommands()
                    .pubsubNumsub("patguard:invalidations")
                    .getOrDefault("patguard:invalidations", 0L)
                == 1);
    assertEquals(200, deploy(b, deployToken().secret()).statusCode());
  }

  static Stream<Arguments> badInitParams() {
    return Stream.of(
        Arguments.of(
            "shared-cache", "memcached", "init-param shared-cache \"memcached\": no such shared"),
        Arguments.of("redis-uri", "http://127.0.0.1:6379", "init-param redis-uri: the Redis URI"),
        Arguments.of("redis-uri", "", "init-param redis-uri is required"),
        Arguments.of(
            "redis-uri",
            "redis://:" + REDIS_PASSWORD + "@127.0.0.1:6379",
            "init-param redis-uri: must not carry a user or password"),
        Arguments.of(
            "redis-uri",
            "redis://" + REDIS_PASSWORD + "@127.0.0.1:6379",
            "init-param redis-uri: must not carry a user or password"),
        Arguments.of(
            "redis-command-timeout",
            "fast",
            "init-param redis-command-timeout must be a duration such as PT30S, 30s, 500ms, 5m or"
                + " 1h; got \"fast\""),
        Arguments.of(
            "redis-command-timeout",
            "0s",
            "init-param redis-command-timeout \"0s\": commandTimeout must be positive"),
        Arguments.of(
            "redis-connect-timeout",
            "PT-1S",
            "init-param redis-connect-timeout \"PT-1S\": connectTimeout"),
        Arguments.of(
            "redis-reconnect-delay",
            "0ms",
            "init-param redis-reconnect-delay \"0ms\": reconnectDelay"),
        Arguments.of(
            "redis-invalidation-hold",
            "soon",
            "init-param redis-invalidation-hold must be a duration"),
        Arguments.of(
            "redis-key-prefix",
            "has space",
            "init-param redis-key-prefix \"has space\": keyPrefix"),
        Arguments.of(
            "redis-circuit-breaker-failures",
            "0",
            "init-param redis-circuit-breaker-failures \"0\": circuitBreaker failures"),
        Arguments.of(
            "redis-circuit-breaker-failures",
            "many",
            "init-param redis-circuit-breaker-failures must be a whole number; got \"many\""),
        Arguments.of(
            "redis-circuit-breaker-open-for",
            "0s",
            "init-param redis-circuit-breaker-open-for \"0s\": circuitBreaker openFor"),
        Arguments.of(
            "redis-fleet-keys-env",
            "NOT_SET",
            "init-param redis-fleet-keys-env names the environment variable NOT_SET, which is not"
                + " set"),
        Arguments.of(
            "redis-fleet-keys-env",
            "SHORT_KEYS",
            "init-param redis-fleet-keys-env: the environment variable SHORT_KEYS does not hold"
                + " fleet keys"),
        Arguments.of("redis-fleet-keys-env", "", "set one of init-param redis-fleet-keys-env"),
        Arguments.of(
            "redis-fleet-keys-file",
            "/nonexistent/fleet.keys",
            "init-param redis-fleet-keys-env (the name of an environment variable) and"),
        Arguments.of(
            "redis-password-env",
            "NOT_SET",
            "init-param redis-password-env names the environment variable NOT_SET"),
        Arguments.of(
            "redis-user", "patguard", "init-param redis-user needs init-param redis-password-env"),
        Arguments.of("redis-typo", "1", "unknown init-param \"redis-typo\""),
        Arguments.of(
            "shared-cache-timeout",
            "1 s",
            "init-param shared-cache-timeout must be a duration such as PT30S"),
        Arguments.of("shared-cache-timeout", "0s", "init-param shared-cache-timeout \"0s\": "),
        Arguments.of(
            "shared-lock-wait",
            "PT-1S",
            "init-param shared-lock-wait \"PT-1S\": sharedLockWait must not be negative"),
        Arguments.of(
            "shared-lock-wait", "1h", "init-param shared-lock-wait: sharedLockWait (PT1H)"));
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("badInitParams")
  void initWhenAFleetInitParamIsWrongThenStartupFailsNamingIt(
      String name, String value, String expected) throws Exception {
    Map<String, String> p = fleetParams();
    p.put(name, value);
    String why = startupFailure(p);
    assertTrue(why.contains(expected), why);
    assertFalse(why.contains(REDIS_PASSWORD), why);
    assertFalse(why.contains(KEY_MATERIAL), why);
    assertFalse(why.contains(ENVIRONMENT.get("SHORT_KEYS").substring(3)), why);
  }

  @Test
  void initWhenFleetKeysFileUnreadableThenRefusedNamingTheParam() throws Exception {
    Map<String, String> p = fleetParams();
    p.remove("redis-fleet-keys-env");
    p.put("redis-fleet-keys-file", "/nonexistent/fleet.keys");
    String why = startupFailure(p);
    assertTrue(
        why.contains("init-param redis-fleet-keys-file \"/nonexistent/fleet.keys\": cannot read"),
        why);
  }

  @Test
  void initWhenRedisSettingsWithoutSharedCacheThenRefusedSayingWhatIsMissing() throws Exception {
    Map<String, String> p = fleetParams();
    p.remove("shared-cache");
    String why = startupFailure(p);
    assertTrue(why.contains("need shared-cache=redis"), why);
  }

  @Test
  void initWhenSharedCacheTimeoutWithoutSharedCacheThenRefused() throws Exception {
    Map<String, String> p = new HashMap<>();
    p.put("brms-url", brms.baseUrl().toString());
    p.put("policy", "classpath:test-policy.yaml");
    p.put("shared-lock-wait", "100ms");
    String why = startupFailure(p);
    assertTrue(why.contains("init-param shared-lock-wait needs the init-param shared-cache"), why);
  }

  private String startupFailure(Map<String, String> params) {
    ServletContainer.StartupFailedException e =
        assertThrows(
            ServletContainer.StartupFailedException.class,
            () ->
                factory()
                    .start(
                        Deployment.of(
                            new PatGuardFilter(ENVIRONMENT::get, name -> null),
                            params,
                            new InvalidatingServlet())));
    StringBuilder b = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      b.append(t).append(" <- ");
    }
    return b.toString();
  }

  /**
   * The app: {@code POST /public/invalidate} with the revoked secret in {@code X-Revoked} calls
   * {@link PatGuard#invalidate} on the guard the filter published; anything else answers 200.
   */
  static final class InvalidatingServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
      if ("/public/invalidate".equals(req.getPathInfo())
          || "/public/invalidate".equals(req.getServletPath())) {
        PatGuard guard =
            (PatGuard)
                getServletContext()
                    .getAttribute(PatGuardFilter.GUARD_ATTRIBUTE_PREFIX + "patguard");
        guard.invalidateAsync(req.getHeader("X-Revoked")).join();
        res.setStatus(204);
        return;
      }
      res.setContentType("text/plain");
      res.getWriter().write("ok");
    }
  }
}
