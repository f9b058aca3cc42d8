package dev.patguard.spring.boot;

import dev.patguard.redis.FleetKeys;
import dev.patguard.redis.RedisSharedCache;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Builds the {@link RedisSharedCache} of {@code patguard.shared-cache.redis.*}. Loaded only when
 * patguard-redis is on the class path. A bad value fails naming the property; the password and the
 * fleet keys show as {@code ***}, and so does a URI with user info.
 */
final class RedisSharedCacheFactory {
  private static final String P = "patguard.shared-cache.redis.";

  private RedisSharedCacheFactory() {}

  static RedisSharedCache build(PatGuardProperties.Redis r) {
    RedisSharedCache.Builder b = RedisSharedCache.builder();
    String uri = String.valueOf(r.getUri()).strip();
    boolean userInfo = userInfo(uri);
    try {
      b.uri(uri);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationPropertyValueException(
          P + "uri", userInfo ? "***" : uri, e.getMessage());
    }
    if (userInfo) {
      throw new InvalidConfigurationPropertyValueException(
          P + "uri",
          "***",
          "must not carry a user or password (user info before @): set "
              + P
              + "user and "
              + P
              + "password");
    }
    String password = r.getPassword();
    if (password != null) {
      b.credentials(r.getUser(), () -> password);
    } else if (r.getUser() != null) {
      throw new InvalidConfigurationPropertyValueException(
          P + "user", r.getUser(), "needs " + P + "password");
    }
    b.fleetKeys(fleetKeys(r));
    PatGuardAutoConfiguration.set(P + "key-prefix", r.getKeyPrefix(), b::keyPrefix);
    PatGuardAutoConfiguration.set(P + "command-timeout", r.getCommandTimeout(), b::commandTimeout);
    PatGuardAutoConfiguration.set(P + "connect-timeout", r.getConnectTimeout(), b::connectTimeout);
    PatGuardAutoConfiguration.set(P + "reconnect-delay", r.getReconnectDelay(), b::reconnectDelay);
    PatGuardAutoConfiguration.set(
        P + "invalidation-hold", r.getInvalidationHold(), b::invalidationHold);
    PatGuardProperties.CircuitBreaker cb = r.getCircuitBreaker();
    if (cb.getFailures() != null || cb.getOpenFor() != null) {
      int failures = cb.getFailures() == null ? 5 : cb.getFailures();
      Duration openFor = cb.getOpenFor() == null ? Duration.ofSeconds(2) : cb.getOpenFor();
      try {
        b.circuitBreaker(failures, openFor);
      } catch (IllegalArgumentException e) {
        boolean count = failures < 1;
        throw new InvalidConfigurationPropertyValueException(
            P + "circuit-breaker." + (count ? "failures" : "open-for"),
            count ? failures : openFor,
            e.getMessage());
      }
    }
    try {
      return b.build();
    } catch (IllegalStateException e) {
      // The only check left at build: a password that is empty.
      throw new InvalidConfigurationPropertyValueException(P + "password", "***", e.getMessage());
    }
  }

  /** Exactly one of the keys and the file; read now, so a bad key fails start-up. */
  private static Supplier<FleetKeys> fleetKeys(PatGuardProperties.Redis r) {
    String text = r.getFleetKeys();
    Path file = r.getFleetKeysFile();
    if ((text == null) == (file == null)) {
      throw new InvalidConfigurationPropertyValueException(
          P + "fleet-keys",
          text == null ? "(unset)" : "***",
          "set one of "
              + P
              + "fleet-keys (id:base64[,id:base64...], from the environment:"
              + " PATGUARD_SHAREDCACHE_REDIS_FLEETKEYS) and "
              + P
              + "fleet-keys-file");
    }
    if (text != null) {
      FleetKeys keys;
      try {
        keys = FleetKeys.parse(text);
      } catch (IllegalArgumentException e) {
        // FleetKeys names entries by position and id, never key material.
        throw new InvalidConfigurationPropertyValueException(
            P + "fleet-keys", "***", e.getMessage());
      }
      return () -> keys;
    }
    Supplier<FleetKeys> keys = FleetKeys.fromFile(file);
    try {
      keys.get();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new InvalidConfigurationPropertyValueException(
          P + "fleet-keys-file", file, e.getMessage());
    }
    return keys;
  }

  private static boolean userInfo(String uri) {
    try {
      return URI.create(uri).getRawUserInfo() != null;
    } catch (IllegalArgumentException e) {
      return uri.indexOf('@') >= 0;
    }
  }
}
