package dev.patguard.decision;

import static dev.patguard.testing.ExactTime.nanos;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.patguard.testing.ExactTime;
import dev.patguard.testing.TestTokens;
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

  @Provide
  Arbitrary<Instant> instants() {
    return Arbitraries.oneOf(
        ExactTime.anyInstant(),
        Arbitraries.longs().between(-400L * 86_400, 400L * 86_400).map(TestTokens.NOW::plusSeconds),
        ExactTime.edgeInstants(),
        Arbitraries.just(TestTokens.NOW));
  }

  @Provide
  Arbitrary<Duration> lifetimes() {
    return Arbitraries.oneOf(
        Arbitraries.longs().between(1, Long.MAX_VALUE).map(Duration::ofSeconds),
        Arbitraries.longs().between(1, 1_000).map(Duration::ofDays),
        Arbitraries.of(Duration.ofSeconds(Long.MAX_VALUE, 999_999_999), Duration.ofDays(90)));
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
