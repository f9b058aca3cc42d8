package dev.patguard.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patguard.PatGuard;
import dev.patguard.decision.Decision;
import dev.patguard.decision.Requirement;
import dev.patguard.fakebrms.Endpoint;
import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.redis.FleetKeys;
import dev.patguard.redis.RedisSharedCache;
import dev.patguard.redis.testing.RedisProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A fleet for {@code patguard invalidate} to act on: a real redis-server, fake-brms and replicas,
 * each a {@link PatGuard} with its own {@link RedisSharedCache}. Only pub/sub delivery is awaited,
 * by polling with a deadline.
 */
final class Fleet implements AutoCloseable {
  static final Requirement DEPLOY_WEB = Requirement.parse("releases:deploy@web-shop");
  static final Duration DEADLINE = Duration.ofSeconds(20);

  /** The fleet keys' text form, as in PATGUARD_FLEET_KEYS: a secret the CLI must never print. */
  static final String KEYS = "k1:" + Base64.getEncoder().encodeToString(key(7));

  final RedisProcess redis;
  final FakeBrms brms;
  final List<Replica> replicas = new ArrayList<>();

  Fleet(String redisPassword) {
    redis = RedisProcess.start(redisPassword);
    brms = FakeBrms.builder().start();
  }

  private static byte[] key(int seed) {
    byte[] b = new byte[32];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (seed * 17 + i * 5);
    }
    return b;
  }

  /** One replica: its own connection to Redis and its own guard. */
  record Replica(PatGuard guard, RedisSharedCache cache) {
    Decision decide(String secret) {
      return guard.decideBlocking(secret, DEPLOY_WEB);
    }
  }

  /** {@code count} replicas, each subscribed to the invalidations before it returns. */
  List<Replica> replicas(int count, String uri) {
    List<Replica> made = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      RedisSharedCache cache =
          RedisSharedCache.builder()
              .uri(uri)
              .fleetKeys(() -> FleetKeys.parse(KEYS))
              .reconnectDelay(Duration.ofMillis(50))
              // Not a test of timeouts: a loaded machine must not turn shared reads into misses.
              .commandTimeout(Duration.ofSeconds(5))
              .build();
      PatGuard guard =
          PatGuard.builder()
              .baseUrl(brms.baseUrl())
              .cacheTtl(Duration.ofSeconds(60))
              .sharedCache(cache)
              .sharedCacheTimeout(Duration.ofSeconds(5))
              .requestTimeout(Duration.ofSeconds(10))
              .build();
      Replica r = new Replica(guard, cache);
      replicas.add(r);
      made.add(r);
      await("subscribed", () -> cache.isSubscribed() && cache.isConnected());
    }
    return made;
  }

  List<Replica> replicas(int count) {
    return replicas(count, redis.uri());
  }

  long selfCalls() {
    return brms.requestCount(Endpoint.SELF_LIST);
  }

  /** Every replica decides on {@code secret}: a permit each, one BRMS call in all. */
  void cacheEverywhere(String secret) {
    long before = selfCalls();
    for (Replica r : replicas) {
      Decision d = r.decide(secret);
      assertTrue(d.isPermit(), d::explain);
      // The first replica's write lands asynchronously: the others read it once it has.
      await(
          "the shared entry written",
          () -> r.cache().get(dev.patguard.token.SecretDigest.of(secret)).join().isPresent());
    }
    assertTrue(selfCalls() - before == 1, "one BRMS call for the whole fleet");
  }

  static void await(String what, BooleanSupplier condition) {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - end > 0) {
        throw new AssertionError("not " + what + " within " + DEADLINE);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  @Override
  public void close() {
    for (Replica r : replicas) {
      r.guard().close();
      r.cache().close();
    }
    brms.close();
    redis.close();
  }
}
