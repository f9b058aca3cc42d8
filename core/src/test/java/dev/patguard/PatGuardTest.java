package dev.patguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import dev.patguard.testing.LogCapture;
import dev.patguard.token.SecretDigest;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** End to end: secret → fake-brms over loopback → grant → decision. */
class PatGuardTest {
  private static final Requirement DEPLOY_WEB = Requirement.parse("releases:deploy@web-shop");

  private final MutableClock clock = MutableClock.at("2026-11-29T12:00:00Z");
  private final List<DecisionEvent> events = new CopyOnWriteArrayList<>();
  private FakeBrms brms;
  private FakeUser deployer;
  private MintedToken deployToken;
  private PatGuard guard;

  @BeforeEach
  void start() {
    brms = FakeBrms.builder().clock(clock).start();
    deployer = brms.createUser(u -> u.email("deployer@acme.test").serviceAccount());
    deployToken =
        brms.mint(
            t ->
                t.owner(deployer)
                    .note("ci deploy")
                    .permissions("releases:deploy")
                    .projects("web-shop")
                    .expiresIn(Duration.ofDays(30)));
    guard = builder().build();
  }

  private PatGuard.Builder builder() {
    return PatGuard.builder()
        .baseUrl(brms.baseUrl())
        .clock(clock)
        .ticker(clock.ticker())
        .requestTimeout(Duration.ofSeconds(10))
        .listener(events::add);
  }

  @AfterEach
  void stop() {
    guard.close();
    brms.close();
  }

  @Test
  void decideWhenTokenHoldsPermissionOnProjectThenPermitNamingTokenAndOwner() {
    Decision d = guard.decideBlocking(deployToken.secret(), DEPLOY_WEB);

    Decision.Permit permit = assertInstanceOf(Decision.Permit.class, d, d.explain());
    assertEquals(deployToken.id(), permit.subject().tokenId());
    assertEquals(deployer.id(), permit.subject().ownerId());
    assertEquals("deployer@acme.test", permit.subject().ownerEmail());
    assertEquals(SecretDigest.fingerprintOf(deployToken.secret()), permit.subject().fingerprint());
    assertEquals(1, events.size());
    assertSame(d, events.get(0).decision());
    assertEquals("self", events.get(0).lookup());
  }

  @Test
  void decideWhenPermissionMissingThenDenyNamingIt() {
    Decision d =
        guard.decideBlocking(deployToken.secret(), Requirement.parse("releases:delete@web-shop"));
    Decision.Deny deny = assertInstanceOf(Decision.Deny.class, d);
    assertEquals(List.of(DenyReason.permissionMissing("releases:delete")), deny.reasons());
  }

  @Test
  void decideWhenProjectOutOfScopeThenDenyNamingIt() {
    Decision d =
        guard.decideBlocking(deployToken.secret(), Requirement.parse("releases:deploy@docs-site"));
    assertEquals(
        List.of(new DenyReason(DenyReason.Code.PROJECT_OUT_OF_SCOPE, "docs-site")),
        assertInstanceOf(Decision.Deny.class, d).reasons());
  }

  @Test
  void decideWhenSecretUnknownThenDenyTokenInvalid() {
    Decision d = guard.decideBlocking("definitely-not-a-token", DEPLOY_WEB);
    Decision.Deny deny = assertInstanceOf(Decision.Deny.class, d);
    assertEquals(List.of(DenyReason.tokenInvalid()), deny.reasons());
    assertEquals(
        SecretDigest.fingerprintOf("definitely-not-a-token"), deny.subject().fingerprint());
    assertNull(deny.subject().tokenId());
  }

  @Test
  void decideWhenSecretEmptyThenDenyWithoutLookup() {
    assertInstanceOf(Decision.Deny.class, guard.decideBlocking("", DEPLOY_WEB));
    assertEquals(0, brms.totalRequests());
  }

