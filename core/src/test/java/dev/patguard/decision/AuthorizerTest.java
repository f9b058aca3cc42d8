package dev.patguard.decision;

import static dev.patguard.testing.TestTokens.NOW;
import static dev.patguard.testing.TestTokens.OWNER_ID;
import static dev.patguard.testing.TestTokens.projectId;
import static dev.patguard.testing.TestTokens.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patguard.testing.TestTokens;
import dev.patguard.token.PersonalAccessToken;
import dev.patguard.token.SecretDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuthorizerTest {
  private static final Requirement DEPLOY_WEB_SHOP = Requirement.parse("releases:deploy@web-shop");
  private static final Instant EXPIRES_AT = Instant.parse("2026-04-15T09:30:00Z");

  private static Grant grant(TestTokens.Builder b) {
    return Grant.compile(b.build(), PermissionModel.strict());
  }

  private static Grant deployer() {
    return grant(token().permissions("releases:deploy").project("web-shop").expiresAt(EXPIRES_AT));
  }

  private static List<DenyReason.Code> codes(Decision d) {
    return assertInstanceOf(Decision.Deny.class, d).reasons().stream()
        .map(DenyReason::code)
        .toList();
  }

  @Nested
  class Expiry {
    private Decision decideAt(Clock clock) {
      return Authorizer.standard().decide(deployer(), DEPLOY_WEB_SHOP, clock.instant());
    }

    @Test
    void decideWhenOneNanosecondBeforeExpiryThenPermit() {
      assertTrue(decideAt(Clock.fixed(EXPIRES_AT.minusNanos(1), ZoneOffset.UTC)).isPermit());
    }

    @Test
    void decideWhenExactlyAtExpiryThenDenyTokenExpired() {
      Decision d = decideAt(Clock.fixed(EXPIRES_AT, ZoneOffset.UTC));

      Decision.Deny deny = assertInstanceOf(Decision.Deny.class, d);
      assertEquals(List.of(DenyReason.tokenExpired(EXPIRES_AT)), deny.reasons());
      assertTrue(deny.isTokenUnusable());
    }

    @Test
    void decideWhenAfterExpiryThenDenyTokenExpired() {
      Clock later = Clock.offset(Clock.fixed(EXPIRES_AT, ZoneOffset.UTC), Duration.ofNanos(1));

      assertEquals(List.of(DenyReason.Code.TOKEN_EXPIRED), codes(decideAt(later)));
      assertEquals(
          List.of(DenyReason.Code.TOKEN_EXPIRED),
          codes(decideAt(Clock.fixed(EXPIRES_AT.plus(Duration.ofDays(400)), ZoneOffset.UTC))));
    }

    @Test
    void decideWhenTokenNeverExpiresThenPermitFarInTheFutureWithoutWarning() {
      Grant g = grant(token().permissions("releases:deploy").project("web-shop").neverExpires());

      Decision d =
          Authorizer.standard().decide(g, DEPLOY_WEB_SHOP, Instant.parse("9999-12-31T23:59:59Z"));

      assertTrue(d.isPermit());
      assertEquals(List.of(), d.warnings());
    }
  }

  @Nested
  class ExpiresSoon {
    @Test
    void decideWhenInsideDefaultSevenDayHorizonThenPermitWithWarning() {
      Decision d =
          Authorizer.standard()
              .decide(deployer(), DEPLOY_WEB_SHOP, EXPIRES_AT.minus(Duration.ofDays(6)));

      assertTrue(d.isPermit());
      assertEquals(List.of(Warning.expiresSoon(EXPIRES_AT)), d.warnings());
      assertEquals(EXPIRES_AT.toString(), d.warnings().get(0).detail());
    }

    @Test
    void decideWhenOutsideOrExactlyAtTheHorizonThenNoWarning() {
      Authorizer a = Authorizer.standard();

      assertEquals(
          List.of(),
          a.decide(deployer(), DEPLOY_WEB_SHOP, EXPIRES_AT.minus(Duration.ofDays(8))).warnings());
      assertEquals(
          List.of(),
          a.decide(deployer(), DEPLOY_WEB_SHOP, EXPIRES_AT.minus(Duration.ofDays(7))).warnings());
      assertEquals(
          List.of(Warning.expiresSoon(EXPIRES_AT)),
          a.decide(deployer(), DEPLOY_WEB_SHOP, EXPIRES_AT.minus(Duration.ofDays(7)).plusNanos(1))
              .warnings());
    }

    @Test
    void decideWhenCustomHorizonThenWarningFollowsIt() {
      Authorizer hour = Authorizer.builder().expiresSoonHorizon(Duration.ofHours(1)).build();

      assertEquals(Duration.ofHours(1), hour.expiresSoonHorizon());
      assertEquals(
          List.of(Warning.expiresSoon(EXPIRES_AT)),
          hour.decide(deployer(), DEPLOY_WEB_SHOP, EXPIRES_AT.minus(Duration.ofMinutes(30)))
              .warnings());
      assertEquals(
          List.of(),
          hour.decide(deployer(), DEPLOY_WEB_SHOP, EXPIRES_AT.minus(Duration.ofHours(2)))
              .warnings());
      assertEquals(
          List.of(),
          hour.decide(deployer(), DEPLOY_WEB_SHOP, EXPIRES_AT.minus(Duration.ofDays(6)))
              .warnings());
    }

    @Test
    void decideWhenHorizonHasNanosThenComparedExactly() {
      Authorizer a = Authorizer.builder().expiresSoonHorizon(Duration.ofSeconds(10, 500)).build();

      assertEquals(
          List.of(),
          a.decide(deployer(), DEPLOY_WEB_SHOP, EXPIRES_AT.minusSeconds(10).minusNanos(500))
              .warnings());
      assertEquals(
          1,
          a.decide(deployer(), DEPLOY_WEB_SHOP, EXPIRES_AT.minusSeconds(10).minusNanos(499))
              .warnings()
              .size());
    }

    @Test
    void decideWhenHorizonIsZeroThenNeverWarns() {
      Authorizer none = Authorizer.builder().expiresSoonHorizon(Duration.ZERO).build();

      assertEquals(
          List.of(), none.decide(deployer(), DEPLOY_WEB_SHOP, EXPIRES_AT.minusNanos(1)).warnings());
    }

    @Test
    void expiresSoonHorizonWhenNegativeThenRejected() {
      Authorizer.Builder b = Authorizer.builder();

      assertThrows(
          IllegalArgumentException.class, () -> b.expiresSoonHorizon(Duration.ofSeconds(-1)));
    }
  }

  @Nested
  class OwnerStatus {
    @Test
    void decideWhenOwnerPendingThenDenyOwnerInactiveByDefault() {
      Grant pending =
          grant(token().permissions("releases:deploy").project("web-shop").status("pending"));

      Decision.Deny d =
          assertInstanceOf(
              Decision.Deny.class, Authorizer.standard().decide(pending, DEPLOY_WEB_SHOP, NOW));

      assertEquals(List.of(DenyReason.ownerInactive("pending")), d.reasons());
      assertTrue(d.isTokenUnusable());
    }

    @Test
    void decideWhenPendingIsConfiguredAsAcceptedThenPermit() {
      Authorizer a =
          Authorizer.builder().acceptedOwnerStatuses(Set.of("active", "pending")).build();
      Grant pending =
          grant(token().permissions("releases:deploy").project("web-shop").status("pending"));

      assertTrue(a.decide(pending, DEPLOY_WEB_SHOP, NOW).isPermit());
      assertTrue(a.decide(deployer(), DEPLOY_WEB_SHOP, NOW).isPermit());
    }

    @Test
    void decideWhenOnlyPendingAcceptedThenActiveOwnerIsDenied() {
      Authorizer a = Authorizer.builder().acceptedOwnerStatuses(Set.of(" Pending ")).build();

      assertEquals(Set.of("pending"), a.acceptedOwnerStatuses());
      assertEquals(
          List.of(DenyReason.Code.OWNER_INACTIVE),
          codes(a.decide(deployer(), DEPLOY_WEB_SHOP, NOW)));
    }

    @Test
    void decideWhenOwnerStatusMissingThenDenyOwnerInactive() {
      Grant noStatus =
          grant(token().permissions("releases:deploy").project("web-shop").status(null));

      Decision.Deny d =
          assertInstanceOf(
              Decision.Deny.class, Authorizer.standard().decide(noStatus, DEPLOY_WEB_SHOP, NOW));

      assertEquals(List.of(DenyReason.ownerInactive(null)), d.reasons());
    }

    @Test
    void acceptedOwnerStatusesWhenEmptyOrBlankThenRejected() {
      Authorizer.Builder b = Authorizer.builder();

      assertThrows(IllegalArgumentException.class, () -> b.acceptedOwnerStatuses(Set.of()));
      assertThrows(IllegalArgumentException.class, () -> b.acceptedOwnerStatuses(Set.of(" ")));
    }
  }

  @Nested
  class Reasons {
    @Test
    void decideWhenEverythingIsWrongThenAllFourReasonsAtOnce() {
      Grant g =
          grant(
              token()
                  .permissions("documents")
                  .project("other-project")
                  .status("pending")
                  .expiresAt(NOW.minusSeconds(1)));

      Decision.Deny d =
          assertInstanceOf(
              Decision.Deny.class, Authorizer.standard().decide(g, DEPLOY_WEB_SHOP, NOW));

      assertEquals(
          List.of(
              DenyReason.tokenExpired(NOW.minusSeconds(1)),
              DenyReason.ownerInactive("pending"),
              DenyReason.permissionMissing("releases:deploy"),
              DenyReason.projectOutOfScope(ProjectRef.byKey("web-shop"))),
          d.reasons());
      assertTrue(d.hasReason(DenyReason.Code.PROJECT_OUT_OF_SCOPE));
      assertFalse(d.hasReason(DenyReason.Code.AMBIGUOUS_TOKEN));
    }

    @Test
    void decideWhenAllOfMissesTwoThenOneReasonEach() {
      Grant g = grant(token().permissions("releases:manage").allProjects(true));

      Decision d =
          Authorizer.standard()
              .decide(g, Requirement.parse("releases:deploy,releases:manage,documents:full"), NOW);

      assertEquals(
          List.of(
              DenyReason.permissionMissing("releases:deploy"),
              DenyReason.permissionMissing("documents:full")),
          assertInstanceOf(Decision.Deny.class, d).reasons());
      assertFalse(((Decision.Deny) d).isTokenUnusable());
    }

    @Test
    void decideWhenOnlyProjectIsWrongThenOnlyProjectOutOfScope() {
      Decision d =
          Authorizer.standard()
              .decide(deployer(), Requirement.parse("releases:deploy@billing"), NOW);

      assertEquals(
          List.of(DenyReason.projectOutOfScope(ProjectRef.byKey("billing"))),
          assertInstanceOf(Decision.Deny.class, d).reasons());
    }
  }

  @Nested
  class AnyOf {
    @Test
    void decideWhenAnyOneAlternativeIsHeldThenPermit() {
      Grant g = grant(token().permissions("releases:manage").project("web-shop"));

      assertTrue(
          Authorizer.standard()
              .decide(g, Requirement.parse("releases:deploy|releases:manage@web-shop"), NOW)
              .isPermit());
      assertTrue(
          Authorizer.standard()
              .decide(g, Requirement.parse("releases:manage|releases:deploy@web-shop"), NOW)
              .isPermit());
    }

    @Test
    void decideWhenNoAlternativeIsHeldThenOneReasonNamingAllAlternatives() {
      Grant g = grant(token().permissions("documents").project("web-shop"));

      Decision d =
          Authorizer.standard()
              .decide(g, Requirement.parse("releases:deploy|releases:manage@web-shop"), NOW);

      assertEquals(
          List.of(DenyReason.permissionMissing("releases:deploy|releases:manage")),
          assertInstanceOf(Decision.Deny.class, d).reasons());
    }

    @Test
    void decideWhenAlternativeIsUnknownNameHeldVerbatimThenPermit() {
      Grant g = grant(token().permissions("widgets:frob").allProjects(true));

      assertTrue(
          Authorizer.standard()
              .decide(g, Requirement.parse("releases:deploy|widgets:frob"), NOW)
              .isPermit());
    }
  }

  @Nested
  class Authenticated {
    @Test
    void decideWhenLiveTokenOfActiveOwnerThenPermitEvenWithoutPermissions() {
      Grant g = grant(token());

      assertTrue(Authorizer.standard().decide(g, Requirement.authenticated(), NOW).isPermit());
    }

    @Test
    void decideWhenExpiredTokenThenDenyTokenExpiredOnly() {
      Grant g = grant(token().expiresAt(NOW));

      assertEquals(
          List.of(DenyReason.Code.TOKEN_EXPIRED),
          codes(Authorizer.standard().decide(g, Requirement.authenticated(), NOW)));
    }

    @Test
    void decideWhenAuthenticatedOnProjectOutsideScopeThenDenyProjectOutOfScope() {
      assertEquals(
          List.of(DenyReason.Code.PROJECT_OUT_OF_SCOPE),
          codes(
              Authorizer.standard()
                  .decide(deployer(), Requirement.parse("authenticated@billing"), NOW)));
      assertTrue(
          Authorizer.standard()
              .decide(deployer(), Requirement.parse("authenticated@web-shop"), NOW)
              .isPermit());
    }
  }

  @Nested
  class Owner {
    @ParameterizedTest
    @ValueSource(
        strings = {
          "releases:deploy",
          "releases:rollback",
          "widgets",
          "releases:deploy-admin",
          "releases:deploy,widgets:frob,documents:full"
        })
    void decideWhenOwnerThenPermitsKnownAndUnknownPermissions(String permissions) {
      Grant g = grant(token().permissions("owner").project("web-shop"));

      assertTrue(
          Authorizer.standard()
              .decide(g, Requirement.parse(permissions + "@web-shop"), NOW)
              .isPermit());
      assertTrue(g.holds("widgets"));
    }

    @Test
    void decideWhenOwnerOnAnotherProjectThenStillOutOfScope() {
      Grant g = grant(token().permissions("owner").project("billing"));

      assertEquals(
          List.of(DenyReason.Code.PROJECT_OUT_OF_SCOPE),
          codes(Authorizer.standard().decide(g, DEPLOY_WEB_SHOP, NOW)));
    }

    @Test
    void decideWhenOwnerButExpiredThenDenied() {
      Grant g = grant(token().permissions("owner").allProjects(true).expiresAt(NOW));

      assertEquals(
          List.of(DenyReason.Code.TOKEN_EXPIRED),
          codes(Authorizer.standard().decide(g, DEPLOY_WEB_SHOP, NOW)));
    }
  }

  @Nested
  class Projects {
    @Test
    void decideWhenProjectNamedByIdOrKeyThenBothMatch() {
      Grant g = deployer();

      assertTrue(
          Authorizer.standard()
              .decide(
                  g,
                  Requirement.allOf("releases:deploy")
                      .onProject(ProjectRef.byId(projectId("web-shop"))),
                  NOW)
              .isPermit());
      assertTrue(
          Authorizer.standard()
              .decide(
                  g,
                  Requirement.allOf("releases:deploy").onProject(ProjectRef.byKey("web-shop")),
                  NOW)
              .isPermit());
      assertTrue(
          Authorizer.standard()
              .decide(g, Requirement.parse("releases:deploy@" + projectId("web-shop")), NOW)
              .isPermit());
    }

    @Test
    void decideWhenAnotherIdOrKeyInAnotherCaseThenOutOfScope() {
      Grant g = deployer();

      assertEquals(
          List.of(DenyReason.Code.PROJECT_OUT_OF_SCOPE),
          codes(
              Authorizer.standard()
                  .decide(
                      g,
                      Requirement.allOf("releases:deploy")
                          .onProject(ProjectRef.byId(UUID.randomUUID())),
                      NOW)));
      assertEquals(
          List.of(DenyReason.Code.PROJECT_OUT_OF_SCOPE),
          codes(
              Authorizer.standard().decide(g, Requirement.parse("releases:deploy@WEB-SHOP"), NOW)));
    }

    @Test
    void decideWhenKeyIsAPrefixOfTheScopedKeyOrViceVersaThenOutOfScope() {
      Grant proj1 = grant(token().permissions("releases:deploy").project("proj-1"));
      Grant proj10 = grant(token().permissions("releases:deploy").project("proj-10"));

      assertTrue(
          Authorizer.standard()
              .decide(proj1, Requirement.parse("releases:deploy@proj-1"), NOW)
              .isPermit());
      assertEquals(
          List.of(DenyReason.Code.PROJECT_OUT_OF_SCOPE),
          codes(
              Authorizer.standard()
                  .decide(proj1, Requirement.parse("releases:deploy@proj-10"), NOW)));
      assertEquals(
          List.of(DenyReason.Code.PROJECT_OUT_OF_SCOPE),
          codes(
              Authorizer.standard()
                  .decide(proj10, Requirement.parse("releases:deploy@proj-1"), NOW)));
    }

    @Test
    void decideWhenAllProjectsThenAnyProjectByIdOrKey() {
      Grant g = grant(token().permissions("releases:deploy").allProjects(true));

      assertTrue(
          Authorizer.standard()
              .decide(g, Requirement.parse("releases:deploy@anything"), NOW)
              .isPermit());
      assertTrue(
          Authorizer.standard()
              .decide(g, Requirement.parse("releases:deploy@" + UUID.randomUUID()), NOW)
              .isPermit());
    }

    @Test
    void decideWhenNoProjectsAndNotAllProjectsThenEveryProjectIsOutOfScope() {
      Grant g = grant(token().permissions("releases:deploy"));

      assertEquals(
          List.of(DenyReason.Code.PROJECT_OUT_OF_SCOPE),
          codes(Authorizer.standard().decide(g, DEPLOY_WEB_SHOP, NOW)));
      assertTrue(
          Authorizer.standard().decide(g, Requirement.parse("releases:deploy"), NOW).isPermit());
    }
  }

  @Nested
  class PermitInstances {
    @Test
    void decideWhenPermittedRepeatedlyThenSamePermitInstance() {
      Grant g = deployer();
      Authorizer a = Authorizer.standard();

      Decision first = a.decide(g, DEPLOY_WEB_SHOP, NOW);
      Decision second = a.decide(g, DEPLOY_WEB_SHOP, NOW.plusSeconds(60));
      Decision other = a.decide(g, Requirement.authenticated(), NOW);

      assertTrue(first.isPermit());
      assertSame(first, second);
      assertSame(first, other);
      assertEquals(List.of(), first.warnings());
    }

    @Test
    void decideWhenExpiringSoonRepeatedlyThenSameWarningPermitInstance() {
      Grant g = deployer();
      Instant soon = EXPIRES_AT.minus(Duration.ofDays(1));

      Decision first = Authorizer.standard().decide(g, DEPLOY_WEB_SHOP, soon);
      Decision second = Authorizer.standard().decide(g, DEPLOY_WEB_SHOP, soon.plusSeconds(1));

      assertSame(first, second);
      assertNotSame(first, Authorizer.standard().decide(g, DEPLOY_WEB_SHOP, NOW));
    }
  }

  @Nested
  class Subject {
    @Test
    void decideWhenCompiledWithFingerprintThenDecisionNamesTokenAndOwnerButNeverTheSecret() {
      String secret = "pat_secret_value_do_not_log";
      PersonalAccessToken t =
          token().permissions("releases:deploy").project("web-shop").note("ci deploy").build();
      Grant g = Grant.compile(t, PermissionModel.strict(), SecretDigest.fingerprintOf(secret));

      Decision permit = Authorizer.standard().decide(g, DEPLOY_WEB_SHOP, NOW);
      Decision deny = Authorizer.standard().decide(g, Requirement.parse("owner@web-shop"), NOW);

      for (Decision d : List.of(permit, deny)) {
        assertEquals(t.id(), d.subject().tokenId());
        assertEquals(OWNER_ID, d.subject().ownerId());
        assertEquals(SecretDigest.fingerprintOf(secret), d.subject().fingerprint());
        assertEquals("ci deploy", d.subject().note());
        assertFalse(d.explain().contains(secret), d.explain());
        assertTrue(d.explain().contains(SecretDigest.fingerprintOf(secret)), d.explain());
      }
      assertEquals(
          "DENY token " + SecretDigest.fingerprintOf(secret) + ": PERMISSION_MISSING owner",
          deny.explain());
    }

    @Test
    void decideWhenArgumentIsNullThenNullPointerExceptionNamingIt() {
      Authorizer a = Authorizer.standard();
      Grant g = deployer();

      NullPointerException e =
          assertThrows(NullPointerException.class, () -> a.decide(g, DEPLOY_WEB_SHOP, nothing()));
      assertTrue(e.getMessage().contains("now"), e.getMessage());
    }

    private Instant nothing() {
      return null;
    }
  }
}
