package dev.patguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patguard.decision.Decision;
import dev.patguard.decision.DenyReason;
import dev.patguard.decision.IndeterminateCause;
import dev.patguard.decision.Requirement;
import dev.patguard.decision.Warning;
import dev.patguard.fakebrms.Endpoint;
import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.FakeUser;
import dev.patguard.fakebrms.Fault;
import dev.patguard.fakebrms.MintedToken;
import dev.patguard.fakebrms.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The cache's promises, observed through fake-brms's request counters. */
class CachingTest {
  private static final Requirement DEPLOY_WEB = Requirement.parse("releases:deploy@web-shop");

  private final MutableClock clock = MutableClock.at("2026-11-29T12:00:00Z");
  private FakeBrms brms;
  private FakeUser deployer;
  private MintedToken deployToken;

  @BeforeEach
  void start() {
    brms = FakeBrms.builder().clock(clock).start();
    deployer = brms.createUser(u -> u.email("deployer@acme.test").serviceAccount());
    deployToken =
        brms.mint(
            t ->
                t.owner(deployer)
                    .permissions("releases:deploy")
                    .projects("web-shop")
                    .expiresIn(Duration.ofDays(30)));
  }

  @AfterEach
  void stop() {
    brms.close();
  }

  private PatGuard.Builder guard() {
    return PatGuard.builder()
        .baseUrl(brms.baseUrl())
        .clock(clock)
        .ticker(clock.ticker())
        .requestTimeout(Duration.ofSeconds(10));
  }

  private long selfCalls() {
    return brms.requestCount(Endpoint.SELF_LIST);
  }

