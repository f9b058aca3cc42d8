package dev.patguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patguard.decision.Decision;
import dev.patguard.decision.DenyReason;
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
import dev.patguard.token.SecretDigest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The deploy gate against fake-brms over loopback. */
class DeployGateTest {
  private static final Requirement DEPLOY_WEB = Requirement.parse("releases:deploy@web-shop");
  private static final Requirement MANAGE_DOCS = Requirement.parse("releases:manage@docs-site");

  private final MutableClock clock = MutableClock.at("2026-11-29T12:00:00Z");
  private FakeBrms brms;
  private FakeUser admin;
  private PatGuard guard;
  private DeployGate gate;

  @BeforeEach
  void start() {
    brms = FakeBrms.builder().clock(clock).start();
    admin = brms.createUser(u -> u.email("admin@acme.test").admin());
    MintedToken adminToken = brms.mint(s -> s.owner(admin).permissions("owner").allProjects(true));
    guard =
        PatGuard.builder()
            .baseUrl(brms.baseUrl())
            .clock(clock)
            .ticker(clock.ticker())
            .requestTimeout(Duration.ofSeconds(10))
            .maxRetries(0)
            .adminCredential(adminToken::secret)
            .build();
    gate = DeployGate.of(guard);
  }

  @AfterEach
  void stop() {
    guard.close();
    brms.close();
  }

  @Test
  void checkWhenEveryRequirementPermittedThenPermitWithOneLookup() {
    MintedToken t =
        brms.mint(
            s ->
                s.permissions("releases:deploy", "releases:manage")
                    .projects("web-shop", "docs-site"));

    DeployGate.GateResult r = gate.check(t.secret(), DEPLOY_WEB, MANAGE_DOCS);

    assertTrue(r.isPermit(), r.explanation());
    assertEquals(List.of(DEPLOY_WEB, MANAGE_DOCS), r.requirements());
    assertEquals(
        "token "
            + SecretDigest.fingerprintOf(t.secret())
            + " may releases:deploy on web-shop, releases:manage on docs-site",
        r.explanation());
    assertEquals(1, brms.requestCount(Endpoint.SELF_LIST));
    assertTrue(r.grant().isPresent());
  }

  @Test
  void checkWhenPermissionMissingThenDenyExplainsWhatTheTokenHas() {
    MintedToken t =
        brms.mint(s -> s.permissions("releases:manage").projects("web-shop", "docs-site"));

    DeployGate.GateResult r = gate.check(t.secret(), DEPLOY_WEB);

    Decision.Deny deny = assertInstanceOf(Decision.Deny.class, r.decision());
    assertEquals(List.of(DenyReason.permissionMissing("releases:deploy")), deny.reasons());
    assertEquals(
        "token "
            + SecretDigest.fingerprintOf(t.secret())
            + " lacks releases:deploy on web-shop; it has releases:manage on web-shop, docs-site",
        r.explanation());
    assertFalse(r.explanation().contains(t.secret()));
  }

  @Test
  void checkWhenSeveralRequirementsDeniedThenEveryReasonOfEveryRequirement() {
    MintedToken t = brms.mint(s -> s.permissions("releases:deploy").projects("web-shop"));

    DeployGate.GateResult r =
        gate.check(
            t.secret(),
            List.of(DEPLOY_WEB, MANAGE_DOCS, Requirement.parse("releases:delete@web-shop")));

    Decision.Deny deny = assertInstanceOf(Decision.Deny.class, r.decision());
    assertEquals(
        List.of(
            DenyReason.permissionMissing("releases:manage"),
            new DenyReason(DenyReason.Code.PROJECT_OUT_OF_SCOPE, "docs-site"),
            DenyReason.permissionMissing("releases:delete")),
        deny.reasons());
    assertTrue(
        r.explanation()
            .contains(
                "lacks releases:manage on docs-site and lacks releases:delete on web-shop"
                    + " and is not scoped to project docs-site; it has releases:deploy on web-shop"),
        r.explanation());
  }

