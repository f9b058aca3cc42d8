package dev.patguard.cli.internal;

import dev.patguard.cli.PatGuardCli;
import dev.patguard.redis.Eviction;
import dev.patguard.redis.FleetKeys;
import dev.patguard.redis.RedisSharedCache;
import dev.patguard.token.SecretDigest;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The Redis side of {@code invalidate}, through patguard-redis. Its own class, and nothing of
 * patguard-redis or Lettuce in {@link InvalidateCommand}'s fields or signatures, so that the JVM
 * loads Lettuce, Netty and Reactor only when an invalidation runs.
 */
final class FleetInvalidation {
  private FleetInvalidation() {}

  /** What the command read from its options and the environment; secrets already resolved. */
  record Settings(
      String uri,
      @Nullable String user,
      @Nullable String password,
      @Nullable String keysText,
      @Nullable Path keysFile,
      String keysSource,
      String keyPrefix,
      Duration timeout,
      @Nullable SecretDigest digest,
      @Nullable UUID tokenId,
      String subject) {}

  /** What Redis confirmed, and which Redis (scheme, host and port only). */
  record Outcome(long entriesDeleted, long receivers, String redis) {}

  static Outcome run(Settings s) {
    Supplier<FleetKeys> keys = keys(s);
    RedisSharedCache.Builder b = RedisSharedCache.builder();
    try {
      b.uri(s.uri());
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--redis-uri: " + e.getMessage());
    }
    try {
      b.keyPrefix(s.keyPrefix());
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--key-prefix: " + e.getMessage());
    }
    String password = s.password();
    if (password != null) {
      b.credentials(s.user(), () -> password);
    }
    b.fleetKeys(keys)
        .commandTimeout(s.timeout())
        .connectTimeout(s.timeout())
        .reconnectDelay(Duration.ofMillis(200))
        // A one-shot command: a failure is reported, never skipped by an open breaker.
        .circuitBreaker(Integer.MAX_VALUE, Duration.ofSeconds(1));
    String redis = label(s.uri());
    try (RedisSharedCache cache = b.build()) {
      try {
        cache.awaitConnection(s.timeout());
      } catch (TimeoutException e) {
        String why = String.valueOf(e.getMessage());
        if (why.contains("WRONGPASS") || why.contains("NOAUTH")) {
          // A refused password is misconfiguration, not an outage: retrying will not help.
          throw new CliException(
              PatGuardCli.USAGE,
              s.subject()
                  + " NOT invalidated: "
                  + why
                  + " (check --redis-user and the variable --redis-password-env names)");
        }
        throw notDone(s, why);
      }
      CompletableFuture<Eviction> sent =
          s.digest() != null
              ? cache.evict(s.digest())
              : cache.evictToken(java.util.Objects.requireNonNull(s.tokenId()));
      Eviction e;
      try {
        e = sent.get(s.timeout().toNanos(), TimeUnit.NANOSECONDS);
      } catch (TimeoutException t) {
        throw notDone(s, "Redis at " + redis + " did not confirm within " + s.timeout());
      } catch (ExecutionException x) {
        throw notDone(s, "Redis at " + redis + " refused it: " + describe(x.getCause()));
      }
      return new Outcome(e.entriesDeleted(), e.receivers(), redis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw notDone(s, "interrupted");
    } catch (IllegalStateException e) {
      // build(): the keys or the password supplier failed (both checked before, so rare).
      throw CliException.usage(e.getMessage());
    }
  }

  /** Reads and parses the keys now, so that bad keys are a usage error before Redis is asked. */
  private static Supplier<FleetKeys> keys(Settings s) {
    FleetKeys ring;
    try {
      if (s.keysFile() != null) {
        ring = FleetKeys.fromFile(s.keysFile()).get();
      } else {
        ring = FleetKeys.parse(java.util.Objects.requireNonNull(s.keysText()));
      }
    } catch (IllegalArgumentException | IllegalStateException e) {
      // The messages name an entry by position and id, never the key material.
      throw CliException.usage(s.keysSource() + ": " + e.getMessage());
    }
    return () -> ring;
  }

  private static CliException notDone(Settings s, String why) {
    return new CliException(
        PatGuardCli.INDETERMINATE,
        s.subject()
            + " NOT invalidated: "
            + why
            + " (the replicas keep serving it for up to their cacheTtl; retry once Redis is"
            + " reachable)");
  }

  /** {@code scheme://host:port}, without user, password or database. */
  static String label(String uri) {
    try {
      URI u = URI.create(uri.strip());
      int port = u.getPort() < 0 ? 6379 : u.getPort();
      return u.getScheme() + "://" + u.getHost() + ":" + port;
    } catch (IllegalArgumentException e) {
      return "Redis";
    }
  }

  private static String describe(@Nullable Throwable e) {
    if (e == null) {
      return "no reason given";
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String top = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return root == e || root.getMessage() == null ? top : top + ": " + root.getMessage();
  }
}
