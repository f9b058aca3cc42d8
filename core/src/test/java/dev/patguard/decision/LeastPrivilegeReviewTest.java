package dev.patguard.decision;

import static dev.patguard.testing.TestTokens.NOW;
import static dev.patguard.testing.TestTokens.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patguard.decision.LeastPrivilegeReport.LifetimeFinding;
import dev.patguard.testing.TestTokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LeastPrivilegeReviewTest {
  private static final Requirement DEPLOY = Requirement.parse("releases:deploy@web-shop");
  private static final LeastPrivilegeReview AT_NOW =
      LeastPrivilegeReview.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();

  private static TestTokens.Builder exact() {
    return token()
        .permissions("releases:deploy")
        .project("web-shop")
        .expiresAt(NOW.plus(Duration.ofDays(30)));
  }

  private static LeastPrivilegeReport analyse(TestTokens.Builder b, Requirement... requirements) {
    return AT_NOW.analyseToken(b.build(), List.of(requirements));
  }

  @Test
  void analyseWhenTokenHoldsExactlyWhatIsNeededThenLeastPrivilege() {
    LeastPrivilegeReport r = analyse(exact(), DEPLOY);

    assertTrue(r.isLeastPrivilege(), r.describe());
    assertTrue(r.isSufficient());
    assertEquals(List.of(), r.findings());
  }

  @Test
  void analyseWhenOwnerTokenThenExcessListsTheOtherEighteen() {
    LeastPrivilegeReport r = analyse(exact().permissions("owner"), DEPLOY);

    List<String> expected =
        Permission.known().stream()
            .map(Permission::name)
            .filter(n -> !n.equals("releases:deploy"))
            .sorted()
            .collect(Collectors.toList());
    assertEquals(18, r.excessPermissions().size());
    assertEquals(expected, r.excessPermissions().stream().sorted().toList());
    assertFalse(r.isLeastPrivilege());
    assertTrue(r.isSufficient());
  }

  @Test
  void analyseWhenAllProjectsThenExcessProjectIsStar() {
    LeastPrivilegeReport r =
        analyse(
            token()
                .permissions("releases:deploy")
                .allProjects(true)
                .expiresAt(NOW.plus(Duration.ofDays(30))),
            DEPLOY);

    assertEquals(List.of("*"), r.excessProjects());
    assertTrue(
        r.findings().contains("excess project scope: allProjects is true"),
        r.findings().toString());
    assertFalse(r.isLeastPrivilege());
  }

  @Test
  void analyseWhenAnExtraProjectThenItIsListed() {
    LeastPrivilegeReport r = analyse(exact().project("billing"), DEPLOY);

    assertEquals(List.of("billing"), r.excessProjects());
    assertFalse(r.isLeastPrivilege());
  }

  @Test
  void analyseWhenProjectNamedByIdThenItIsNotExcess() {
    Requirement byId =
        Requirement.allOf("releases:deploy")
            .onProject(ProjectRef.byId(TestTokens.projectId("web-shop")));

    assertTrue(analyse(exact(), byId).isLeastPrivilege());
  }

  @Test
  void analyseWhenSomeRequirementNamesNoProjectThenNoExcessProjects() {
    LeastPrivilegeReport r =
        analyse(exact().project("billing"), DEPLOY, Requirement.parse("releases:deploy"));

    assertEquals(List.of(), r.excessProjects());
  }

  @Test
  void analyseWhenAnExtraPermissionThenItIsListed() {
    LeastPrivilegeReport r = analyse(exact().permissions("releases:delete"), DEPLOY);

    assertEquals(List.of("releases:delete"), r.excessPermissions());
    assertTrue(r.isSufficient());
  }

  @Test
  void analyseWhenAPermissionIsMissingThenListedAndNotSufficient() {
    LeastPrivilegeReport r =
        analyse(exact(), Requirement.parse("releases:deploy,releases:manage@web-shop"));

    assertEquals(List.of("releases:manage"), r.missingPermissions());
    assertFalse(r.isSufficient());
    assertFalse(r.isLeastPrivilege());
  }

  @Test
  void analyseWhenAProjectIsMissingThenListedAndNotSufficient() {
    LeastPrivilegeReport r = analyse(exact(), Requirement.parse("releases:deploy@billing"));

    assertEquals(List.of("billing"), r.missingProjects());
    assertFalse(r.isSufficient());
  }

  @Test
  void analyseWhenNoAnyOfAlternativeIsHeldThenMissingNamesThemAll() {
    LeastPrivilegeReport r = analyse(exact(), Requirement.parse("owner|project:manage@web-shop"));

    assertEquals(List.of("owner|project:manage"), r.missingPermissions());
  }

  @Test
  void analyseWhenTokenNeverExpiresThenNeverExpiresFinding() {
    LeastPrivilegeReport r = analyse(exact().neverExpires(), DEPLOY);

    assertEquals(List.of(LifetimeFinding.NEVER_EXPIRES), r.lifetimeFindings());
    assertFalse(r.isLeastPrivilege());
    assertTrue(r.isSufficient());
  }

  @Test
  void analyseWhenExpiryIsBeyondMaxLifetimeThenExpiresAfterHorizon() {
    LeastPrivilegeReview ninetyDays =
        LeastPrivilegeReview.builder()
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .maxLifetime(Duration.parse("P90D"))
            .build();

    LeastPrivilegeReport late =
        ninetyDays.analyseToken(
            exact().expiresAt(NOW.plus(Period.ofDays(120))).build(), List.of(DEPLOY));
    LeastPrivilegeReport fine =
        ninetyDays.analyseToken(
            exact().expiresAt(NOW.plus(Period.ofDays(60))).build(), List.of(DEPLOY));

    assertEquals(List.of(LifetimeFinding.EXPIRES_AFTER_HORIZON), late.lifetimeFindings());
    assertEquals(Duration.ofDays(90), late.maxLifetime());
    assertEquals(List.of(), fine.lifetimeFindings());
    assertTrue(fine.isLeastPrivilege());
  }

  @Test
  void analyseWhenTokenIsExpiredThenExpiredFindingAndNotSufficient() {
    LeastPrivilegeReport r = analyse(exact().expiresAt(NOW), DEPLOY);

    assertEquals(List.of(LifetimeFinding.EXPIRED), r.lifetimeFindings());
    assertFalse(r.isSufficient());
  }

  @Test
  void analyseWhenDocumentsFullIsNeededThenItsChildrenAreNotExcess() {
    LeastPrivilegeReport r =
        analyse(
            exact().permissions("documents:full"),
            Requirement.parse("releases:deploy,documents:full@web-shop"));

    assertEquals(List.of(), r.excessPermissions());
    assertTrue(
        r.needed()
            .containsAll(
                List.of(
                    "documents:view-content", "documents:edit-content", "documents:edit-view")));
    assertTrue(r.isLeastPrivilege(), r.describe());
  }

  @Test
  void analyseWhenOnlyAChildIsNeededThenDocumentsFullIsExcess() {
    LeastPrivilegeReport r =
        analyse(
            exact().permissions("documents:full"),
            Requirement.parse("releases:deploy,documents:view-content@web-shop"));

    assertEquals(
        List.of("documents:edit-content", "documents:edit-view", "documents:full"),
        r.excessPermissions().stream().sorted().toList());
  }

  @Test
  void describeWhenExcessThenHasGrantedRequiredAndExcessLines() {
    LeastPrivilegeReport r =
        analyse(exact().note("ci deploy").permissions("releases:delete"), DEPLOY);

    String text = r.describe();

    assertTrue(text.contains("NOT least privilege"), text);
    assertTrue(text.contains("required: releases:deploy@web-shop"), text);
    assertTrue(text.contains("granted:  releases:deploy, releases:delete"), text);
    assertTrue(text.contains("excess:   releases:delete"), text);
    assertTrue(text.contains("ci deploy"), text);
  }

  @Test
  void describeWhenLeastPrivilegeThenSaysSoAndExcessIsNone() {
    String text = analyse(exact(), DEPLOY).describe();

    assertTrue(text.contains(": least privilege"), text);
    assertTrue(text.contains("excess:   (none)"), text);
  }
}
