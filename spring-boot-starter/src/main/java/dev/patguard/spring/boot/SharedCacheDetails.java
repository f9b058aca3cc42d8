package dev.patguard.spring.boot;

import dev.patguard.redis.RedisSharedCache;
import dev.patguard.spi.SharedTokenCache;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.util.ClassUtils;

/**
 * The health details of a shared cache, from the state it already holds: never a call to the store
 * per probe.
 */
final class SharedCacheDetails {
  private static final boolean REDIS =
      ClassUtils.isPresent(
          "dev.patguard.redis.RedisSharedCache", SharedCacheDetails.class.getClassLoader());

  private SharedCacheDetails() {}

  static Map<String, Object> of(SharedTokenCache shared) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("name", shared.name());
    if (REDIS) {
      Redis.add(shared, details);
    }
    return details;
  }

  /** Touches patguard-redis's classes only when they are present. */
  private static final class Redis {
    static void add(SharedTokenCache shared, Map<String, Object> details) {
      if (shared instanceof RedisSharedCache r) {
        boolean connected = r.isConnected();
        boolean subscribed = r.isSubscribed();
        boolean circuitOpen = r.isCircuitOpen();
        // Degraded, not down: decisions go on from each replica's cache and BRMS.
        details.put("state", connected && subscribed && !circuitOpen ? "UP" : "DEGRADED");
        details.put("connected", connected);
        details.put("subscribed", subscribed);
        details.put("circuitOpen", circuitOpen);
      }
    }
  }
}