  @Test
  void decideWhenThousandConcurrentCallsShareAnUnseenSecretThenExactlyOneUpstreamCall()
      throws Exception {
    try (PatGuard guard = guard().build()) {
      // Hold the one lookup open so that every call arrives while it is in flight.
      brms.inject(Endpoint.SELF_LIST, Fault.latency(Duration.ofMillis(500)), 1);
      List<CompletableFuture<Decision>> decisions = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        decisions.add(guard.decide(deployToken.secret(), DEPLOY_WEB));
      }
      CompletableFuture.allOf(decisions.toArray(CompletableFuture[]::new))
          .get(30, TimeUnit.SECONDS);

      assertTrue(decisions.stream().allMatch(d -> d.join().isPermit()));
      System.out.println(
          "coalescing: 1000 concurrent decisions of one unseen secret -> "
              + selfCalls()
              + " upstream call(s)");
      assertEquals(1, selfCalls(), "1 000 concurrent misses of one secret make one upstream call");
      CacheStats stats = guard.cacheStats();
      assertEquals(1, stats.upstreamLookups());
      assertEquals(1000, stats.misses() + stats.hits());
    }
  }

  @Test
  void decideWhenThousandDistinctSecretsThenUpstreamConcurrencyNeverAboveTheBulkhead()
      throws Exception {
    try (PatGuard guard = guard().build()) {
      brms.inject(Endpoint.SELF_LIST, Fault.latency(Duration.ofMillis(20)));
      List<CompletableFuture<Decision>> decisions = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        decisions.add(guard.decide("random-" + UUID.randomUUID(), DEPLOY_WEB));
      }
      CompletableFuture.allOf(decisions.toArray(CompletableFuture[]::new))
          .get(60, TimeUnit.SECONDS);

      assertTrue(
          decisions.stream()
              .allMatch(
                  d ->
                      d.join() instanceof Decision.Deny deny
                          && deny.reasons().equals(List.of(DenyReason.tokenInvalid()))));
      assertEquals(1000, selfCalls());
      int peak = brms.peakConcurrency(Endpoint.SELF_LIST);
      System.out.println(
          "bulkhead: 1000 distinct secrets -> "
              + selfCalls()
              + " upstream calls, peak "
              + peak
              + " concurrent (limit 16)");
      assertTrue(peak <= 16, "peak upstream concurrency " + peak + " exceeds the bulkhead of 16");
      assertTrue(peak >= 2, "the lookups did overlap (peak " + peak + ")");
    }
  }

  @Test
  void decideWhenBulkheadAndQueueFullThenShedAsOverloaded() throws Exception {
    try (PatGuard guard = guard().maxConcurrentLookups(1).maxQueuedLookups(0).build()) {
      brms.inject(Endpoint.SELF_LIST, Fault.latency(Duration.ofMillis(500)), 1);
      CompletableFuture<Decision> first = guard.decide(deployToken.secret(), DEPLOY_WEB);
      Decision second = guard.decide("another-secret", DEPLOY_WEB).get(5, TimeUnit.SECONDS);

      assertEquals(
          IndeterminateCause.OVERLOADED,
          assertInstanceOf(Decision.Indeterminate.class, second).cause());
      assertTrue(first.get(5, TimeUnit.SECONDS).isPermit());
      assertEquals(1, guard.cacheStats().shed());
    }
  }

  @Test
  void cacheWhenTokenExpiresBeforeTheTtlThenEntryLivesOnlyUntilExpiry() {
    FakeUser owner = brms.createUser(u -> u.email("short@acme.test"));
    MintedToken shortLived =
        brms.mint(
            t ->
                t.owner(owner)
                    .permissions("releases:deploy")
                    .projects("web-shop")
                    .expiresIn(Duration.ofSeconds(3)));
    try (PatGuard guard = guard().cacheTtl(Duration.ofSeconds(60)).build()) {
      assertTrue(guard.decideBlocking(shortLived.secret(), DEPLOY_WEB).isPermit());
      clock.advance(Duration.ofMillis(2900));
      assertTrue(guard.decideBlocking(shortLived.secret(), DEPLOY_WEB).isPermit());
      assertEquals(1, selfCalls(), "served from cache before expiry");

      clock.advance(Duration.ofMillis(100));
      Decision expired = guard.decideBlocking(shortLived.secret(), DEPLOY_WEB);

      assertEquals(2, selfCalls(), "the entry died with the token at 3 s, not at the 60 s TTL");
      assertEquals(
          List.of(DenyReason.tokenInvalid()),
          assertInstanceOf(Decision.Deny.class, expired).reasons());
    }
  }

  @Test
  void cacheWhenTokenRevokedThenServedUntilTheTtlThenRejected() {
    try (PatGuard guard = guard().cacheTtl(Duration.ofSeconds(30)).build()) {
      assertTrue(guard.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());
      brms.revoke(deployToken.id());

      clock.advance(Duration.ofSeconds(29));
      assertTrue(
          guard.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit(),
          "within the revocation window (the TTL) the cached grant is still served");
      clock.advance(Duration.ofSeconds(1));
      Decision after = guard.decideBlocking(deployToken.secret(), DEPLOY_WEB);

      assertEquals(
          List.of(DenyReason.tokenInvalid()),
          assertInstanceOf(Decision.Deny.class, after).reasons());
      assertEquals(2, selfCalls());
    }
  }

  @Test
  void cacheWhenInvalidatedThenRevocationIsSeenAtOnce() {
    try (PatGuard guard = guard().build()) {
      assertTrue(guard.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());
      brms.revoke(deployToken.id());
      guard.invalidate(deployToken.secret());
      assertInstanceOf(Decision.Deny.class, guard.decideBlocking(deployToken.secret(), DEPLOY_WEB));
    }
  }

  @Test
  void cacheWhenSecretRejectedThenNotRefetchedWithinTheNegativeTtl() {
    try (PatGuard guard = guard().negativeCacheTtl(Duration.ofSeconds(5)).build()) {
      guard.decideBlocking("unknown-secret", DEPLOY_WEB);
      clock.advance(Duration.ofMillis(4999));
      guard.decideBlocking("unknown-secret", DEPLOY_WEB);
      assertEquals(1, selfCalls());
      assertEquals(1, guard.cacheStats().negativeHits());

      clock.advance(Duration.ofMillis(1));
      guard.decideBlocking("unknown-secret", DEPLOY_WEB);
      assertEquals(2, selfCalls(), "asked again once the negative TTL passed");
    }
  }

  @Test
  void cacheWhenNegativeSpaceFullThenRealGrantsAreNotEvicted() {
    try (PatGuard guard = guard().negativeCacheMaximumSize(10).cacheMaximumSize(10).build()) {
      assertTrue(guard.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());
      for (int i = 0; i < 200; i++) {
        guard.decideBlocking("flood-" + i, DEPLOY_WEB);
      }
      long before = selfCalls();
      assertTrue(guard.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());
      assertEquals(before, selfCalls(), "a flood of rejected secrets did not evict the real grant");
    }
  }

  @Test
  void cacheWhenOutageThenNotCachedAndRetriedOnTheNextCall() {
    try (PatGuard guard = guard().maxRetries(0).build()) {
      brms.inject(Endpoint.SELF_LIST, Fault.status(503), 1);
      assertInstanceOf(
          Decision.Indeterminate.class, guard.decideBlocking(deployToken.secret(), DEPLOY_WEB));
      assertTrue(guard.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());
      assertEquals(2, selfCalls());
      assertEquals(1, guard.cacheStats().outages());
    }
  }

  @Test
  void cacheWhenStaleIfErrorOnAndBrmsFailsAfterTheTtlThenServesStaleFactsFlagged() {
    try (PatGuard guard =
        guard()
            .cacheTtl(Duration.ofSeconds(10))
            .staleIfError(Duration.ofSeconds(30))
            .maxRetries(0)
            .build()) {
      assertTrue(guard.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());
      clock.advance(Duration.ofSeconds(11));
      brms.inject(Endpoint.SELF_LIST, Fault.status(503));

      Decision stale = guard.decideBlocking(deployToken.secret(), DEPLOY_WEB);

      assertTrue(stale.isPermit(), stale.explain());
      assertTrue(stale.warnings().contains(Warning.staleFacts()));
      clock.advance(Duration.ofSeconds(30));
      assertInstanceOf(
          Decision.Indeterminate.class,
          guard.decideBlocking(deployToken.secret(), DEPLOY_WEB),
          "past TTL + grace, no stale facts are left");
    }
  }

  @Test
  void cacheWhenStaleIfErrorOffThenOutageAfterTheTtlIsIndeterminate() {
    try (PatGuard guard = guard().cacheTtl(Duration.ofSeconds(10)).maxRetries(0).build()) {
      assertTrue(guard.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());
      clock.advance(Duration.ofSeconds(11));
      brms.inject(Endpoint.SELF_LIST, Fault.status(503));
      assertInstanceOf(
          Decision.Indeterminate.class, guard.decideBlocking(deployToken.secret(), DEPLOY_WEB));
    }
  }
}
