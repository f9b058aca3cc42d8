package dev.patguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patguard.decision.Authorizer;
import dev.patguard.decision.Decision;
import dev.patguard.decision.Requirement;
import dev.patguard.fakebrms.MutableClock;
import dev.patguard.testing.TestTokens;
import dev.patguard.token.SecretDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * How long entries live, over every instant BRMS can send and with the wall clock stepping: ages
 * come from the ticker, what facts mean from the clock, and no sum overflows.
 */
class TokenCacheTimeTest {
  private static final Duration TTL = Duration.ofSeconds(60);
  private static final Requirement DEPLOY = Requirement.parse("releases:deploy@web-shop");
  private static final String SECRET = "s3cret-for-time-tests";
  private static final SecretDigest DIGEST = SecretDigest.of(SECRET);

  private static OneTokenLookup expiringAt(Instant expiresAt) {
    return new OneTokenLookup(
        TestTokens.token()
            .permissions("releases:deploy")
            .project("web-shop")
            .expiresAt(expiresAt)
            .build());
  }

  private static TokenCache cache(MutableClock clock, TokenLookup lookup) {
    return TokenCache.builder()
        .clock(clock)
        .ticker(clock.ticker())
        .ttl(TTL)
        .executor(Runnable::run)
        .build(lookup);
  }

  /** Every instant after now that Instant can parse, the far end included. */
  @Provide
  Arbitrary<Instant> futureExpiries() {
    Instant now = TestTokens.NOW;
    return Arbitraries.oneOf(
        Arbitraries.longs()
            .between(now.getEpochSecond() + 1, Instant.MAX.getEpochSecond())
            .map(Instant::ofEpochSecond),
        Arbitraries.longs().between(1, 1_000_000_000_000L).map(now::plusNanos),
        Arbitraries.of(
            Instant.parse("2400-01-01T00:00:00Z"),
            Instant.parse("9999-12-31T23:59:59Z"),
            Instant.parse("+1000000000-12-31T23:59:59.999999999Z"),
            Instant.MAX));
  }

  @Property(tries = 500)
  void getWhenTokenExpiresAnyTimeLaterThenPermitCachedForMinOfTtlAndTimeLeft(
      @ForAll("futureExpiries") Instant expiresAt) {
    MutableClock clock = new MutableClock(TestTokens.NOW);
    OneTokenLookup lookup = expiringAt(expiresAt);
    TokenCache cache = cache(clock, lookup);

    TokenFacts state = cache.get(SECRET, DIGEST).join();
    Decision d =
        Authorizer.standard()
            .decide(
                assertInstanceOf(TokenFacts.Known.class, state).grant(), DEPLOY, clock.instant());
    assertTrue(d.isPermit(), d::explain);

    Duration left = Duration.between(clock.instant(), expiresAt);
    Duration lifetime = left.compareTo(TTL) < 0 ? left : TTL;
    if (lifetime.toNanos() > 1) {
      clock.advance(lifetime.minusNanos(1));
      cache.get(SECRET, DIGEST).join();
      assertEquals(
          1,
          lookup.calls.get(),
          "still cached 1 ns before min(TTL, expiresAt - now) = " + lifetime);
    }
    clock.set(TestTokens.NOW.plus(lifetime)); // keep the facts' "now" in step with the ticker below
    clock.advance(Duration.ofNanos(1));
    cache.get(SECRET, DIGEST).join();
    assertEquals(
        2,
        lookup.calls.get(),
        "asked again once min(TTL, expiresAt - now) = " + lifetime + " passed");
  }

  @Test
  void getWhenTokenExpiresInTheYear9999ThenOneLookupPerTtl() {
    MutableClock clock = new MutableClock(TestTokens.NOW);
    OneTokenLookup lookup = expiringAt(Instant.parse("9999-12-31T23:59:59Z"));
    TokenCache cache = cache(clock, lookup);
    for (int i = 0; i < 10; i++) {
      assertInstanceOf(TokenFacts.Known.class, cache.get(SECRET, DIGEST).join());
      clock.advance(Duration.ofSeconds(5));
    }
    assertEquals(1, lookup.calls.get(), "ten decisions within the TTL: one lookup");
    assertEquals(0, cache.stats().outages());
  }

  @Test
  void getWhenWallClockStepsBackAnHourThenEntriesStillExpireOnTime() {
    MutableClock clock = new MutableClock(TestTokens.NOW);
    OneTokenLookup lookup = expiringAt(TestTokens.NOW.plus(Duration.ofDays(30)));
    TokenCache cache = cache(clock, lookup);
    cache.get(SECRET, DIGEST).join();

    clock.step(Duration.ofHours(-1)); // NTP corrects the wall clock an hour back
    clock.advance(TTL.plusSeconds(1));
    cache.get(SECRET, DIGEST).join();

    assertEquals(
        2, lookup.calls.get(), "the entry expired after the TTL by the ticker, not an hour later");
  }

  @Test
  void getWhenWallClockStepsForwardThenEntriesAreNotCutShort() {
    MutableClock clock = new MutableClock(TestTokens.NOW);
    OneTokenLookup lookup = expiringAt(TestTokens.NOW.plus(Duration.ofDays(30)));
    TokenCache cache = cache(clock, lookup);
    cache.get(SECRET, DIGEST).join();

    clock.step(Duration.ofHours(1));
    clock.advance(Duration.ofSeconds(30));
    cache.get(SECRET, DIGEST).join();

    assertEquals(
        1, lookup.calls.get(), "30 s by the ticker is within the TTL, whatever the wall clock did");
  }

  @Test
  void getWhenNegativeEntryAndWallClockStepsBackThenRejectionStillExpiresOnTime() {
    MutableClock clock = new MutableClock(TestTokens.NOW);
    AtomicInteger calls = new AtomicInteger();
    TokenLookup rejecting =
        new TokenLookup() {
          @Override
          public CompletableFuture<TokenFacts> lookup(String secret, SecretDigest digest) {
            calls.incrementAndGet();
            return CompletableFuture.completedFuture(new TokenFacts.Rejected("401"));
          }

          @Override
          public String name() {
            return "rejecting";
          }
        };
    TokenCache cache = cache(clock, rejecting);
    cache.get(SECRET, DIGEST).join();
    clock.step(Duration.ofHours(-1));
    clock.advance(Duration.ofSeconds(6));
    cache.get(SECRET, DIGEST).join();
    assertEquals(2, calls.get(), "the 5 s negative entry expired by the ticker");
  }
}
