package dev.patguard.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.patguard.testing.TestTokens;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Decisions, expiry warnings and lifetime findings over every instant {@link Instant} can hold and
 * every duration: none throws, and each agrees with exact arithmetic.
 */
class InstantRangePropertiesTest {
  private static final Requirement DEPLOY = Requirement.parse("releases:deploy@web-shop");
  private static final BigInteger BILLION = BigInteger.valueOf(1_000_000_000L);

  @Provide
  Arbitrary<Instant> instants() {
    return Arbitraries.oneOf(
        Arbitraries.longs()
            .between(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond())
            .flatMap(
                s ->
                    Arbitraries.integers()
                        .between(0, 999_999_999)
                        .map(n -> Instant.ofEpochSecond(s, n))),
        Arbitraries.longs().between(-400L * 86_400, 400L * 86_400).map(TestTokens.NOW::plusSeconds),
        Arbitraries.of(
            Instant.MIN,
            Instant.MAX,
            Instant.parse("9999-12-31T23:59:59Z"),
            Instant.parse("2400-01-01T00:00:00Z"),
            TestTokens.NOW));
  }

  @Provide
  Arbitrary<Duration> lifetimes() {
    return Arbitraries.oneOf(
        Arbitraries.longs().between(1, Long.MAX_VALUE).map(Duration::ofSeconds),
        Arbitraries.longs().between(1, 1_000).map(Duration::ofDays),
        Arbitraries.of(Duration.ofSeconds(Long.MAX_VALUE, 999_999_999), Duration.ofDays(90)));
  }

  private static BigInteger nanos(Instant t) {
    return BigInteger.valueOf(t.getEpochSecond())
        .multiply(BILLION)
        .add(BigInteger.valueOf(t.getNano()));
  }

  private static BigInteger nanos(Duration d) {
    return BigInteger.valueOf(d.getSeconds())
        .multiply(BILLION)
        .add(BigInteger.valueOf(d.getNano()));
  }

  @Property(tries = 2000)
  void decideWhenAnyExpiryAndAnyNowThenPermitExactlyWhileUnexpiredAndWarnWithinTheHorizon(
      @ForAll("instants") Instant expiresAt, @ForAll("instants") Instant now) {
    Grant grant =
        Grant.compile(
            TestTokens.token()
                .permissions("releases:deploy")
                .project("web-shop")
                .expiresAt(expiresAt)
                .build(),
            PermissionModel.strict());

    Decision d = Authorizer.standard().decide(grant, DEPLOY, now);

    boolean live = now.isBefore(expiresAt);
    assertEquals(live, d.isPermit(), d::explain);
    boolean soon = nanos(expiresAt).subtract(nanos(now)).compareTo(nanos(Duration.ofDays(7))) < 0;
    assertEquals(
        live && soon,
        d.warnings().stream().anyMatch(w -> w.code() == Warning.Code.EXPIRES_SOON),
        d::explain);
  }

  @Property(tries = 2000)
  void analyseGrantWhenAnyExpiryAndAnyMaxLifetimeThenFindsTheLifetimeByExactArithmetic(
      @ForAll("instants") Instant expiresAt,
      @ForAll("instants") Instant now,
      @ForAll("lifetimes") Duration max) {
    LeastPrivilegeReview review =
        LeastPrivilegeReview.builder()
            .clock(Clock.fixed(now, ZoneOffset.UTC))
            .maxLifetime(max)
            .build();
    Grant grant =
        Grant.compile(
            TestTokens.token()
                .permissions("releases:deploy")
                .project("web-shop")
                .expiresAt(expiresAt)
                .build(),
            PermissionModel.strict());

    LeastPrivilegeReport r = review.analyseGrant(grant, List.of(DEPLOY));

    LeastPrivilegeReport.LifetimeFinding expected =
        !now.isBefore(expiresAt)
            ? LeastPrivilegeReport.LifetimeFinding.EXPIRED
            : nanos(expiresAt).subtract(nanos(now)).compareTo(nanos(max)) > 0
                ? LeastPrivilegeReport.LifetimeFinding.EXPIRES_AFTER_HORIZON
                : null;
    assertEquals(
        expected == null ? List.of() : List.of(expected), r.lifetimeFindings(), r::toString);
  }
}