  @Test
  void checkWhenTokenRejectedThenDenyWithoutGrant() {
    DeployGate.GateResult r = gate.check("not-a-token", DEPLOY_WEB);

    Decision.Deny deny = assertInstanceOf(Decision.Deny.class, r.decision());
    assertTrue(deny.hasReason(DenyReason.Code.TOKEN_INVALID));
    assertTrue(r.grant().isEmpty());
    assertTrue(
        r.explanation().endsWith("was rejected by BRMS (unknown, revoked or expired)"),
        r.explanation());
  }

  @Test
  void checkWhenBrmsUnavailableThenIndeterminateAndStopsAfterTheFirst() {
    MintedToken t = brms.mint(s -> s.permissions("releases:deploy").projects("web-shop"));
    brms.inject(Endpoint.SELF_LIST, Fault.status(503));

    DeployGate.GateResult r = gate.check(t.secret(), DEPLOY_WEB, MANAGE_DOCS);

    Decision.Indeterminate i = assertInstanceOf(Decision.Indeterminate.class, r.decision());
    assertEquals(IndeterminateCause.BRMS_UNAVAILABLE, i.cause());
    assertFalse(r.isPermit());
    assertEquals(1, brms.requestCount(Endpoint.SELF_LIST), "no second lookup once undecidable");
    assertTrue(r.explanation().startsWith("could not decide for token "), r.explanation());
    assertTrue(r.explanation().endsWith("; failing closed"), r.explanation());
  }

  @Test
  void checkByIdWhenPermissionMissingThenDenyNamingTokenById() {
    FakeUser svc = brms.createUser(u -> u.email("ci@acme.test").serviceAccount());
    MintedToken t = brms.mint(s -> s.owner(svc).permissions("releases:manage").allProjects(true));

    DeployGate.GateResult r =
        gate.checkById(t.userId().toString(), t.id().toString(), List.of(DEPLOY_WEB));

    assertInstanceOf(Decision.Deny.class, r.decision());
    assertEquals(
        "token "
            + t.id()
            + " lacks releases:deploy on web-shop; it has releases:manage on all projects",
        r.explanation());
  }

  @Test
  void checkByIdWhenEveryRequirementPermittedThenPermit() {
    FakeUser svc = brms.createUser(u -> u.email("ci@acme.test").serviceAccount());
    MintedToken t =
        brms.mint(s -> s.owner(svc).permissions("releases:deploy").projects("web-shop"));

    DeployGate.GateResult r =
        gate.checkById(t.userId().toString(), t.id().toString(), List.of(DEPLOY_WEB));

    assertTrue(r.isPermit(), r.explanation());
  }

  @Test
  void checkWhenNoRequirementThenRefused() {
    assertThrows(IllegalArgumentException.class, () -> gate.check("x", List.of()));
  }

  @Test
  void combineWhenAnyIndeterminateThenIndeterminateWithAllWarnings() {
    TokenSubject s = TokenSubject.fingerprintOnly("abcdef12");
    Warning w = Warning.ambiguousLookup(2);
    Decision combined =
        DeployGate.combine(
            List.of(
                Decision.permit(s, List.of(w)),
                Decision.deny(s, DenyReason.permissionMissing("a")),
                Decision.indeterminate(s, IndeterminateCause.TIMEOUT, "slow")));

    Decision.Indeterminate i = assertInstanceOf(Decision.Indeterminate.class, combined);
    assertEquals(List.of(w), i.warnings());
    assertEquals(IndeterminateCause.TIMEOUT, i.cause());
  }

  @Test
  void combineWhenSameReasonTwiceThenListedOnce() {
    TokenSubject s = TokenSubject.fingerprintOnly("abcdef12");
    Decision combined =
        DeployGate.combine(
            List.of(
                Decision.deny(s, DenyReason.tokenInvalid()),
                Decision.deny(s, DenyReason.tokenInvalid())));

    assertEquals(List.of(DenyReason.tokenInvalid()), ((Decision.Deny) combined).reasons());
  }
}
