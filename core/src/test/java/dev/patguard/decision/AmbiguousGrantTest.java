package dev.patguard.decision;

import static dev.patguard.testing.TestTokens.NOW;
import static dev.patguard.testing.TestTokens.OWNER_ID;
import static dev.patguard.testing.TestTokens.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patguard.token.PersonalAccessToken;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AmbiguousGrantTest {
  private static final String FINGERPRINT = "ba7816bf";
  private static final Requirement DEPLOY_WEB_SHOP = Requirement.parse("releases:deploy@web-shop");

  private static Grant ambiguous(PersonalAccessToken... tokens) {
    return Grant.compileCandidates(List.of(tokens), PermissionModel.strict(), FINGERPRINT);
  }

  private static PersonalAccessToken deployer() {
    return token().permissions("releases:deploy").project("web-shop").build();
  }

  @Test
  void decideWhenEveryCandidatePermitsThenPermitWithAmbiguousLookupWarning() {
    Grant g = ambiguous(deployer(), token().permissions("owner").allProjects(true).build());

    Decision d = Authorizer.standard().decide(g, DEPLOY_WEB_SHOP, NOW);

    assertTrue(d.isPermit());
    assertEquals(List.of(Warning.ambiguousLookup(2)), d.warnings());
    assertTrue(g.isAmbiguous());
    assertEquals(2, g.candidates().size());
  }

  @Test
  void decideWhenOneOfThreeCandidatesLacksThePermissionThenDenyAmbiguousPlusItsReason() {
    Grant g =
        ambiguous(
            deployer(), deployer(), token().permissions("documents").project("web-shop").build());

    Decision.Deny d =
        assertInstanceOf(
            Decision.Deny.class, Authorizer.standard().decide(g, DEPLOY_WEB_SHOP, NOW));

    assertEquals(
        List.of(DenyReason.ambiguousToken(3), DenyReason.permissionMissing("releases:deploy")),
        d.reasons());
    assertEquals(List.of(Warning.ambiguousLookup(3)), d.warnings());
  }

  @Test
  void decideWhenCandidatesFailForDifferentReasonsThenEveryFailingCandidatesReasonIsListed() {
    Grant g =
        ambiguous(
            deployer(),
            token().permissions("documents").project("web-shop").build(),
            token().permissions("releases:deploy").project("billing").build());

    Decision.Deny d =
        assertInstanceOf(
            Decision.Deny.class, Authorizer.standard().decide(g, DEPLOY_WEB_SHOP, NOW));

    assertEquals(
        List.of(
            DenyReason.ambiguousToken(3),
            DenyReason.permissionMissing("releases:deploy"),
            DenyReason.projectOutOfScope(ProjectRef.byKey("web-shop"))),
        d.reasons());
  }

  @Test
  void decideWhenCandidatesFailForTheSameReasonThenItIsListedOnce() {
    Grant g =
        ambiguous(
            token().permissions("documents").build(), token().permissions("branches").build());

    Decision.Deny d =
        assertInstanceOf(
            Decision.Deny.class,
            Authorizer.standard().decide(g, Requirement.parse("releases:deploy"), NOW));

    assertEquals(
        List.of(DenyReason.ambiguousToken(2), DenyReason.permissionMissing("releases:deploy")),
        d.reasons());
  }

  @Test
  void decideWhenOneCandidateIsExpiredThenDenied() {
    Grant g =
        ambiguous(
            deployer(),
            token()
                .permissions("releases:deploy")
                .project("web-shop")
                .expiresAt(NOW.minusSeconds(1))
                .build());

    Decision.Deny d =
        assertInstanceOf(
            Decision.Deny.class, Authorizer.standard().decide(g, DEPLOY_WEB_SHOP, NOW));

    assertEquals(
        List.of(DenyReason.ambiguousToken(2), DenyReason.tokenExpired(NOW.minusSeconds(1))),
        d.reasons());
  }

  @Test
  void decideWhenEarliestCandidateExpiresSoonThenPermitCarriesBothWarnings() {
    Grant g =
        ambiguous(
            deployer(),
            token()
                .permissions("releases:deploy")
                .project("web-shop")
                .expiresAt(NOW.plus(Duration.ofDays(2)))
                .build());

    Decision d = Authorizer.standard().decide(g, DEPLOY_WEB_SHOP, NOW);

    assertTrue(d.isPermit());
    assertEquals(
        List.of(Warning.ambiguousLookup(2), Warning.expiresSoon(NOW.plus(Duration.ofDays(2)))),
        d.warnings());
  }

  @Test
  void subjectWhenAmbiguousThenOwnerAndFingerprintButNoTokenId() {
    Grant g = ambiguous(deployer(), deployer());

    Decision d = Authorizer.standard().decide(g, DEPLOY_WEB_SHOP, NOW);

    assertNull(d.subject().tokenId());
    assertNull(d.subject().note());
    assertEquals(OWNER_ID, d.subject().ownerId());
    assertEquals(FINGERPRINT, d.subject().fingerprint());
    assertEquals(OWNER_ID, g.subject().ownerId());
  }

  @Test
  void decideWhenPermittedRepeatedlyThenSamePermitInstance() {
    Grant g = ambiguous(deployer(), deployer());

    assertSame(
        Authorizer.standard().decide(g, DEPLOY_WEB_SHOP, NOW),
        Authorizer.standard().decide(g, DEPLOY_WEB_SHOP, NOW.plusSeconds(1)));
  }

  @Test
  void compileCandidatesWhenOneTokenThenExactGrant() {
    PersonalAccessToken t = deployer();

    Grant g = Grant.compileCandidates(List.of(t), PermissionModel.strict(), FINGERPRINT);

    assertFalse(g.isAmbiguous());
    assertEquals(t.id(), g.subject().tokenId());
    assertEquals(List.of(), Authorizer.standard().decide(g, DEPLOY_WEB_SHOP, NOW).warnings());
  }

  @Test
  void compileCandidatesWhenNoTokensThenRejected() {
    List<PersonalAccessToken> none = List.of();

    assertThrows(
        IllegalArgumentException.class,
        () -> Grant.compileCandidates(none, PermissionModel.strict(), FINGERPRINT));
  }

  @Test
  void holdsWhenAmbiguousThenOnlyWhatEveryCandidateHolds() {
    Grant g =
        ambiguous(
            token()
                .permissions("releases:deploy", "documents", "widgets")
                .project("web-shop")
                .project("billing")
                .build(),
            token().permissions("releases:deploy", "widgets").project("web-shop").build());

    assertTrue(g.holds("releases:deploy"));
    assertTrue(g.holds("widgets"));
    assertFalse(g.holds("documents"));
    assertTrue(g.covers(ProjectRef.byKey("web-shop")));
    assertFalse(g.covers(ProjectRef.byKey("billing")));
  }

  @Test
  void subjectWhenCandidatesHaveDifferentOwnersThenNoOwnerAndDenied() {
    Grant g =
        ambiguous(
            deployer(),
            token()
                .ownerId(UUID.randomUUID())
                .permissions("releases:deploy")
                .project("web-shop")
                .build());

    assertNull(g.subject().ownerId());
    // Each candidate is still decided on its own facts.
    assertTrue(Authorizer.standard().decide(g, DEPLOY_WEB_SHOP, NOW).isPermit());
  }
}
