/**
 * patguard-redis: fleet mode on Redis. {@link dev.patguard.redis.RedisSharedCache} is a {@link
 * dev.patguard.spi.SharedTokenCache} that every replica of an app shares: token facts looked up by
 * one replica serve the others, and an invalidation reaches all of them. Keys are HMACs under a
 * fleet key and values are sealed with AES-GCM, so Redis never sees a secret, a plain hash of one,
 * or what a token may do.
 */
module dev.patguard.redis {
  exports dev.patguard.redis;

  requires transitive dev.patguard.core;
  requires lettuce.core;
  requires static transitive org.jspecify;

  // "redis" for configuration by name (the servlet filter's init-param shared-cache=redis).
  provides dev.patguard.spi.SharedTokenCacheProvider with
      dev.patguard.redis.internal.RedisCacheProvider;
}
