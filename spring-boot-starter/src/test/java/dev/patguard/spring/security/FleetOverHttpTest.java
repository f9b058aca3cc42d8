package dev.patguard.spring.security;

import static dev.patguard.spring.SecretScan.assertNoSecret;
import static org.assertj.core.api.Assertions.assertThat;

import dev.patguard.PatGuard;
import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.MintedToken;
import dev.patguard.redis.RedisSharedCache;
import dev.patguard.redis.testing.RedisProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two replicas of the release portal, each a real Spring Boot app on a random port configured by
 * {@code patguard.shared-cache.redis.*} alone, sharing one real redis-server and one fake-brms.
 */
class FleetOverHttpTest {
  private static final String KEYS =
      "k1:" + Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private RedisProcess redis;
  private FakeBrms brms;
  private ConfigurableApplicationContext a;
  private ConfigurableApplicationContext b;
  private RedisClient rawClient;
  private StatefulRedisConnection<String, String> raw;

  @BeforeEach
  void start() {
    redis = RedisProcess.start(null);
    brms = FakeBrms.start();
    a = replica();
    b = replica();
    rawClient = RedisClient.create(redis.uri());
    raw = rawClient.connect();
  }

  @AfterEach
  void stop() {
    raw.close();
    rawClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    a.close();
    b.close();
    brms.close();
    redis.close();
  }

  private ConfigurableApplicationContext replica() {
    return new SpringApplicationBuilder(ReleasePortalApp.class)
        .properties(
            "server.port=0",
            "spring.main.banner-mode=off",
            "patguard.brms-url=" + brms.baseUrl(),
            "patguard.max-retries=0",
            "patguard.shared-cache.redis.uri=" + redis.uri(),
            "patguard.shared-cache.redis.fleet-keys=" + KEYS,
            "patguard.shared-cache.redis.reconnect-delay=50ms",
            "patguard.shared-cache.redis.command-timeout=200ms",
            "patguard.shared-cache.timeout=500ms")
        .run();
  }

  private static int port(ConfigurableApplicationContext ctx) {
    return ((WebServerApplicationContext) ctx).getWebServer().getPort();
  }

  private static void await(String what, BooleanSupplier condition) {
    long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private static void awaitConnected(ConfigurableApplicationContext ctx) {
    RedisSharedCache fleet = ctx.getBean(RedisSharedCache.class);
    await("connected and subscribed", () -> fleet.isConnected() && fleet.isSubscribed());
  }

  private static int deploy(ConfigurableApplicationContext ctx, String secret) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://127.0.0.1:"
                              + port(ctx)
                              + "/api/projects/web-shop/releases/deploy"))
                  .timeout(Duration.ofSeconds(20))
                  .header("Authorization", "Bearer " + secret)
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertNoSecret(r.body(), "a body", secret);
      return r.statusCode();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void secondReplicasFirstRequestCostsNoBrmsCallAndAnInvalidationReachesTheOther() {
    awaitConnected(a);
    awaitConnected(b);
    MintedToken token =
        brms.mint(t -> t.permissions("releases:deploy").projects("web-shop").neverExpires());

    assertThat(deploy(a, token.secret())).isEqualTo(202);
    long afterA = brms.totalRequests();
    assertThat(afterA).isEqualTo(1);
    await("a's answer shared", () -> !raw.sync().keys("patguard:t:*").isEmpty());
    assertThat(raw.sync().keys("patguard:*")).noneMatch(k -> k.contains(token.secret()));

    assertThat(deploy(b, token.secret())).isEqualTo(202);
    assertThat(brms.totalRequests()).as("b's first request cost no BRMS call").isEqualTo(afterA);

    brms.revoke(token.id());
    assertThat(deploy(b, token.secret())).as("cached until invalidated").isEqualTo(202);
    a.getBean(PatGuard.class).invalidateAsync(token.secret()).join();
    await("b refuses the revoked token", () -> deploy(b, token.secret()) == 401);
    assertThat(deploy(a, token.secret())).isEqualTo(401);
  }

  @Test
  void redisDownThenBothReplicasStillDecideFromBrms() {
    awaitConnected(a);
    redis.kill();
    MintedToken token =
        brms.mint(t -> t.permissions("releases:deploy").projects("web-shop").neverExpires());
    MintedToken other =
        brms.mint(t -> t.permissions("releases:deploy").projects("docs").neverExpires());
    assertThat(deploy(a, token.secret())).isEqualTo(202);
    assertThat(deploy(b, token.secret())).isEqualTo(202);
    assertThat(deploy(b, other.secret())).isEqualTo(403);
    assertThat(brms.totalRequests()).isGreaterThanOrEqualTo(3);
  }
}