  @Test
  void decideWhenOwnerInactiveThenDenyOwnerInactive() {
    brms.setOwnerStatus(deployer.id(), "inactive");
    Decision d = guard.decideBlocking(deployToken.secret(), DEPLOY_WEB);
    assertEquals(
        List.of(DenyReason.ownerInactive("inactive")),
        assertInstanceOf(Decision.Deny.class, d).reasons());
  }

  @Test
  void decideWhenTokenMayNotReadItsFactsThenDenyLookupForbiddenAndWarnOnce() {
    MintedToken mute =
        brms.mint(
            t ->
                t.owner(deployer)
                    .permissions("releases:deploy")
                    .projects("web-shop")
                    .canReadOwnTokens(false));
    MintedToken mute2 = brms.mint(t -> t.permissions("releases:deploy").canReadOwnTokens(false));
    try (LogCapture logs = LogCapture.start()) {
      Decision d = guard.decideBlocking(mute.secret(), DEPLOY_WEB);
      guard.decideBlocking(mute2.secret(), DEPLOY_WEB);

      assertEquals(
          List.of(DenyReason.lookupForbidden()),
          assertInstanceOf(Decision.Deny.class, d).reasons());
      assertEquals(1, logs.count(Level.WARNING, "may not list its own tokens"));
    }
  }

  @Test
  void decideWhenOwnerHasSeveralLiveTokensThenPermitsOnlyWhatAllAllow() {
    // The deployer's second token can deploy web-shop and docs-site; the first only web-shop.
    brms.mint(
        t ->
            t.owner(deployer)
                .permissions("releases:deploy", "releases:manage")
                .projects("web-shop", "docs-site"));

    Decision both = guard.decideBlocking(deployToken.secret(), DEPLOY_WEB);
    Decision onlySecond =
        guard.decideBlocking(deployToken.secret(), Requirement.parse("releases:manage@web-shop"));
    Decision docs =
        guard.decideBlocking(deployToken.secret(), Requirement.parse("releases:deploy@docs-site"));

    assertTrue(both.isPermit(), both.explain());
    assertTrue(both.warnings().contains(Warning.ambiguousLookup(2)));
    assertNull(both.subject().tokenId(), "several candidates: no single token id");
    assertEquals(deployer.id(), both.subject().ownerId());
    Decision.Deny deny = assertInstanceOf(Decision.Deny.class, onlySecond);
    assertTrue(deny.hasReason(DenyReason.Code.AMBIGUOUS_TOKEN));
    assertTrue(deny.reasons().contains(DenyReason.permissionMissing("releases:manage")));
    assertFalse(docs.isPermit());
  }

  @Test
  void decideWhenOtherTokensOfTheOwnerExpiredThenTheyAreNotCandidates() {
    MintedToken old =
        brms.mint(
            t ->
                t.owner(deployer)
                    .permissions("owner")
                    .allProjects(true)
                    .expiresIn(Duration.ofHours(1)));
    clock.advance(Duration.ofHours(2));
    assertTrue(brms.token(old.id()).orElseThrow().isExpiredAt(clock.instant()));

    Decision d = guard.decideBlocking(deployToken.secret(), DEPLOY_WEB);

    assertTrue(d.isPermit(), d.explain());
    assertEquals(
        deployToken.id(), d.subject().tokenId(), "exact again once the expired token is dropped");
  }

  @Test
  void decideWhenTokenExpiresWithinHorizonThenPermitWarnsExpiresSoon() {
    MintedToken soon =
        brms.mint(
            t ->
                t.owner(brms.createUser(u -> u.email("x@acme.test")))
                    .permissions("releases:deploy")
                    .projects("web-shop")
                    .expiresIn(Duration.ofDays(2)));
    Decision d = guard.decideBlocking(soon.secret(), DEPLOY_WEB);
    assertTrue(d.isPermit());
    assertEquals(Warning.Code.EXPIRES_SOON, d.warnings().get(0).code());
  }

