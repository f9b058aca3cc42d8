package dev.patguard.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patguard.spi.SharedTokenCache;
import dev.patguard.spi.SharedTokenCacheProvider;
import java.util.Base64;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The "redis" provider as ServiceLoader finds it on the class path (META-INF/services). */
class RedisCacheProviderTest {

  private static SharedTokenCacheProvider redis() {
    for (SharedTokenCacheProvider p : ServiceLoader.load(SharedTokenCacheProvider.class)) {
      if (p.name().equals("redis")) {
        return p;
      }
    }
    throw new AssertionError("no redis provider on the class path");
  }

  @Test
  void serviceLoaderWhenOnTheClassPathThenFindsRedisWithItsSettings() {
    SharedTokenCacheProvider p = redis();
    assertTrue(p.settingNames().contains("uri"));
    assertTrue(p.settingNames().contains("fleet-keys-env"));
  }

  @Test
  void openWhenSettingsGoodThenARedisSharedCacheThatNeverWaitsForRedis() {
    String keys = "k1:" + Base64.getEncoder().encodeToString(RedisFleetTest.bytes(4));
    SharedTokenCache cache =
        redis()
            .open(
                SharedTokenCacheProvider.Settings.of(
                    Map.of("uri", "redis://127.0.0.1:9", "fleet-keys-env", "KEYS"),
                    key -> "setting " + key,
                    Map.of("KEYS", keys)::get));
    try (RedisSharedCache r = assertInstanceOf(RedisSharedCache.class, cache)) {
      assertEquals("redis", r.name());
      assertEquals("RedisSharedCache[redis://127.0.0.1:9, prefix=patguard:]", r.toString());
    }
  }
}
