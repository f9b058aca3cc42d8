/**
 * The token cache: secret digests to compiled grants, with per-entry lifetimes that never outlive
 * the token, one upstream lookup per key for a burst of identical misses, brief negative caching
 * in a separate bounded space, a bulkhead on upstream lookups, and outages never cached.
 */
@NullMarked
package dev.patguard.cache;

import org.jspecify.annotations.NullMarked;