  @Test
  void decideWhenBrmsDownThenIndeterminateNeverPermitAndNotCached() {
    brms.inject(Endpoint.SELF_LIST, Fault.status(503));

    Decision down = guard.decideBlocking(deployToken.secret(), DEPLOY_WEB);

    Decision.Indeterminate i = assertInstanceOf(Decision.Indeterminate.class, down);
    assertEquals(IndeterminateCause.BRMS_UNAVAILABLE, i.cause());
    assertEquals(3, brms.requestCount(Endpoint.SELF_LIST), "one call and two retries");
    brms.clearFaults();
    assertTrue(
        guard.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit(),
        "the outage was not cached");
    assertEquals(4, brms.requestCount(Endpoint.SELF_LIST));
  }

  @Test
  void decideWhenBrmsSlowerThanTheDeadlineThenIndeterminateTimeout() {
    guard = builder().requestTimeout(Duration.ofMillis(300)).build();
    brms.inject(Endpoint.SELF_LIST, Fault.latency(Duration.ofSeconds(5)));
    long start = System.nanoTime();

    Decision d = guard.decideBlocking(deployToken.secret(), DEPLOY_WEB);

    assertEquals(
        IndeterminateCause.TIMEOUT, assertInstanceOf(Decision.Indeterminate.class, d).cause());
    assertTrue(System.nanoTime() - start < Duration.ofSeconds(2).toNanos());
  }

  @Test
  void decideBlockingWhenMissThenTheCallingThreadAsksBrmsItself() {
    List<Thread> decidedOn = new CopyOnWriteArrayList<>();
    guard = builder().listener(e -> decidedOn.add(Thread.currentThread())).build();

    assertTrue(guard.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());
    // The asynchronous lookup must still be running when decide returns: were it done first, its
    // continuations would rightly run on the caller, which is not what is under test.
    brms.inject(Endpoint.SELF_LIST, Fault.latency(Duration.ofMillis(300)), 1);
    assertTrue(
        guard.decide("another-" + deployToken.secret(), DEPLOY_WEB).join()
            instanceof Decision.Deny);

    assertSame(
        Thread.currentThread(),
        decidedOn.get(0),
        "blocking: no hand-off to a pool thread and back");
    assertTrue(
        decidedOn.get(1).getName().startsWith("patguard-brms-"),
        "asynchronous: the caller is never blocked, the pool asks ("
            + decidedOn.get(1).getName()
            + ")");
  }

  @Test
  void decideBlockingWhenCallerAlreadyInterruptedThenTimeoutNotAnOutageAndThePoolStillLooksUp() {
    Thread.currentThread().interrupt();
    Decision d = guard.decideBlocking(deployToken.secret(), DEPLOY_WEB);
    boolean stillInterrupted = Thread.interrupted();

    Decision.Indeterminate i = assertInstanceOf(Decision.Indeterminate.class, d, d.explain());
    assertEquals(
        IndeterminateCause.TIMEOUT,
        i.cause(),
        "a local interrupt is not a BRMS outage: " + d.explain());
    assertTrue(stillInterrupted, "the caller's interrupt is kept");
    Decision later = guard.decideBlocking(deployToken.secret(), DEPLOY_WEB);
    assertTrue(later.isPermit(), later.explain());
    assertEquals(
        1, brms.requestCount(Endpoint.SELF_LIST), "the pool's lookup went ahead and was cached");
  }

  @Test
  void decideBlockingWhenOneCallCouldOutlastTheDecisionTimeoutThenThePoolAsks() {
    List<Thread> decidedOn = new CopyOnWriteArrayList<>();
    guard =
        builder()
            .requestTimeout(Duration.ofSeconds(10))
            .decisionTimeout(Duration.ofSeconds(5))
            .listener(e -> decidedOn.add(Thread.currentThread()))
            .build();

    assertTrue(guard.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());

    assertTrue(decidedOn.get(0).getName().startsWith("patguard-brms-"), decidedOn.get(0).getName());
  }

