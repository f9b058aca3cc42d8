package dev.patguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.patguard.fakebrms.MutableClock;
import dev.patguard.testing.TestTokens;
import dev.patguard.token.SecretDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/**
 * Most cache hits are read quietly ({@code TokenCache.read}): the hit ratio under size pressure
 * must stay that of a cache that records every read, and well above one that records none.
 */
class TokenCacheReadsTest {
  private static final int TOKENS = 2_000;
  private static final int SIZE = 100;
  private static final int READS = 200_000;

  /** Token indexes in a skewed order (Zipf, exponent 0.9), the same for every cache. */
  private static int[] skewedReads() {
    double[] cdf = new double[TOKENS];
    double sum = 0;
    for (int i = 0; i < TOKENS; i++) {
      sum += 1.0 / Math.pow(i + 1, 0.9);
      cdf[i] = sum;
    }
    Random random = new Random(20261202);
    int[] reads = new int[READS];
    for (int i = 0; i < READS; i++) {
      int k = Arrays.binarySearch(cdf, random.nextDouble() * sum);
      reads[i] = Math.min(k < 0 ? -k - 1 : k, TOKENS - 1);
    }
    return reads;
  }

  /** The hit ratio of a plain Caffeine cache of the same size, recording the reads said. */
  private static double caffeineHitRatio(int[] reads, IntPredicate recorded) {
    Cache<Integer, Integer> cache =
        Caffeine.newBuilder().maximumSize(SIZE).executor(Runnable::run).build();
    long hits = 0;
    for (int i = 0; i < reads.length; i++) {
      int k = reads[i];
      Integer v = recorded.test(i) ? cache.getIfPresent(k) : cache.policy().getIfPresentQuietly(k);
      if (v != null) {
        hits++;
      } else {
        cache.put(k, k);
      }
    }
    return hits / (double) reads.length;
  }

  @Test
  void localWhenSizeBoundThenHitRatioOfACacheThatRecordsEveryRead() {
    int[] reads = skewedReads();
    String[] secrets = new String[TOKENS];
    SecretDigest[] digests = new SecretDigest[TOKENS];
    for (int i = 0; i < TOKENS; i++) {
      secrets[i] = "secret-" + i;
      digests[i] = SecretDigest.of(secrets[i]);
    }
    MutableClock clock = MutableClock.at("2026-11-29T12:00:00Z");
    OneTokenLookup lookup =
        new OneTokenLookup(
            TestTokens.token().permissions("releases:deploy").project("web-shop").build());
    TokenCache cache =
        TokenCache.builder()
            .clock(clock)
            .ticker(clock.ticker())
            .ttl(Duration.ofHours(1))
            .maximumSize(SIZE)
            .executor(Runnable::run)
            .build(lookup);

    long hits = 0;
    for (int k : reads) {
      if (cache.local(digests[k]) != null) {
        hits++;
      } else {
        cache.answer(secrets[k], digests[k]).join();
      }
    }
    double ratio = hits / (double) READS;

    double everyRead = caffeineHitRatio(reads, i -> true);
    double noRead = caffeineHitRatio(reads, i -> false);
    assertEquals(READS - hits, lookup.calls.get(), "one lookup per miss");
    assertTrue(
        ratio >= everyRead - 0.05 && ratio >= noRead + 0.02,
        () ->
            "hit ratio "
                + ratio
                + "; Caffeine recording every read "
                + everyRead
                + ", none "
                + noRead);
  }
}
