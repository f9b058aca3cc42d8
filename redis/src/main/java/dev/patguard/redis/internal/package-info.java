/**
 * Not API: the {@code redis} {@link dev.patguard.spi.SharedTokenCacheProvider}, which configures a
 * {@link dev.patguard.redis.RedisSharedCache} from text settings (the servlet filter's {@code
 * redis-*} init-params). Found by {@link java.util.ServiceLoader}; not exported.
 */
@NullMarked
package dev.patguard.redis.internal;

import org.jspecify.annotations.NullMarked;