  @Test
  void decideBlockingWhenBodyStallsThenIndeterminateTimeoutWithinTheDecisionTimeout() {
    guard = builder().requestTimeout(Duration.ofMillis(300)).build();
    brms.inject(Endpoint.SELF_LIST, Fault.stalledBody(Duration.ofMinutes(5)));
    long start = System.nanoTime();

    Decision d = guard.decideBlocking(deployToken.secret(), DEPLOY_WEB);

    assertEquals(
        IndeterminateCause.TIMEOUT,
        assertInstanceOf(Decision.Indeterminate.class, d).cause(),
        d.explain());
    assertTrue(
        System.nanoTime() - start < guard.decisionTimeout().plusSeconds(5).toNanos(),
        "bounded by the decision timeout, not by the 5-minute stall");
  }

  @Test
  void decideWhenAnswerMalformedThenIndeterminateMalformed() {
    brms.inject(Endpoint.SELF_LIST, Fault.malformedJson());
    Decision d = guard.decideBlocking(deployToken.secret(), DEPLOY_WEB);
    assertEquals(
        IndeterminateCause.MALFORMED_RESPONSE,
        assertInstanceOf(Decision.Indeterminate.class, d).cause());
  }

  @Test
  void decideWhenListenerThrowsThenDecisionStands() {
    guard =
        builder()
            .listener(
                e -> {
                  throw new IllegalStateException("listener bug");
                })
            .build();
    assertTrue(guard.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());
  }

  @Test
  void decideByIdWhenAdminThenDecidesWithoutSecret() throws Exception {
    FakeUser admin = brms.createUser(u -> u.email("admin@acme.test").admin());
    MintedToken adminToken = brms.mint(t -> t.owner(admin).permissions("owner").allProjects(true));
    guard = builder().adminCredential(adminToken::secret).build();

    Decision d =
        guard.decideById(deployer.id().toString(), deployToken.id().toString(), DEPLOY_WEB).get();

    assertTrue(d.isPermit(), d.explain());
    assertNull(d.subject().fingerprint());
    assertEquals(deployToken.id(), d.subject().tokenId());
  }

  @Test
  void decideWhenBaseUrlHoldsApiThenWarnedAtStartupAndIndeterminateMisconfiguredLoggedAsError() {
    guard.close();
    String base = brms.baseUrl().toString().replaceAll("/$", "");
    try (LogCapture logs = LogCapture.start()) {
      guard = builder().baseUrl(base + "/api").build();
      assertEquals(1, logs.count(Level.WARNING, "holds /api, and patguard adds /api/… to it"));

      Decision first = guard.decideBlocking(deployToken.secret(), DEPLOY_WEB);
      Decision second = guard.decideBlocking(deployToken.secret(), DEPLOY_WEB);

      Decision.Indeterminate i = assertInstanceOf(Decision.Indeterminate.class, first);
      assertEquals(IndeterminateCause.MISCONFIGURED, i.cause());
      assertEquals(
          "GET /api/personal-access-tokens answered 404: is "
              + base
              + "/api the BRMS base URL? patguard adds /api/… itself (try "
              + base
              + ")",
          i.detail());
      // Never cached: the second decision asked again, and the error was logged once per 30 s.
      assertInstanceOf(Decision.Indeterminate.class, second);
      assertEquals(2, brms.totalRequests());
      assertEquals(1, logs.count(Level.SEVERE, "patguard's BRMS base URL looks wrong"));
      assertFalse(logs.text().contains(deployToken.secret()));
    }
  }

