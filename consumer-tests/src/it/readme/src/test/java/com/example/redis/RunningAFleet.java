package com.example.redis;

// snippet:start fleet
import dev.patguard.PatGuard;
import dev.patguard.redis.FleetKeys;
import dev.patguard.redis.RedisSharedCache;
import java.time.Duration;
// snippet:end fleet

/** redis/README.md, "Running a fleet" (compiled only: it names a real Redis and BRMS). */
class RunningAFleet {
  void start() {
    // snippet:start fleet
    RedisSharedCache fleet = RedisSharedCache.builder()
        .uri("rediss://cache.internal:6380")                          // rediss:// = TLS
        .credentials("patguard", () -> System.getenv("REDIS_PASSWORD")) // ACL user; or in the URI
        .fleetKeys(FleetKeys.fromEnv("PATGUARD_FLEET_KEYS"))          // or FleetKeys.fromFile(path)
        .build();                                                     // never waits for Redis
    PatGuard guard = PatGuard.builder()
        .baseUrl("https://acme.us1.gorules.io")
        .cacheTtl(Duration.ofSeconds(30))
        .sharedCache(fleet)
        .build();
    // on shutdown: guard.close(); fleet.close();
    // snippet:end fleet
    guard.close();
    fleet.close();
  }
}
