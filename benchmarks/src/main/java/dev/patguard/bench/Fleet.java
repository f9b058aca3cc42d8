package dev.patguard.bench;

import dev.patguard.PatGuard;
import dev.patguard.redis.FleetKey;
import dev.patguard.redis.FleetKeys;
import dev.patguard.redis.RedisSharedCache;
import dev.patguard.spi.SharedTokenCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Replicas for the fleet benchmarks (#16): each a {@link PatGuard} with its own {@link
 * RedisSharedCache} (its own Lettuce client and connections), all on one Redis and one fake-brms,
 * as replicas of one app in separate processes would be.
 */
final class Fleet {
  private Fleet() {}

  /** One replica; {@code fleet} is null for a replica without the shared level. */
  record Replica(PatGuard guard, RedisSharedCache fleet) implements AutoCloseable {
    @Override
    public void close() {
      guard.close();
      if (fleet != null) {
        fleet.close();
      }
    }
  }

  /** A fresh fleet key ring: one random 32-byte key, made in this process (never an argument). */
  static FleetKeys randomKeys() {
    byte[] secret = new byte[FleetKey.MIN_BYTES];
    new SecureRandom().nextBytes(secret);
    return FleetKeys.of(FleetKey.of("k1", secret));
  }

  /**
   * How long a Redis command may take where the measurement is not about timeouts: on this loaded
   * 2-core machine the default 100 ms is sometimes exceeded, and a timed-out read turns a measured
   * shared hit into a BRMS lookup.
   */
  static final Duration PATIENT = Duration.ofSeconds(3);

  /** A shared cache with its defaults, connected and subscribed before it is returned. */
  static RedisSharedCache sharedCache(String redisUri, FleetKeys keys) {
    return sharedCache(redisUri, keys, false);
  }

  /**
   * A shared cache, connected before it is returned (it subscribes when its first guard is built:
   * call {@link #awaitSubscribed} then); {@code patient}: a command timeout of {@link #PATIENT}
   * instead of the default 100 ms (pair it with the guard's {@code
   * sharedCacheTimeout(PATIENT.plusSeconds(1))}).
   */
  static RedisSharedCache sharedCache(String redisUri, FleetKeys keys, boolean patient) {
    RedisSharedCache.Builder b = RedisSharedCache.builder().uri(redisUri).fleetKeys(() -> keys);
    if (patient) {
      b.commandTimeout(PATIENT);
    }
    RedisSharedCache fleet = b.build();
    await("connected to " + redisUri, fleet::isConnected);
    return fleet;
  }

  /**
   * Waits until {@code fleet}, now used by a guard, is subscribed: the subscription's confirmation
   * drops every local entry, which must not happen in the middle of a measurement.
   */
  static void awaitSubscribed(RedisSharedCache fleet) {
    await("subscribed", () -> fleet.isConnected() && fleet.isSubscribed());
  }

  /**
   * {@code n} replicas; with {@code redisUri} null, none has a shared level. {@code wrap} lets a
   * caller put an observer between a guard and its shared cache (identity otherwise).
   */
  static List<Replica> replicas(
      int n,
      String redisUri,
      FleetKeys keys,
      Function<PatGuard.Builder, PatGuard.Builder> configure,
      Function<SharedTokenCache, SharedTokenCache> wrap) {
    return replicas(n, redisUri, keys, false, configure, wrap);
  }

  /** As above; {@code patient}: see {@link #sharedCache(String, FleetKeys, boolean)}. */
  static List<Replica> replicas(
      int n,
      String redisUri,
      FleetKeys keys,
      boolean patient,
      Function<PatGuard.Builder, PatGuard.Builder> configure,
      Function<SharedTokenCache, SharedTokenCache> wrap) {
    List<Replica> replicas = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      PatGuard.Builder b = configure.apply(PatGuard.builder());
      RedisSharedCache fleet = null;
      if (redisUri != null) {
        fleet = sharedCache(redisUri, keys, patient);
        b.sharedCache(wrap.apply(fleet));
        if (patient) {
          b.sharedCacheTimeout(PATIENT.plusSeconds(1));
        }
      }
      PatGuard guard = b.build();
      if (fleet != null) {
        awaitSubscribed(fleet);
      }
      replicas.add(new Replica(guard, fleet));
    }
    return replicas;
  }

  static void closeAll(List<Replica> replicas) {
    for (Replica r : replicas) {
      r.close();
    }
  }

  /** Polls {@code condition} every millisecond for up to 20 s. */
  static void await(String what, BooleanSupplier condition) {
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - end > 0) {
        throw new IllegalStateException("not " + what + " within 20 s");
      }
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** The 1-, 5- and 15-minute load averages, as /proc/loadavg gives them. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (Exception e) {
      return "n/a";
    }
  }

  /** The {@code p}-th percentile (nearest rank) of sorted values. */
  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  static String ms(double nanos) {
    return String.format(Locale.ROOT, "%.2f", nanos / 1e6);
  }
}
