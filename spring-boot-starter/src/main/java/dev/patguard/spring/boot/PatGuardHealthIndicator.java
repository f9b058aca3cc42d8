package dev.patguard.spring.boot;

import dev.patguard.CacheStats;
import dev.patguard.PatGuard;
import dev.patguard.spring.observation.DecisionHealth;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The Actuator health of patguard ({@code /actuator/health/patguard}), from recent decisions only:
 * it never calls BRMS. {@code DOWN} while the latest decision within the window was an outage,
 * {@code OUT_OF_SERVICE} while lookups are shed (overload), {@code UP} otherwise; details give the
 * BRMS URL, the lookup, the latest failure and the cache counters.
 */
public final class PatGuardHealthIndicator implements HealthIndicator {
  private final PatGuard guard;
  private final DecisionHealth health;

  /**
   * Reports on {@code guard} from {@code health}.
   *
   * @param guard the guard (for its URL and cache counters)
   * @param health the listener registered with that guard
   */
  public PatGuardHealthIndicator(PatGuard guard, DecisionHealth health) {
    this.guard = Objects.requireNonNull(guard, "guard must not be null");
    this.health = Objects.requireNonNull(health, "health must not be null");
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
    b.withDetail("cache", cache);
    return b.build();
  }
}
