package dev.patguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patguard.decision.Decision;
import dev.patguard.decision.DenyReason;
import dev.patguard.decision.Requirement;
import dev.patguard.fakebrms.Endpoint;
import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.FakeUser;
import dev.patguard.fakebrms.MintedToken;
import dev.patguard.fakebrms.MutableClock;
import dev.patguard.testing.LogCapture;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Time at the edges, end to end over fake-brms: far-future expiries, BRMS's clock behind ours in
 * the self lookup, and wall-clock steps under the cache.
 */
class PatGuardTimeTest {
  private static final Requirement DEPLOY_WEB = Requirement.parse("releases:deploy@web-shop");
  private static final Instant T = Instant.parse("2026-11-29T12:00:00Z");

  private final MutableClock ours = new MutableClock(T);
  private FakeBrms brms;

  @AfterEach
  void stop() {
    if (brms != null) {
      brms.close();
    }
  }

  private PatGuard.Builder guard() {
    return PatGuard.builder()
        .baseUrl(brms.baseUrl())
        .clock(ours)
        .ticker(ours.ticker())
        .requestTimeout(Duration.ofSeconds(10));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2400-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z",
        "+1000000000-12-31T23:59:59.999999999Z"
      })
  void decideWhenTokenExpiresFarInTheFutureThenPermitCachedForTheTtl(String expiresAt) {
    brms = FakeBrms.builder().clock(ours).start();
    MintedToken token =
        brms.mint(
            t ->
                t.permissions("releases:deploy")
                    .projects("web-shop")
                    .expiresAt(Instant.parse(expiresAt)));
    try (LogCapture log = LogCapture.start();
        PatGuard guard = guard().build()) {
      for (int i = 0; i < 5; i++) {
        Decision d = guard.decideBlocking(token.secret(), DEPLOY_WEB);
        assertInstanceOf(Decision.Permit.class, d, d.explain());
        ours.advance(Duration.ofSeconds(10));
      }
      assertEquals(
          1,
          brms.requestCount(Endpoint.SELF_LIST),
          "five decisions within the 60 s TTL: one lookup");
      ours.advance(Duration.ofSeconds(20)); // 70 s since the lookup
      assertTrue(guard.decideBlocking(token.secret(), DEPLOY_WEB).isPermit());
      assertEquals(2, brms.requestCount(Endpoint.SELF_LIST), "the entry lived the TTL, no longer");
      assertEquals(0, guard.cacheStats().outages());
      assertEquals(
          0,
          log.count(Level.WARNING, ""),
          () -> "no warning or stack trace for a valid answer:\n" + log.text());
    }
  }

  /**
   * The presented token holds releases:manage and expired 30 s ago by our clock; BRMS (its clock a
   * minute behind) still accepts it. Another token of the owner may deploy. Deciding from the other
   * token alone would permit a deploy the presented token may not do.
   */
  @Test
  void decideWhenPresentedTokenExpiredWithinTheSkewMarginThenItStaysACandidateAndDenies() {
    MutableClock brmsClock = new MutableClock(T.minusSeconds(60));
    brms = FakeBrms.builder().clock(brmsClock).start();
    FakeUser owner = brms.createUser(u -> u.email("ci@acme.test").serviceAccount());
    MintedToken presented =
        brms.mint(
            t ->
                t.owner(owner)
                    .permissions("releases:manage")
                    .projects("web-shop")
                    .expiresAt(T.minusSeconds(30)));
    brms.mint(
        t ->
            t.owner(owner)
                .permissions("releases:deploy")
                .projects("web-shop")
                .expiresIn(Duration.ofDays(30)));
    try (PatGuard guard = guard().build()) {
      Decision d = guard.decideBlocking(presented.secret(), DEPLOY_WEB);

      Decision.Deny deny = assertInstanceOf(Decision.Deny.class, d, d.explain());
      assertTrue(deny.reasons().contains(DenyReason.ambiguousToken(2)), d.explain());
      assertTrue(
          deny.reasons().stream().anyMatch(r -> r.code() == DenyReason.Code.TOKEN_EXPIRED),
          d.explain());
      assertTrue(
          deny.reasons().contains(DenyReason.permissionMissing("releases:deploy")), d.explain());
    }
  }

  @Test
  void decideWhenOwnersOtherTokenExpiredBeyondTheSkewMarginThenItIsDroppedAndTheLookupIsExact() {
    MutableClock brmsClock = new MutableClock(T);
    brms = FakeBrms.builder().clock(brmsClock).start();
    FakeUser owner = brms.createUser(u -> u.email("ci@acme.test").serviceAccount());
    brms.mint(
        t ->
            t.owner(owner)
                .permissions("releases:manage")
                .projects("web-shop")
                .expiresAt(T.minus(Duration.ofMinutes(6))));
    MintedToken presented =
        brms.mint(
            t ->
                t.owner(owner)
                    .permissions("releases:deploy")
                    .projects("web-shop")
                    .expiresIn(Duration.ofDays(30)));
    try (PatGuard guard = guard().build()) {
      Decision d = guard.decideBlocking(presented.secret(), DEPLOY_WEB);
      assertInstanceOf(Decision.Permit.class, d, d.explain());
    }
  }

  @Test
  void decideWhenSkewMarginSetWiderThenTokensExpiredWithinItStayCandidates() {
    brms = FakeBrms.builder().clock(ours).start();
    FakeUser owner = brms.createUser(u -> u.email("ci@acme.test").serviceAccount());
    brms.mint(
        t ->
            t.owner(owner)
                .permissions("releases:manage")
                .projects("web-shop")
                .expiresAt(T.minus(Duration.ofMinutes(6))));
    MintedToken presented =
        brms.mint(
            t ->
                t.owner(owner)
                    .permissions("releases:deploy")
                    .projects("web-shop")
                    .expiresIn(Duration.ofDays(30)));
    try (PatGuard guard = guard().expirySkew(Duration.ofMinutes(10)).build()) {
      Decision d = guard.decideBlocking(presented.secret(), DEPLOY_WEB);
      Decision.Deny deny = assertInstanceOf(Decision.Deny.class, d, d.explain());
      assertTrue(deny.reasons().contains(DenyReason.ambiguousToken(2)), d.explain());
    }
  }

  @Test
  void expirySkewWhenNegativeThenRefusedNamingTheValue() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> PatGuard.builder().expirySkew(Duration.ofMinutes(-1)));
    assertEquals("expirySkew must not be negative, got PT-1M", e.getMessage());
  }

  @Test
  void decideWhenWallClockStepsBackAnHourThenTheEntryStillExpiresAfterTheTtl() {
    brms = FakeBrms.builder().clock(ours).start();
    MintedToken token =
        brms.mint(
            t ->
                t.permissions("releases:deploy")
                    .projects("web-shop")
                    .expiresIn(Duration.ofDays(30)));
    try (PatGuard guard = guard().build()) {
      assertTrue(guard.decideBlocking(token.secret(), DEPLOY_WEB).isPermit());
      ours.step(Duration.ofHours(-1)); // an NTP step back
      ours.advance(Duration.ofSeconds(61));
      assertTrue(guard.decideBlocking(token.secret(), DEPLOY_WEB).isPermit());
      assertEquals(
          2,
          brms.requestCount(Endpoint.SELF_LIST),
          "61 s passed: the entry expired, though the wall clock reads 59 min before the lookup");
    }
  }
}
