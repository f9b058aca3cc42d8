package dev.patguard.spring.boot;

import dev.patguard.CacheStats;
import dev.patguard.PatGuard;
import dev.patguard.spi.SharedTokenCache;
import dev.patguard.spring.observation.DecisionHealth;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The Actuator health of patguard ({@code /actuator/health/patguard}), from recent decisions only:
 * it never calls BRMS. {@code DOWN} while the latest decision within the window was an outage,
 * {@code OUT_OF_SERVICE} while lookups are shed (overload), {@code UP} otherwise; details give the
 * BRMS URL, the lookup, the latest failure and the cache counters.
 *
 * <p>With a shared cache (fleet mode), the detail {@code sharedCache} gives its name and, for
 * Redis, whether it is connected and subscribed and whether its circuit breaker is open, with
 * {@code state} {@code UP} or {@code DEGRADED}. That state is what the cache already knows (no
 * Redis call per probe), and it never makes patguard {@code DOWN}: without Redis every replica
 * still decides from its own cache and BRMS, only with more BRMS calls and a revocation window of
 * the cache TTL.
 */
public final class PatGuardHealthIndicator implements HealthIndicator {
  private final PatGuard guard;
  private final DecisionHealth health;
  private final @Nullable SharedTokenCache shared;

  /**
   * Reports on {@code guard} from {@code health}.
   *
   * @param guard the guard (for its URL and cache counters)
   * @param health the listener registered with that guard
   */
  public PatGuardHealthIndicator(PatGuard guard, DecisionHealth health) {
    this(guard, health, null);
  }

  /**
   * Reports on {@code guard} from {@code health}, and on the state of its shared cache.
   *
   * @param guard the guard (for its URL and cache counters)
   * @param health the listener registered with that guard
   * @param shared the guard's shared cache, or null without fleet mode
   */
  public PatGuardHealthIndicator(
      PatGuard guard, DecisionHealth health, @Nullable SharedTokenCache shared) {
    this.guard = Objects.requireNonNull(guard, "guard must not be null");
    this.health = Objects.requireNonNull(health, "health must not be null");
    this.shared = shared;
  }

  @Override
  public Health health() {
    Health.Builder b =
        switch (health.state()) {
          case OK -> Health.up();
          case OUTAGE -> Health.down();
          case OVERLOADED -> Health.outOfService();
        };
    b.withDetail("brmsUrl", guard.baseUrl().toString()).withDetail("lookup", guard.lookupName());
    health
        .lastFailure()
        .ifPresent(
            f -> b.withDetail("lastFailure", f.cause().name()).withDetail("lastFailureAt", f.at()));
    CacheStats s = guard.cacheStats();
    Map<String, Long> cache = new LinkedHashMap<>();
    cache.put("hits", s.hits());
    cache.put("negativeHits", s.negativeHits());
    cache.put("misses", s.misses());
    cache.put("upstreamLookups", s.upstreamLookups());
    cache.put("outages", s.outages());
    cache.put("shed", s.shed());
    cache.put("size", s.size());
    SharedTokenCache sc = shared;
    if (sc != null) {
      cache.put("sharedHits", s.sharedHits());
      cache.put("sharedMisses", s.sharedMisses());
      cache.put("sharedErrors", s.sharedErrors());
      cache.put("sharedInvalidations", s.sharedInvalidations());
      cache.put("sharedResets", s.sharedResets());
    }
    b.withDetail("cache", cache);
    if (sc != null) {
      b.withDetail("sharedCache", SharedCacheDetails.of(sc));
    }
    return b.build();
  }
}
