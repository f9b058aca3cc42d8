package dev.patguard;

import dev.patguard.token.PersonalAccessToken;
import java.lang.reflect.Field;
import java.net.URI;
import java.util.List;
import java.util.function.Function;

/**
 * What the benchmarks measure below core's public door: patguard's BRMS client on its own, to split
 * a cold lookup's cost between the HTTP exchange and the rest. It lives in core's package in the
 * unpublished benchmarks module (the shaded benchmarks jar runs on the class path), so core keeps
 * the client package-private. Nothing published may use it. Also: dropping one guard's own cache
 * without touching its shared level, so the fleet benchmarks (#16) can time an L1 miss that is an
 * L2 hit.
 */
public final class BenchmarkHooks {
  private BenchmarkHooks() {}

  /**
   * A function that lists a secret's own tokens with a fresh {@link BrmsClient} on {@code baseUrl}.
   */
  public static Function<String, List<PersonalAccessToken>> ownTokensLister(URI baseUrl) {
    BrmsClient client = BrmsClient.builder().baseUrl(baseUrl).build();
    return secret -> client.listOwnTokens(secret).join();
  }

  /**
   * Drops everything {@code guard} holds in its own cache, leaving the shared level (if any) alone:
   * what the guard does when its subscription is reset. Its next decision for any secret is a miss
   * of its own cache.
   */
  public static Runnable localCacheDropper(PatGuard guard) {
    try {
      Field f = PatGuard.class.getDeclaredField("cache");
      f.setAccessible(true);
      TokenCache cache = (TokenCache) f.get(guard);
      return cache::invalidateAll;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("PatGuard no longer has its cache in a field named cache", e);
    }
  }

  /**
   * Core's reading of a shared-level entry (the plaintext a {@code SharedTokenCache} returns) for
   * {@code digest}, under {@code guard}'s permission model: JSON, token parsing and the grant's
   * compilation, as on a shared hit. The function fails if the entry does not parse.
   */
  public static Function<byte[], Object> sharedEntryDecoder(
      PatGuard guard, dev.patguard.token.SecretDigest digest) {
    dev.patguard.decision.PermissionModel model = guard.permissionModel();
    return bytes -> {
      try {
        return SharedFacts.decode(bytes, model, digest);
      } catch (SharedFacts.GarbageException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
    };
  }
}
