/**
 * Fleet mode on Redis: {@link dev.patguard.redis.RedisSharedCache}, configured with a Redis URI and
 * a {@link dev.patguard.redis.FleetKeys fleet key ring}, plugs into {@code
 * PatGuard.builder().sharedCache(...)}.
 */
@NullMarked
package dev.patguard.redis;

import org.jspecify.annotations.NullMarked;
