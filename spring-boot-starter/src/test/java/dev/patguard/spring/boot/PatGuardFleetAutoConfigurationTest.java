package dev.patguard.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patguard.PatGuard;
import dev.patguard.decision.Decision;
import dev.patguard.decision.Requirement;
import dev.patguard.redis.RedisSharedCache;
import dev.patguard.redis.testing.RedisProcess;
import dev.patguard.spi.SharedTokenCache;
import dev.patguard.spring.observation.PatGuardCacheMeters;
import dev.patguard.token.SecretDigest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code patguard.shared-cache.*}: conditions, back-off, binding, bad values, health, meters. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PatGuardFleetAutoConfigurationTest {
  static final String KEY_MATERIAL = Base64.getEncoder().encodeToString(bytes(32, 5));
  static final String KEYS = "k1:" + KEY_MATERIAL;
  private static final String SHORT_KEY = "c2hvcnRrZXk="; // 8 bytes: too short
  private static final String PASSWORD = "redis-pw-0e4d9a17c3b6";
  private static final String URL = "patguard.brms-url=http://127.0.0.1:9";

  private RedisProcess redis;

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(PatGuardAutoConfiguration.class));

  static byte[] bytes(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (seed * 31 + i * 7);
    }
    return b;
  }

  @BeforeAll
  void startRedis() {
    redis = RedisProcess.start(null);
  }

  @AfterAll
  void stopRedis() {
    redis.close();
  }

  private String[] fleet(String... more) {
    List<String> all = new ArrayList<>();
    all.add(URL);
    all.add("patguard.shared-cache.redis.uri=" + redis.uri());
    all.add("patguard.shared-cache.redis.fleet-keys=" + KEYS);
    all.add("patguard.shared-cache.redis.reconnect-delay=50ms");
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
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

  private static String failures(AssertableApplicationContext ctx) {
    StringBuilder all = new StringBuilder();
    for (Throwable c = ctx.getStartupFailure(); c != null; c = c.getCause()) {
      all.append(c).append('\n');
    }
    return all.toString();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> sharedDetails(Health h) {
    return (Map<String, Object>) h.getDetails().get("sharedCache");
  }

  @Test
  void sharedCacheWhenNoUriThenNoRedisBeanAndNoSharedDetails() {
    runner
        .withPropertyValues(URL)
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              assertThat(ctx).doesNotHaveBean(SharedTokenCache.class);
              assertThat(ctx.getBean(PatGuardHealthIndicator.class).health().getDetails())
                  .doesNotContainKey("sharedCache");
            });
  }

  @Test
  void sharedCacheWhenUriAndKeysThenRedisBeanUsedByTheGuardAndClosedWithTheContext() {
    RedisSharedCache[] seen = new RedisSharedCache[1];
    runner
        .withPropertyValues(fleet())
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              RedisSharedCache fleet = ctx.getBean(RedisSharedCache.class);
              seen[0] = fleet;
              await("connected", () -> fleet.isConnected() && fleet.isSubscribed());
              Health h = ctx.getBean(PatGuardHealthIndicator.class).health();
              assertThat(h.getStatus()).isEqualTo(Status.UP);
              assertThat(sharedDetails(h))
                  .containsEntry("name", "redis")
                  .containsEntry("state", "UP")
                  .containsEntry("connected", true)
                  .containsEntry("subscribed", true)
                  .containsEntry("circuitOpen", false);
              @SuppressWarnings("unchecked")
              Map<String, Object> cache = (Map<String, Object>) h.getDetails().get("cache");
              assertThat(cache).containsKeys("sharedHits", "sharedMisses", "sharedErrors");
              assertThat(ctx.getBean(PatGuardProperties.class).toString())
                  .doesNotContain(KEY_MATERIAL);
            });
    assertThat(seen[0].isConnected()).as("closed with the context").isFalse();
  }

  @Test
  void healthWhenRedisGoesDownThenSharedCacheDegradedButPatguardStaysUp() {
    try (RedisProcess own = RedisProcess.start(null)) {
      runner
          .withPropertyValues(
              URL,
              "patguard.shared-cache.redis.uri=" + own.uri(),
              "patguard.shared-cache.redis.fleet-keys=" + KEYS,
              "patguard.shared-cache.redis.reconnect-delay=50ms")
          .run(
              ctx -> {
                RedisSharedCache fleet = ctx.getBean(RedisSharedCache.class);
                await("connected", () -> fleet.isConnected() && fleet.isSubscribed());
                own.kill();
                await("disconnected", () -> !fleet.isConnected());
                Health h = ctx.getBean(PatGuardHealthIndicator.class).health();
                assertThat(h.getStatus()).isEqualTo(Status.UP);
                assertThat(sharedDetails(h))
                    .containsEntry("state", "DEGRADED")
                    .containsEntry("connected", false);
              });
    }
  }

  @Test
  void sharedCacheWhenUserDefinesOneThenRedisBacksOffAndTheGuardUsesTheirs() {
    runner
        .withPropertyValues(fleet())
        .withUserConfiguration(OwnCache.class)
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              assertThat(ctx).doesNotHaveBean(RedisSharedCache.class);
              assertThat(ctx).hasSingleBean(SharedTokenCache.class);
              assertThat(sharedDetails(ctx.getBean(PatGuardHealthIndicator.class).health()))
                  .containsEntry("name", "own")
                  .doesNotContainKey("state");
              PatGuard guard = ctx.getBean(PatGuard.class);
              guard.decideBlocking("tok-own", Requirement.authenticated());
              assertThat(ctx.getBean(OwnCache.Recording.class).reads).isPositive();
            });
  }

  @Test
  void sharedCacheWhenContextClosesThenTheGuardIsClosedBeforeTheCache() {
    OwnCache.Recording[] seen = new OwnCache.Recording[1];
    runner
        .withPropertyValues(URL)
        .withUserConfiguration(OwnCache.class)
        .run(
            ctx -> {
              seen[0] = ctx.getBean(OwnCache.Recording.class);
              seen[0].guard = ctx.getBean(PatGuard.class);
            });
    assertThat(seen[0].guardClosedAtClose).isTrue();
  }

  @Test
  void sharedCacheWhenPatguardRedisAbsentThenStartupSaysWhichArtifactToAdd() {
    runner
        .withPropertyValues(fleet())
        .withClassLoader(new FilteredClassLoader(RedisSharedCache.class))
        .run(
            ctx ->
                assertThat(ctx)
                    .getFailure()
                    .rootCause()
                    .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                    .hasMessageContaining("patguard.shared-cache.redis.uri")
                    .hasMessageContaining("dev.patguard:patguard-redis"));
  }

  @Test
  void healthAndGuardWhenPatguardRedisAbsentAndNoFleetThenStart() {
    runner
        .withPropertyValues(URL)
        .withClassLoader(new FilteredClassLoader(RedisSharedCache.class))
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              assertThat(ctx.getBean(PatGuardHealthIndicator.class).health().getStatus())
                  .isEqualTo(Status.UP);
            });
  }

  @Test
  void propertiesWhenBoundThenEveryKeyReachesItsFieldAndNoSecretIsShown(@TempDir Path dir)
      throws Exception {
    Path file = Files.writeString(dir.resolve("keys"), KEYS);
    runner
        .withPropertyValues(
            URL,
            "patguard.shared-cache.timeout=300ms",
            "patguard.shared-cache.lock-wait=400ms",
            "patguard.shared-cache.redis.uri=" + redis.uri(),
            "patguard.shared-cache.redis.fleet-keys-file=" + file,
            "patguard.shared-cache.redis.key-prefix=app1:",
            "patguard.shared-cache.redis.command-timeout=150ms",
            "patguard.shared-cache.redis.connect-timeout=2s",
            "patguard.shared-cache.redis.reconnect-delay=3s",
            "patguard.shared-cache.redis.invalidation-hold=20s",
            "patguard.shared-cache.redis.circuit-breaker.failures=7",
            "patguard.shared-cache.redis.circuit-breaker.open-for=4s")
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              PatGuardProperties.SharedCache s =
                  ctx.getBean(PatGuardProperties.class).getSharedCache();
              assertThat(s.getTimeout()).isEqualTo(Duration.ofMillis(300));
              assertThat(s.getLockWait()).isEqualTo(Duration.ofMillis(400));
              PatGuardProperties.Redis r = s.getRedis();
              assertThat(r.getUri()).isEqualTo(redis.uri());
              assertThat(r.getFleetKeysFile()).isEqualTo(file);
              assertThat(r.getKeyPrefix()).isEqualTo("app1:");
              assertThat(r.getCommandTimeout()).isEqualTo(Duration.ofMillis(150));
              assertThat(r.getConnectTimeout()).isEqualTo(Duration.ofSeconds(2));
              assertThat(r.getReconnectDelay()).isEqualTo(Duration.ofSeconds(3));
              assertThat(r.getInvalidationHold()).isEqualTo(Duration.ofSeconds(20));
              assertThat(r.getCircuitBreaker().getFailures()).isEqualTo(7);
              assertThat(r.getCircuitBreaker().getOpenFor()).isEqualTo(Duration.ofSeconds(4));
              assertThat(ctx.getBean(RedisSharedCache.class).toString()).contains("app1:");
            });
    try (RedisProcess guarded = RedisProcess.start(PASSWORD)) {
      runner
          .withPropertyValues(
              URL,
              "patguard.shared-cache.redis.uri=" + guarded.uri(),
              "patguard.shared-cache.redis.password=" + PASSWORD,
              "patguard.shared-cache.redis.fleet-keys=" + KEYS)
          .run(
              ctx -> {
                RedisSharedCache fleet = ctx.getBean(RedisSharedCache.class);
                await("authenticated", () -> fleet.isConnected() && fleet.isSubscribed());
                PatGuardProperties p = ctx.getBean(PatGuardProperties.class);
                assertThat(p.getSharedCache().getRedis().getPassword()).isEqualTo(PASSWORD);
                assertThat(p.toString()).doesNotContain(PASSWORD).doesNotContain(KEY_MATERIAL);
                assertThat(fleet.toString()).doesNotContain(PASSWORD);
                assertThat(ctx.getBean(PatGuardHealthIndicator.class).health().toString())
                    .doesNotContain(PASSWORD)
                    .doesNotContain(KEY_MATERIAL);
              });
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "patguard.shared-cache.redis.uri=http://127.0.0.1:6379 | patguard.shared-cache.redis.uri"
            + " | http://127.0.0.1:6379",
        "patguard.shared-cache.redis.uri=redis://:"
            + PASSWORD
            + "@127.0.0.1:6379"
            + " | patguard.shared-cache.redis.uri | ***",
        "patguard.shared-cache.redis.uri=redis://"
            + PASSWORD
            + "@127.0.0.1:6379"
            + " | patguard.shared-cache.redis.uri | ***",
        "patguard.shared-cache.redis.command-timeout=0s"
            + " | patguard.shared-cache.redis.command-timeout | PT0S",
        "patguard.shared-cache.redis.connect-timeout=-1s"
            + " | patguard.shared-cache.redis.connect-timeout | PT-1S",
        "patguard.shared-cache.redis.reconnect-delay=0ms"
            + " | patguard.shared-cache.redis.reconnect-delay | PT0S",
        "patguard.shared-cache.redis.invalidation-hold=0s"
            + " | patguard.shared-cache.redis.invalidation-hold | PT0S",
        "patguard.shared-cache.redis.key-prefix=has space"
            + " | patguard.shared-cache.redis.key-prefix | has space",
        "patguard.shared-cache.redis.circuit-breaker.failures=0"
            + " | patguard.shared-cache.redis.circuit-breaker.failures | 0",
        "patguard.shared-cache.redis.circuit-breaker.open-for=0s"
            + " | patguard.shared-cache.redis.circuit-breaker.open-for | PT0S",
        "patguard.shared-cache.redis.fleet-keys=k1:"
            + SHORT_KEY
            + " | patguard.shared-cache.redis.fleet-keys | ***",
        "patguard.shared-cache.redis.fleet-keys-file=/nonexistent/keys"
            + " | patguard.shared-cache.redis.fleet-keys | ***",
        "patguard.shared-cache.redis.user=patguard"
            + " | patguard.shared-cache.redis.user | patguard",
        "patguard.shared-cache.redis.password=" + " | patguard.shared-cache.redis.password | ***",
        "patguard.shared-cache.timeout=0s | patguard.shared-cache.timeout | PT0S",
        "patguard.shared-cache.lock-wait=-1s | patguard.shared-cache.lock-wait | PT-1S",
        "patguard.shared-cache.lock-wait=1h | patguard.shared-cache.lock-wait | PT1H",
      })
  void sharedCacheWhenValueIsBadThenStartupFailsNamingPropertyAndValueNeverASecret(
      String setting, String property, String shown) {
    runner
        .withPropertyValues(fleet(setting))
        .run(
            ctx -> {
              assertThat(ctx)
                  .getFailure()
                  .rootCause()
                  .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                  .hasMessageContaining(
                      "Property " + property + " with value '" + shown + "' is invalid");
              assertThat(failures(ctx))
                  .doesNotContain(PASSWORD)
                  .doesNotContain(KEY_MATERIAL)
                  .doesNotContain(SHORT_KEY);
            });
  }

  @Test
  void sharedCacheWhenNoFleetKeysThenStartupFailsSayingWhereTheyGo() {
    runner
        .withPropertyValues(URL, "patguard.shared-cache.redis.uri=" + redis.uri())
        .run(
            ctx ->
                assertThat(ctx)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("patguard.shared-cache.redis.fleet-keys")
                    .hasMessageContaining("PATGUARD_SHAREDCACHE_REDIS_FLEETKEYS"));
  }

  @Test
  void sharedCacheWhenFleetKeyFileUnreadableThenStartupFailsNamingTheFile() {
    runner
        .withPropertyValues(
            URL,
            "patguard.shared-cache.redis.uri=" + redis.uri(),
            "patguard.shared-cache.redis.fleet-keys-file=/nonexistent/keys")
        .run(
            ctx ->
                assertThat(ctx)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining(
                        "Property patguard.shared-cache.redis.fleet-keys-file with value"
                            + " '/nonexistent/keys' is invalid"));
  }

  @Test
  void sharedCacheTimeoutWhenNoSharedCacheThenStartupFailsNamingIt() {
    runner
        .withPropertyValues(URL, "patguard.shared-cache.timeout=100ms")
        .run(
            ctx ->
                assertThat(ctx)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("patguard.shared-cache.timeout")
                    .hasMessageContaining("needs a shared cache"));
  }

  @Test
  void metersWhenBoundThenTheSharedCountersAreMeters() {
    runner
        .withPropertyValues(fleet())
        .run(
            ctx -> {
              SimpleMeterRegistry registry = new SimpleMeterRegistry();
              ctx.getBean(PatGuardCacheMeters.class).bindTo(registry);
              assertThat(
                      registry
                          .get("patguard.cache.shared.requests")
                          .tag("result", "miss")
                          .functionCounter())
                  .isNotNull();
              assertThat(registry.get("patguard.cache.shared.requests").tag("result", "hit"))
                  .isNotNull();
              assertThat(registry.get("patguard.cache.shared.errors").functionCounter())
                  .isNotNull();
              assertThat(registry.get("patguard.cache.shared.invalidations").functionCounter())
                  .isNotNull();
              assertThat(registry.get("patguard.cache.shared.resets").functionCounter())
                  .isNotNull();
              RedisSharedCache fleet = ctx.getBean(RedisSharedCache.class);
              await("connected", () -> fleet.isConnected() && fleet.isSubscribed());
              ctx.getBean(PatGuard.class).decideBlocking("tok-meter", Requirement.authenticated());
              assertThat(
                      registry
                          .get("patguard.cache.shared.requests")
                          .tag("result", "miss")
                          .functionCounter()
                          .count())
                  .isEqualTo(1.0);
            });
  }

  /** An application's own shared level, recording reads and its close. */
  @Configuration(proxyBeanMethods = false)
  static class OwnCache {
    @Bean
    Recording ownSharedCache() {
      return new Recording();
    }

    static final class Recording implements SharedTokenCache, AutoCloseable {
      volatile int reads;
      volatile PatGuard guard;
      volatile boolean guardClosedAtClose;

      @Override
      public CompletableFuture<Optional<byte[]>> get(SecretDigest digest) {
        reads++;
        return CompletableFuture.completedFuture(Optional.empty());
      }

      @Override
      public CompletableFuture<Void> put(SecretDigest digest, byte[] value, Duration ttl) {
        return CompletableFuture.completedFuture(null);
      }

      @Override
      public CompletableFuture<Void> invalidate(SecretDigest digest) {
        return CompletableFuture.completedFuture(null);
      }

      @Override
      public Subscription subscribe(Listener listener) {
        return () -> {};
      }

      @Override
      public String name() {
        return "own";
      }

      @Override
      public void close() {
        PatGuard g = guard;
        // A closed guard answers Indeterminate without asking anyone.
        guardClosedAtClose =
            g != null
                && g.decideBlocking("tok-closed", Requirement.authenticated())
                    instanceof Decision.Indeterminate i
                && i.detail().contains("closed");
      }
    }
  }
}
