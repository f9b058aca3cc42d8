package dev.patguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patguard.DecisionEvent.FactsSource;
import dev.patguard.decision.Decision;
import dev.patguard.decision.IndeterminateCause;
import dev.patguard.decision.Requirement;
import dev.patguard.decision.TokenSubject;
import dev.patguard.decision.Warning;
import dev.patguard.fakebrms.Endpoint;
import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.FakeUser;
import dev.patguard.fakebrms.Fault;
import dev.patguard.fakebrms.MintedToken;
import dev.patguard.fakebrms.MutableClock;
import dev.patguard.testing.InMemorySharedCache;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every decision's event says where its facts came from, on each path through the cache. */
class FactsSourceTest {
  private static final Requirement DEPLOY_WEB = Requirement.parse("releases:deploy@web-shop");

  private final MutableClock clock = MutableClock.at("2026-11-29T12:00:00Z");
  private final List<DecisionEvent> events = new CopyOnWriteArrayList<>();
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

  private PatGuard.Builder builder() {
    return PatGuard.builder()
        .baseUrl(brms.baseUrl())
        .clock(clock)
        .ticker(clock.ticker())
        .requestTimeout(Duration.ofSeconds(10))
        .maxRetries(0)
        .cacheTtl(Duration.ofSeconds(60))
        .listener(events::add);
  }

  private List<FactsSource> sources() {
    return events.stream().map(DecisionEvent::factsSource).toList();
  }

  @Test
  void decideWhenMissThenHitThenBrmsThenLocalCache() {
    try (PatGuard guard = builder().build()) {
      assertTrue(guard.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());
      assertTrue(guard.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());

      assertEquals(List.of(FactsSource.BRMS, FactsSource.LOCAL_CACHE), sources());
      assertEquals(1, brms.requestCount(Endpoint.SELF_LIST));
    }
  }

  @Test
  void everyEntryPointWhenHitThenCountsOneHitAndSaysLocalCache() throws Exception {
    try (PatGuard guard = builder().build()) {
      guard.decideBlocking(deployToken.secret(), DEPLOY_WEB);
      guard.decideBlocking(deployToken.secret(), DEPLOY_WEB);
      guard.decide(deployToken.secret(), DEPLOY_WEB).get(1, TimeUnit.SECONDS);
      guard.facts(deployToken.secret()).get(1, TimeUnit.SECONDS);

      CacheStats stats = guard.cacheStats();
      assertEquals(3, stats.hits());
      assertEquals(1, stats.misses());
      assertEquals(
          List.of(FactsSource.BRMS, FactsSource.LOCAL_CACHE, FactsSource.LOCAL_CACHE), sources());
    }
  }

  @Test
  void decideBlockingWhenHitOnAnInterruptedThreadThenDecidesAndKeepsTheInterrupt() {
    try (PatGuard guard = builder().build()) {
      guard.decideBlocking(deployToken.secret(), DEPLOY_WEB);

      Thread.currentThread().interrupt();
      Decision hit;
      try {
        hit = guard.decideBlocking(deployToken.secret(), DEPLOY_WEB);
      } finally {
        assertTrue(Thread.interrupted(), "the caller's interrupt is kept");
      }
      assertTrue(hit.isPermit(), hit::toString);
    }
  }

  @Test
  void decideWhenTtlPassedThenAskedBrmsAgain() {
    try (PatGuard guard = builder().build()) {
      guard.decideBlocking(deployToken.secret(), DEPLOY_WEB);
      clock.advance(Duration.ofSeconds(61));
      guard.decideBlocking(deployToken.secret(), DEPLOY_WEB);

      assertEquals(List.of(FactsSource.BRMS, FactsSource.BRMS), sources());
    }
  }

  @Test
  void decideWhenRejectedTwiceThenBrmsThenLocalCacheForTheRememberedRejection() {
    try (PatGuard guard = builder().build()) {
      Decision first = guard.decideBlocking("not-a-live-token", DEPLOY_WEB);
      Decision second = guard.decideBlocking("not-a-live-token", DEPLOY_WEB);

      assertInstanceOf(Decision.Deny.class, first);
      assertInstanceOf(Decision.Deny.class, second);
      assertEquals(List.of(FactsSource.BRMS, FactsSource.LOCAL_CACHE), sources());
    }
  }

  @Test
  void decideWhenAnotherReplicaLookedItUpThenSharedCacheThenLocalCache() {
    InMemorySharedCache store = new InMemorySharedCache(clock.ticker());
    try (PatGuard a = builder().sharedCache(store).build();
        PatGuard b = builder().sharedCache(store).build()) {
      assertTrue(a.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());
      assertTrue(b.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());
      assertTrue(b.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());

      assertEquals(
          List.of(FactsSource.BRMS, FactsSource.SHARED_CACHE, FactsSource.LOCAL_CACHE), sources());
      assertEquals(1, brms.requestCount(Endpoint.SELF_LIST));
      assertEquals(1, b.cacheStats().sharedHits());
    }
  }

