package dev.patguard.redis;

/**
 * What Redis confirmed of an invalidation ({@link RedisSharedCache#evict}, {@link
 * RedisSharedCache#evictToken}).
 *
 * @param entriesDeleted how many shared entries were deleted (0: none was held, which is no fault)
 * @param receivers how many subscribers Redis delivered the invalidation to: one per {@link
 *     RedisSharedCache} a guard uses, so usually one per replica; 0 means no replica is listening
 *     on this Redis and key prefix now (any that reconnect drop everything they hold)
 */
public record Eviction(long entriesDeleted, long receivers) {}
