package dev.patguard;

/**
 * A snapshot of the cache's counters since it was built.
 *
 * <p>The {@code shared…} counters stay zero unless the guard has a {@linkplain
 * PatGuard.Builder#sharedCache shared level}. A shared hit is also a {@code miss} of the local
 * cache, and a request that misses both levels also counts one {@code upstreamLookups}.
 *
 * @param hits requests answered from a cached grant
 * @param negativeHits requests answered from a cached rejection
 * @param misses requests that needed a lookup (joined or started)
 * @param upstreamLookups lookups actually started against BRMS (coalesced misses count once)
 * @param rejections lookups that found the token rejected or forbidden
 * @param outages lookups that failed because BRMS could not be asked
 * @param staleServed outages answered with stale facts (stale-if-error)
 * @param shed lookups refused because the bulkhead and its queue were full
 * @param size grants cached now (approximate)
 * @param sharedHits lookups answered by the shared level (a grant or a rejection another guard
 *     wrote)
 * @param sharedMisses lookups the shared level had no live entry for
 * @param sharedErrors shared-level faults, each a miss or a lost write: a failed, late or garbled
 *     read, a failed write or invalidation
 * @param sharedInvalidations invalidations received from the shared level (this guard's own
 *     included, as the shared level echoes them)
 * @param sharedResets times the shared level said invalidations may have been lost, each dropping
 *     the whole local cache
 */
public record CacheStats(
    long hits,
    long negativeHits,
    long misses,
    long upstreamLookups,
    long rejections,
    long outages,
    long staleServed,
    long shed,
    long size,
    long sharedHits,
    long sharedMisses,
    long sharedErrors,
    long sharedInvalidations,
    long sharedResets) {

  /**
   * The counters of a guard without a shared level.
   *
   * @param hits requests answered from a cached grant
   * @param negativeHits requests answered from a cached rejection
   * @param misses requests that needed a lookup (joined or started)
   * @param upstreamLookups lookups actually started against BRMS
   * @param rejections lookups that found the token rejected or forbidden
   * @param outages lookups that failed because BRMS could not be asked
   * @param staleServed outages answered with stale facts
   * @param shed lookups refused because the bulkhead and its queue were full
   * @param size grants cached now (approximate)
   */
  public CacheStats(
      long hits,
      long negativeHits,
      long misses,
      long upstreamLookups,
      long rejections,
      long outages,
      long staleServed,
      long shed,
      long size) {
    this(
        hits,
        negativeHits,
        misses,
        upstreamLookups,
        rejections,
        outages,
        staleServed,
        shed,
        size,
        0,
        0,
        0,
        0,
        0);
  }
}