  @Test
  void decideWhenSharedRejectionThenSharedCache() {
    InMemorySharedCache store = new InMemorySharedCache(clock.ticker());
    try (PatGuard a = builder().sharedCache(store).build();
        PatGuard b = builder().sharedCache(store).build()) {
      a.decideBlocking("not-a-live-token", DEPLOY_WEB);
      Decision onB = b.decideBlocking("not-a-live-token", DEPLOY_WEB);

      assertInstanceOf(Decision.Deny.class, onB);
      assertEquals(List.of(FactsSource.BRMS, FactsSource.SHARED_CACHE), sources());
    }
  }

  @Test
  void decideWhenBrmsFailsPastTheTtlWithStaleIfErrorThenStale() {
    try (PatGuard guard = builder().staleIfError(Duration.ofSeconds(30)).build()) {
      guard.decideBlocking(deployToken.secret(), DEPLOY_WEB);
      clock.advance(Duration.ofSeconds(61));
      brms.inject(Endpoint.SELF_LIST, Fault.status(503));

      Decision d = guard.decideBlocking(deployToken.secret(), DEPLOY_WEB);

      assertTrue(d.isPermit(), d::explain);
      assertTrue(d.warnings().stream().anyMatch(w -> w.code() == Warning.Code.STALE_FACTS));
      assertEquals(List.of(FactsSource.BRMS, FactsSource.STALE), sources());
    }
  }

  @Test
  void decideWhenStaleGraceAlsoPassedThenNone() {
    try (PatGuard guard = builder().staleIfError(Duration.ofSeconds(30)).build()) {
      guard.decideBlocking(deployToken.secret(), DEPLOY_WEB);
      clock.advance(Duration.ofSeconds(91));
      brms.inject(Endpoint.SELF_LIST, Fault.status(503));

      Decision d = guard.decideBlocking(deployToken.secret(), DEPLOY_WEB);

      assertInstanceOf(Decision.Indeterminate.class, d);
      assertEquals(List.of(FactsSource.BRMS, FactsSource.NONE), sources());
    }
  }

  @Test
  void decideWhenOutageThenNone() {
    try (PatGuard guard = builder().build()) {
      brms.inject(Endpoint.SELF_LIST, Fault.status(503));

      Decision d = guard.decideBlocking(deployToken.secret(), DEPLOY_WEB);

      assertEquals(
          IndeterminateCause.BRMS_UNAVAILABLE,
          assertInstanceOf(Decision.Indeterminate.class, d).cause());
      assertEquals(List.of(FactsSource.NONE), sources());
    }
  }

  @Test
  void decideWhenNoSecretOrClosedGuardThenNone() {
    PatGuard guard = builder().build();
    guard.decideBlocking("", DEPLOY_WEB);
    guard.close();
    guard.decideBlocking(deployToken.secret(), DEPLOY_WEB);

    assertEquals(List.of(FactsSource.NONE, FactsSource.NONE), sources());
    assertEquals(0, brms.requestCount(Endpoint.SELF_LIST));
  }

  @Test
  void decideWhenCallersJoinALookupInFlightThenEachSaysBrms() throws Exception {
    try (PatGuard guard = builder().build()) {
      // Hold the one lookup open so that the second call joins it rather than hit the cache.
      brms.inject(Endpoint.SELF_LIST, Fault.latency(Duration.ofMillis(300)), 1);
      List<CompletableFuture<Decision>> decisions = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        decisions.add(guard.decide(deployToken.secret(), DEPLOY_WEB));
      }
      CompletableFuture.allOf(decisions.toArray(CompletableFuture[]::new))
          .get(30, TimeUnit.SECONDS);

      assertEquals(1, brms.requestCount(Endpoint.SELF_LIST));
      assertEquals(3, guard.cacheStats().misses());
      assertEquals(List.of(FactsSource.BRMS, FactsSource.BRMS, FactsSource.BRMS), sources());
    }
  }

  @Test
  void decideByIdThenBrms() throws Exception {
    FakeUser admin = brms.createUser(u -> u.email("admin@acme.test").admin());
    MintedToken adminToken = brms.mint(t -> t.owner(admin).permissions("owner").allProjects(true));
    try (PatGuard guard = builder().adminCredential(adminToken::secret).build()) {
      Decision d =
          guard
              .decideById(deployer.id().toString(), deployToken.id().toString(), DEPLOY_WEB)
              .get(30, TimeUnit.SECONDS);
      guard.decideById("not-a-uuid", deployToken.id().toString(), DEPLOY_WEB).get();

      assertTrue(d.isPermit(), d::explain);
      assertEquals(List.of(FactsSource.BRMS, FactsSource.NONE), sources());
    }
  }

  @Test
  void constructorWithoutSourceThenNone() {
    DecisionEvent e =
        new DecisionEvent(
            Decision.permit(TokenSubject.fingerprintOnly("0123abcd"), List.of()),
            DEPLOY_WEB,
            Instant.parse("2026-11-29T12:00:00Z"),
            "self");
    assertEquals(FactsSource.NONE, e.factsSource());
  }
}
