package dev.patguard.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.patguard.CacheStats;
import dev.patguard.PatGuard;
import dev.patguard.token.SecretDigest;
import java.util.concurrent.TimeUnit;
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
 * Issue #7 item 2: from a presented secret to a decision when the cache already knows the token:
 * SHA-256 of the secret, a Caffeine read, the decision, the (no-op) listener, a completed future.
 * The cache is warmed against fake-brms once per trial; the teardown checks that the timed calls
 * made no upstream request.
 *
 * <p>Baselines measured in the same run: {@code sha256} ({@link SecretDigest#of}, the part of the
 * path that depends on the secret's length) and {@code caffeineRead} (a bare {@code
 * Cache.getIfPresent} on the same key type: the "~50 ns" anchor).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar CacheHitBenchmark -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class CacheHitBenchmark {
  private Loopback loopback;
  private PatGuard guard;
  private String secret;
  private Cache<SecretDigest, Object> caffeine;
  private SecretDigest digest;
  private long upstreamAfterWarm;

  @Setup(Level.Trial)
  public void setUp() {
    loopback = new Loopback();
    guard = loopback.warmGuard();
    secret = loopback.token.secret();
    upstreamAfterWarm = guard.cacheStats().upstreamLookups();
    digest = SecretDigest.of(secret);
    caffeine = Caffeine.newBuilder().maximumSize(10_000).executor(Runnable::run).build();
    caffeine.put(
        digest, guard.decide(secret, Loopback.PERMIT).join()); // a cache hit: no upstream call
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    CacheStats stats = guard.cacheStats();
    guard.close();
    loopback.close();
    if (stats.upstreamLookups() != upstreamAfterWarm) {
      throw new IllegalStateException("timed calls went upstream: " + stats);
    }
  }

  @Benchmark
  public void patguardDecideCacheHit(Blackhole bh) {
    bh.consume(guard.decide(secret, Loopback.PERMIT).join());
  }

  /** The blocking form, which the Spring Security integration calls on each request. */
  @Benchmark
  public void patguardDecideBlockingCacheHit(Blackhole bh) {
    bh.consume(guard.decideBlocking(secret, Loopback.PERMIT));
  }

  @Benchmark
  public void sha256(Blackhole bh) {
    bh.consume(SecretDigest.of(secret));
  }

  @Benchmark
  public void caffeineRead(Blackhole bh) {
    bh.consume(caffeine.getIfPresent(digest));
  }
}
