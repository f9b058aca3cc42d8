package dev.patguard.bench;

import dev.patguard.BenchmarkHooks;
import dev.patguard.CacheStats;
import dev.patguard.PatGuard;
import dev.patguard.decision.Decision;
import dev.patguard.redis.FleetKeys;
import dev.patguard.redis.RedisSharedCache;
import dev.patguard.redis.testing.RedisProcess;
import dev.patguard.token.SecretDigest;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Issue #16: what a replica pays when its own cache misses and the shared level has the entry,
 * against a bare Lettuce {@code GET} of the same bytes. Target: {@code guardDecideSharedHit} ≤ 1.5
 * × {@code bareLettuceGet}, both measured in the same run with the same thread count.
 *
 * <ul>
 *   <li>{@code bareLettuceGet} (the baseline): a synchronous {@code GET} of the entry's Redis key
 *       on a connection of its own ({@code RedisClient}, byte-array codec), returning the sealed
 *       bytes.
 *   <li>{@code bareLettuceGetAsync}: the same through {@code async().get(...)} and a join, which is
 *       how {@code RedisSharedCache} issues it.
 *   <li>{@code sharedCacheGet}: {@code RedisSharedCache.get(digest).join()}: the HMAC of the key,
 *       the {@code GET}, and the AES-GCM open (the SPI read alone).
 *   <li>{@code guardDecideSharedHit}: the guard's own cache dropped (without touching Redis, as a
 *       subscription reset does), then {@code PatGuard.decide(secret, requirement).join()}: SHA-256
 *       of the secret, the local miss, the shared read above, core's decode of the entry and
 *       compilation of the grant, the local put and the decision — the whole L1-miss/L2-hit path.
 *   <li>{@code decodeOnly}: core's decode of the (opened) entry alone: JSON, token parsing, grant
 *       compilation.
 *   <li>{@code dropLocalOnly}: the drop alone, to show how little of the last figure it is.
 * </ul>
 *
 * The setup starts a redis-server (RedisProcess) and fake-brms; each benchmark thread gets a
 * replica of its own (guard, shared cache, and a raw connection for the bare GET). The first
 * decision (the BRMS lookup) writes the entry; the setup waits until it is in Redis and checks one
 * shared hit. The teardown fails if a timed decision went to BRMS, missed the shared level or could
 * not read it.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar SharedHitBenchmark} (add {@code -t 4}
 * for four threads on every benchmark).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SharedHitBenchmark {
  /** One redis-server, one fake-brms holding the typical token, one fleet key ring: per trial. */
  @State(Scope.Benchmark)
  public static class Servers {
    RedisProcess redis;
    Loopback loopback;
    FleetKeys keys;

    @Setup(Level.Trial)
    public void setUp() {
      redis = RedisProcess.start(null);
      loopback = new Loopback();
      keys = Fleet.randomKeys();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      loopback.close();
      redis.close();
    }
  }

  /**
   * Per benchmark thread: a replica (its own guard and shared cache, so its own Lettuce connection)
   * and a raw connection of its own for the bare GET. With {@code -t N}, N of each.
   */
  @State(Scope.Thread)
  public static class Replica {
    RedisSharedCache fleet;
    PatGuard guard;
    Runnable dropLocal;
    Function<byte[], Object> decode;
    byte[] plaintext;
    String secret;
    SecretDigest digest;
    RedisClient rawClient;
    StatefulRedisConnection<byte[], byte[]> raw;
    byte[] entryKey;
    CacheStats afterWarm;

    @Setup(Level.Trial)
    public void setUp(Servers servers) {
      // Patient timeouts: this measures what a shared hit costs, not what a late one does.
      fleet = Fleet.sharedCache(servers.redis.uri(), servers.keys, true);
      guard =
          PatGuard.builder()
              .baseUrl(servers.loopback.brms.baseUrl())
              .requestTimeout(Duration.ofSeconds(10))
              .cacheTtl(Duration.ofHours(1))
              .sharedCache(fleet)
              .sharedCacheTimeout(Fleet.PATIENT.plusSeconds(1))
              .build();
      Fleet.awaitSubscribed(fleet);
      dropLocal = BenchmarkHooks.localCacheDropper(guard);
      secret = servers.loopback.token.secret();
      digest = SecretDigest.of(secret);
      // The first replica's decision asks BRMS and writes the entry; later ones may read it.
      Decision first = guard.decide(secret, Loopback.PERMIT).join();
      if (!first.isPermit()) {
        throw new IllegalStateException("the first decision is not a permit: " + first);
      }
      rawClient = RedisClient.create(servers.redis.uri());
      raw = rawClient.connect(ByteArrayCodec.INSTANCE);
      String pattern = "patguard:t:*";
      Fleet.await("the entry written to Redis", () -> !raw.sync().keys(pattern).isEmpty());
      List<byte[]> entries = raw.sync().keys(pattern);
      if (entries.size() != 1) {
        throw new IllegalStateException(entries.size() + " entries in Redis, expected 1");
      }
      entryKey = entries.get(0);
      if (raw.sync().get(entryKey) == null || fleet.get(digest).join().isEmpty()) {
        throw new IllegalStateException("the entry does not read back");
      }
      plaintext = fleet.get(digest).join().orElseThrow();
      decode = BenchmarkHooks.sharedEntryDecoder(guard, digest);
      decode.apply(plaintext);
      // One shared hit before timing, checked to be one.
      dropLocal.run();
      CacheStats before = guard.cacheStats();
      guard.decide(secret, Loopback.PERMIT).join();
      afterWarm = guard.cacheStats();
      if (afterWarm.sharedHits() != before.sharedHits() + 1
          || afterWarm.upstreamLookups() != before.upstreamLookups()) {
        throw new IllegalStateException("the warm decision was not a shared hit: " + afterWarm);
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      CacheStats s = guard.cacheStats();
      raw.close();
      rawClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      guard.close();
      fleet.close();
      if (s.upstreamLookups() != afterWarm.upstreamLookups()
          || s.sharedMisses() != afterWarm.sharedMisses()
          || s.sharedErrors() != afterWarm.sharedErrors()) {
        throw new IllegalStateException(
            "a timed decision was not a shared hit: before " + afterWarm + ", after " + s);
      }
    }
  }

  @Benchmark
  public byte[] bareLettuceGet(Replica r) {
    return r.raw.sync().get(r.entryKey);
  }

  @Benchmark
  public byte[] bareLettuceGetAsync(Replica r) {
    return r.raw.async().get(r.entryKey).toCompletableFuture().join();
  }

  @Benchmark
  public void sharedCacheGet(Replica r, Blackhole bh) {
    bh.consume(r.fleet.get(r.digest).join().orElseThrow());
  }

  @Benchmark
  public void guardDecideSharedHit(Replica r, Blackhole bh) {
    r.dropLocal.run();
    bh.consume(r.guard.decide(r.secret, Loopback.PERMIT).join());
  }

  @Benchmark
  public Object decodeOnly(Replica r) {
    return r.decode.apply(r.plaintext);
  }

  @Benchmark
  public void dropLocalOnly(Replica r) {
    r.dropLocal.run();
  }
}
