/**
 * Micrometer observations of patguard decisions ({@code micrometer-observation}), the cache
 * counters as meters ({@code micrometer-core}) and decision-based health; no Spring, so they work
 * outside it too: {@code PatGuard.builder().listener(new PatGuardObservations(registry))}, {@code
 * new PatGuardCacheMeters(guard).bindTo(meterRegistry)}.
 */
@NullMarked
package dev.patguard.spring.observation;

import org.jspecify.annotations.NullMarked;
