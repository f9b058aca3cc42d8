package dev.patguard.redis;

import dev.patguard.CacheStats;
import dev.patguard.PatGuard;
import dev.patguard.decision.Decision;
import dev.patguard.decision.Requirement;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A replica in its own JVM, for {@link RedisProcessesTest}: reads the Redis URI, the BRMS URL and
 * the fleet keys from its environment, the secret from the first line of stdin (never argv), then
 * answers one command per line: {@code decide}, {@code await-invalidation}, {@code quit}.
 */
public final class ReplicaProcessMain {
  private ReplicaProcessMain() {}

  public static void main(String[] args) throws Exception {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String secret = in.readLine();
    try (RedisSharedCache fleet =
            RedisSharedCache.builder()
                .uri(System.getenv("TEST_REDIS_URI"))
                .fleetKeys(FleetKeys.fromEnv("TEST_FLEET_KEYS"))
                .reconnectDelay(Duration.ofMillis(50))
                // Not a test of timeouts: a JVM starting on a loaded machine must not miss.
                .commandTimeout(RedisProcessesTest.PATIENT)
                .build();
        PatGuard guard =
            PatGuard.builder()
                .baseUrl(System.getenv("TEST_BRMS_URL"))
                .cacheTtl(Duration.ofSeconds(60))
                .sharedCache(fleet)
                .sharedCacheTimeout(RedisProcessesTest.PATIENT)
                .build()) {
      RedisFleetTest.await("subscribed", () -> fleet.isSubscribed() && fleet.isConnected());
      System.out.println("ready");
      String command;
      while ((command = in.readLine()) != null) {
        switch (command) {
          case "decide":
            Decision d =
                guard.decideBlocking(secret, Requirement.parse("releases:deploy@web-shop"));
            CacheStats s = guard.cacheStats();
            System.out.println(
                (d.isPermit() ? "PERMIT" : d instanceof Decision.Deny ? "DENY" : "INDETERMINATE")
                    + " sharedHits="
                    + s.sharedHits()
                    + " hits="
                    + s.hits());
            break;
          case "await-invalidation":
            RedisFleetTest.await(
                "invalidated", () -> guard.cacheStats().sharedInvalidations() >= 1);
            System.out.println("invalidated size=" + guard.cacheStats().size());
            break;
          default:
            System.out.println("bye");
            return;
        }
      }
    }
  }
}