  @Test
  void decideByIdWhenAdminCredentialRefusedThenIndeterminateLoggedOnceAsOperatorProblem()
      throws Exception {
    guard = builder().adminCredential(deployToken::secret).build();
    try (LogCapture logs = LogCapture.start()) {
      Decision d =
          guard.decideById(deployer.id().toString(), deployToken.id().toString(), DEPLOY_WEB).get();
      guard.decideById(deployer.id().toString(), deployToken.id().toString(), DEPLOY_WEB).get();

      assertEquals(
          IndeterminateCause.CREDENTIAL_REFUSED,
          assertInstanceOf(Decision.Indeterminate.class, d).cause());
      assertEquals(1, logs.count(Level.SEVERE, "refused patguard's admin credential"));
    }
  }

  @Test
  void decideWhenManyLookupsThenThreadsAreReusedNotStartedPerCall() {
    guard.decideBlocking("warm-up-secret", DEPLOY_WEB);
    long before =
        java.lang.management.ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();
    for (int i = 0; i < 50; i++) {
      guard.decideBlocking("unknown-secret-" + i, DEPLOY_WEB);
    }
    long started =
        java.lang.management.ManagementFactory.getThreadMXBean().getTotalStartedThreadCount()
            - before;
    // CompletableFuture's default executor starts a thread per task on machines with < 3 CPUs;
    // patguard's own pool reuses its threads.
    assertTrue(started < 20, "50 lookups started " + started + " threads");
  }

  @Test
  void closeWhenCalledThenPatguardThreadsEndAndLaterDecisionsAreIndeterminate() throws Exception {
    // Other test classes' pools may still idle in this JVM: count only threads started from here
    // on.
    guard.close();
    Set<Thread> earlier = Set.copyOf(patguardThreads());
    guard = builder().build();
    assertTrue(guard.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());
    assertFalse(newThreads(earlier).isEmpty(), "the lookup ran on a patguard-brms thread");
    guard.close();
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!newThreads(earlier).isEmpty() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(List.of(), newThreads(earlier), "patguard-brms threads still alive after close()");
    Decision after = guard.decideBlocking("another-secret", DEPLOY_WEB);
    assertEquals(
        "this PatGuard is closed", assertInstanceOf(Decision.Indeterminate.class, after).detail());
    assertEquals(1, brms.requestCount(Endpoint.SELF_LIST), "a closed guard asks BRMS nothing");
  }

  @Test
  void closeWhenABlockingDecisionIsMidCallThenItReturnsIndeterminateWithinTheDecisionTimeout()
      throws Exception {
    guard = builder().requestTimeout(Duration.ofSeconds(2)).build();
    brms.inject(Endpoint.SELF_LIST, Fault.latency(Duration.ofMinutes(5)));
    java.util.concurrent.CompletableFuture<Decision> pending =
        new java.util.concurrent.CompletableFuture<>();
    Thread caller =
        new Thread(() -> pending.complete(guard.decideBlocking(deployToken.secret(), DEPLOY_WEB)));
    caller.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (brms.inFlight() == 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(1, brms.inFlight(), "the caller's own thread is waiting on BRMS");

    guard.close(); // shuts down the pool the HTTP client completes its calls on

    Decision d =
        pending.get(
            guard.decisionTimeout().plusSeconds(20).toSeconds(),
            java.util.concurrent.TimeUnit.SECONDS);
    assertInstanceOf(Decision.Indeterminate.class, d, d.explain());
    caller.join(10_000);
    assertFalse(caller.isAlive());
    assertFalse(
        caller.isInterrupted(), "the interrupt that took the thread back is not left behind");
  }

  private static List<Thread> patguardThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("patguard-brms-") && t.isAlive())
        .toList();
  }

  private static List<Thread> newThreads(Set<Thread> earlier) {
    return patguardThreads().stream().filter(t -> !earlier.contains(t)).toList();
  }

  @Test
  void builderWhenBaseUrlMissingThenSaysSo() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> PatGuard.builder().build());
    assertTrue(e.getMessage().startsWith("baseUrl must be set"));
  }
}
