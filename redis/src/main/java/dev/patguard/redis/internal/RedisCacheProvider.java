package dev.patguard.redis.internal;

import dev.patguard.redis.FleetKeys;
import dev.patguard.redis.RedisSharedCache;
import dev.patguard.spi.SharedTokenCache;
import dev.patguard.spi.SharedTokenCacheProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The {@code redis} provider: a {@link RedisSharedCache} from text settings. The password and the
 * fleet keys are never values: {@code password-env} and {@code fleet-keys-env} name environment
 * variables, {@code fleet-keys-file} a file. Public only because {@link java.util.ServiceLoader}
 * needs it on the class path; not API.
 */
public final class RedisCacheProvider implements SharedTokenCacheProvider {
  private static final Set<String> SETTINGS =
      Set.of(
          "uri",
          "user",
          "password-env",
          "fleet-keys-env",
          "fleet-keys-file",
          "key-prefix",
          "command-timeout",
          "connect-timeout",
          "reconnect-delay",
          "invalidation-hold",
          "circuit-breaker-failures",
          "circuit-breaker-open-for");

  /** Creates the provider ({@link java.util.ServiceLoader} does). */
  public RedisCacheProvider() {}

  @Override
  public String name() {
    return "redis";
  }

  @Override
  public Set<String> settingNames() {
    return SETTINGS;
  }

  @Override
  public SharedTokenCache open(Settings settings) {
    RedisSharedCache.Builder b = RedisSharedCache.builder();
    String uri = settings.required("uri");
    try {
      b.uri(uri);
    } catch (IllegalArgumentException e) {
      // The builder's message never quotes a password; the value might hold one.
      throw settings.invalidSecret("uri", e.getMessage());
    }
    if (userInfo(uri)) {
      // Lettuce reads redis://secret@host as a password: no user info at all in configuration.
      throw settings.invalidSecret(
          "uri",
          "must not carry a user or password (user info before @): set "
              + settings.label("user")
              + " and name the environment variable holding the password with "
              + settings.label("password-env"));
    }
    Optional<String> user = settings.string("user");
    Optional<String> password = settings.environmentVariable("password-env");
    if (password.isPresent()) {
      String p = password.get();
      b.credentials(user.orElse(null), () -> p);
    } else if (user.isPresent()) {
      throw new IllegalArgumentException(
          settings.label("user") + " needs " + settings.label("password-env"));
    }
    b.fleetKeys(fleetKeys(settings));
    settings.string("key-prefix").ifPresent(v -> apply(settings, "key-prefix", v, b::keyPrefix));
    duration(settings, "command-timeout", b::commandTimeout);
    duration(settings, "connect-timeout", b::connectTimeout);
    duration(settings, "reconnect-delay", b::reconnectDelay);
    duration(settings, "invalidation-hold", b::invalidationHold);
    Optional<Integer> failures = settings.integer("circuit-breaker-failures");
    Optional<Duration> openFor = settings.duration("circuit-breaker-open-for");
    if (failures.isPresent() || openFor.isPresent()) {
      try {
        b.circuitBreaker(failures.orElse(5), openFor.orElse(Duration.ofSeconds(2)));
      } catch (IllegalArgumentException e) {
        String key =
            failures.isPresent() && failures.get() < 1
                ? "circuit-breaker-failures"
                : "circuit-breaker-open-for";
        throw settings.invalid(key, e.getMessage(), e);
      }
    }
    return b.build();
  }

  /** Exactly one of the variable and the file; read now, so a bad key fails at start. */
  private static Supplier<FleetKeys> fleetKeys(Settings settings) {
    Optional<String> file = settings.string("fleet-keys-file");
    boolean env = settings.string("fleet-keys-env").isPresent();
    if (env == file.isPresent()) {
      throw new IllegalArgumentException(
          "set one of "
              + settings.label("fleet-keys-env")
              + " (the name of an environment variable) and "
              + settings.label("fleet-keys-file")
              + " (a file), holding the fleet keys as id:base64[,id:base64...]");
    }
    if (env) {
      String text = settings.environmentVariable("fleet-keys-env").orElseThrow();
      FleetKeys keys;
      try {
        keys = FleetKeys.parse(text);
      } catch (IllegalArgumentException e) {
        // FleetKeys' messages name entries by position and id, never key material.
        throw settings.invalidSecret(
            "fleet-keys-env",
            "the environment variable "
                + settings.string("fleet-keys-env").orElseThrow()
                + " does not hold fleet keys: "
                + e.getMessage());
      }
      return () -> keys;
    }
    Supplier<FleetKeys> keys = FleetKeys.fromFile(Path.of(file.get()));
    try {
      keys.get();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw settings.invalid("fleet-keys-file", e.getMessage(), null);
    }
    return keys;
  }

  private static boolean userInfo(String uri) {
    try {
      return java.net.URI.create(uri.strip()).getRawUserInfo() != null;
    } catch (IllegalArgumentException e) {
      // Lettuce parsed it; be strict about what java.net.URI cannot read.
      return uri.indexOf('@') >= 0;
    }
  }

  private static void duration(Settings settings, String key, Consumer<Duration> setter) {
    settings.duration(key).ifPresent(d -> apply(settings, key, d, setter));
  }

  private static <T> void apply(Settings settings, String key, T value, Consumer<T> setter) {
    try {
      setter.accept(value);
    } catch (IllegalArgumentException e) {
      throw settings.invalid(key, e.getMessage(), e);
    }
  }
}
