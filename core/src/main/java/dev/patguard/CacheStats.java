package dev.patguard;

/**
 * A snapshot of the cache's counters since it was built.
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
    long size) {}
