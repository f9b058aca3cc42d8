package dev.patguard.spring.observation;

import dev.patguard.CacheStats;
import dev.patguard.PatGuard;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * A guard's cache counters as Micrometer meters: {@code patguard.cache.requests} counters tagged
 * {@code result} ({@code hit}, {@code negative-hit}, {@code miss}), {@code patguard.cache.lookups}
 * (lookups started against BRMS), {@code patguard.cache.outages}, {@code patguard.cache.shed},
 * {@code patguard.cache.stale-served} and the gauge {@code patguard.cache.size}; for fleet mode
 * {@code patguard.cache.shared.requests} tagged {@code result} ({@code hit}, {@code miss}), {@code
 * patguard.cache.shared.errors}, {@code patguard.cache.shared.invalidations} and {@code
 * patguard.cache.shared.resets} (zero without a shared cache). Read from {@link
 * PatGuard#cacheStats()} when the registry asks; nothing is recorded per decision.
 */
public final class PatGuardCacheMeters implements MeterBinder {
  private final PatGuard guard;

  /**
   * Meters for {@code guard}'s cache.
   *
   * @param guard the guard; not null
   * @throws NullPointerException if {@code guard} is null
   */
  public PatGuardCacheMeters(PatGuard guard) {
    this.guard = Objects.requireNonNull(guard, "guard must not be null");
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    counter(registry, "patguard.cache.requests", "hit", CacheStats::hits);
    counter(registry, "patguard.cache.requests", "negative-hit", CacheStats::negativeHits);
    counter(registry, "patguard.cache.requests", "miss", CacheStats::misses);
    counter(registry, "patguard.cache.lookups", null, CacheStats::upstreamLookups);
    counter(registry, "patguard.cache.outages", null, CacheStats::outages);
    counter(registry, "patguard.cache.shed", null, CacheStats::shed);
    counter(registry, "patguard.cache.stale-served", null, CacheStats::staleServed);
    counter(registry, "patguard.cache.shared.requests", "hit", CacheStats::sharedHits);
    counter(registry, "patguard.cache.shared.requests", "miss", CacheStats::sharedMisses);
    counter(registry, "patguard.cache.shared.errors", null, CacheStats::sharedErrors);
    counter(registry, "patguard.cache.shared.invalidations", null, CacheStats::sharedInvalidations);
    counter(registry, "patguard.cache.shared.resets", null, CacheStats::sharedResets);
    Gauge.builder("patguard.cache.size", guard, g -> g.cacheStats().size())
        .description("grants cached now (approximate)")
        .register(registry);
  }

  private void counter(
      MeterRegistry registry,
      String name,
      @Nullable String result,
      ToLongFunction<CacheStats> read) {
    FunctionCounter.Builder<PatGuard> b =
        FunctionCounter.builder(name, guard, g -> read.applyAsLong(g.cacheStats()));
    if (result != null) {
      b.tag("result", result);
    }
    b.register(registry);
  }
}
