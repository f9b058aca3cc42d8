package dev.patguard.decision;

import static dev.patguard.testing.TestTokens.NOW;
import static dev.patguard.testing.TestTokens.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PermissionModelTest {
  private static final Set<String> DOCUMENTS_FULL_CLOSURE =
      Set.of(
          "documents:full",
          "documents:view-content",
          "documents:edit-content",
          "documents:edit-view");

  static Decision decide(PermissionModel model, List<String> granted, String requirement) {
    Grant g = Grant.compile(token().permissions(granted).allProjects(true).build(), model);
    return Authorizer.standard().decide(g, Requirement.parse(requirement), NOW);
  }

  static Decision decide(PermissionModel model, String granted, String requirement) {
    return decide(model, List.of(granted), requirement);
  }

  static void assertDeniedMissing(Decision d, String permission) {
    Decision.Deny deny = assertInstanceOf(Decision.Deny.class, d);
    assertEquals(List.of(DenyReason.permissionMissing(permission)), deny.reasons());
  }

  static Stream<String> knownNames() {
    return Permission.known().stream().map(Permission::name);
  }

  @Test
  void knownWhenListedThenExactlyTheNineteenDocumentedNames() {
    assertEquals(
        List.of(
            "owner",
            "documents",
            "releases",
            "releases:manage",
            "releases:deploy",
            "releases:delete",
            "integrations:manage",
            "documents:full",
            "documents:view-content",
            "documents:edit-content",
            "documents:edit-view",
            "branches",
            "branches:create",
            "branches:merge",
            "branches:delete",
            "project:manage",
            "environments",
            "environments:manage",
            "environments:delete"),
        knownNames().toList());
    assertTrue(Permission.known().stream().allMatch(Permission::isKnown));
    assertFalse(Permission.of("releases:rollback").isKnown());
    assertEquals("releases:rollback", Permission.of("releases:rollback").name());
  }

  @Nested
  class Strict {
    private final PermissionModel strict = PermissionModel.strict();

    @Test
    void impliedByWhenOwnerThenAllNineteenKnownPermissions() {
      assertEquals(knownNames().collect(Collectors.toSet()), strict.impliedBy("owner"));
      assertEquals(19, strict.impliedBy("owner").size());
    }

    @ParameterizedTest
    @MethodSource("dev.patguard.decision.PermissionModelTest#knownNames")
    void decideWhenOwnerGrantedThenEveryKnownPermissionIsPermitted(String required) {
      assertTrue(strict.implies("owner", required));
      assertTrue(decide(strict, "owner", required).isPermit());
    }

    @ParameterizedTest
    @ValueSource(strings = {"releases:rollback", "widgets", "Releases:Deploy"})
    void impliesWhenOwnerAndUnknownNameThenTrueAsTheAuthorizerDecides(String unknown) {
      for (PermissionModel m : models().toList()) {
        assertTrue(m.implies("owner", unknown), () -> m + " " + unknown);
        assertTrue(decide(m, "owner", unknown).isPermit());
      }
    }

    @Test
    void impliedByWhenDocumentsFullThenItselfAndItsThreeChildrenOnly() {
      assertEquals(DOCUMENTS_FULL_CLOSURE, strict.impliedBy("documents:full"));
    }

    @ParameterizedTest
    @MethodSource("dev.patguard.decision.PermissionModelTest#knownNames")
    void impliesWhenDocumentsFullThenOnlyItsClosure(String required) {
      boolean expected = DOCUMENTS_FULL_CLOSURE.contains(required);

      assertEquals(expected, strict.implies("documents:full", required));
      assertEquals(expected, decide(strict, "documents:full", required).isPermit());
    }

    /** The complete table: nothing but owner, documents:full and identity implies anything. */
    static Stream<Arguments> everyPairOfKnownNames() {
      return knownNames().flatMap(a -> knownNames().map(b -> Arguments.of(a, b)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("everyPairOfKnownNames")
    void impliesWhenAnyPairOfKnownNamesThenOnlyTheDocumentedEdges(String granted, String required) {
      boolean expected =
          granted.equals(required)
              || granted.equals("owner")
              || granted.equals("documents:full") && DOCUMENTS_FULL_CLOSURE.contains(required);

      assertEquals(expected, strict.implies(granted, required));
      assertEquals(
          expected, Grant.compile(token().permissions(granted).build(), strict).holds(required));
    }

    @Test
    void impliesWhenBareNameAndChildThenNeitherImpliesTheOther() {
      assertFalse(strict.implies("releases", "releases:deploy"));
      assertFalse(strict.implies("releases:deploy", "releases"));
      assertDeniedMissing(decide(strict, "releases", "releases:deploy"), "releases:deploy");
      assertDeniedMissing(decide(strict, "releases:deploy", "releases"), "releases");
    }

    @Test
    void decideWhenBareNameGrantedAndUnknownChildRequiredThenDenied() {
      assertDeniedMissing(decide(strict, "releases", "releases:rollback"), "releases:rollback");
    }

    @Test
    void strictWhenAskedThenNotHierarchical() {
      assertFalse(strict.isHierarchical());
      assertTrue(PermissionModel.hierarchical().isHierarchical());
    }
  }

  @Nested
  class Hierarchical {
    private final PermissionModel hierarchical = PermissionModel.hierarchical();

    @ParameterizedTest
    @ValueSource(strings = {"releases:manage", "releases:deploy", "releases:delete"})
    void impliesWhenBareNameThenEveryKnownChild(String child) {
      assertTrue(hierarchical.implies("releases", child));
      assertFalse(hierarchical.implies(child, "releases"));
      assertTrue(decide(hierarchical, "releases", child).isPermit());
      assertDeniedMissing(decide(hierarchical, child, "releases"), "releases");
    }

    @Test
    void impliedByWhenBareNameThenItselfAndItsKnownChildrenOnly() {
      assertEquals(
          Set.of("releases", "releases:manage", "releases:deploy", "releases:delete"),
          hierarchical.impliedBy("releases"));
      assertEquals(
          Set.of("environments", "environments:manage", "environments:delete"),
          hierarchical.impliedBy("environments"));
    }

    @Test
    void decideWhenBareNameGrantedAndUnknownChildRequiredThenPermitted() {
      assertTrue(hierarchical.implies("releases", "releases:rollback"));
      assertTrue(decide(hierarchical, "releases", "releases:rollback").isPermit());
      assertTrue(
          decide(hierarchical, "releases", "releases:deploy,releases:rollback@web-shop")
              .isPermit());
    }

    @Test
    void decideWhenUnknownBareNameGrantedThenItsChildrenArePermitted() {
      assertTrue(decide(hierarchical, "widgets", "widgets:frobnicate").isPermit());
      assertDeniedMissing(decide(hierarchical, "widgets:frobnicate", "widgets"), "widgets");
    }

    @Test
    void decideWhenSiblingGrantedThenNotImplied() {
      assertDeniedMissing(
          decide(hierarchical, "releases:manage", "releases:deploy"), "releases:deploy");
      assertDeniedMissing(decide(hierarchical, "documents", "branches:create"), "branches:create");
    }

    @Test
    void decideWhenPrefixOfTheParentNameThenNotImplied() {
      // "release" is not the parent of "releases:deploy", nor is "releases-old".
      assertDeniedMissing(decide(hierarchical, "release", "releases:deploy"), "releases:deploy");
      assertDeniedMissing(
          decide(hierarchical, "releases", "releases-old:deploy"), "releases-old:deploy");
    }
  }

  @Nested
  class Builder {
    @Test
    void buildWhenEdgeAddedThenItHoldsOnTopOfTheStrictModel() {
      PermissionModel m = PermissionModel.builder().implies("releases", "releases:deploy").build();

      assertTrue(m.implies("releases", "releases:deploy"));
      assertFalse(m.implies("releases", "releases:delete"));
      assertTrue(m.implies("owner", "releases:delete"));
      assertTrue(m.implies("documents:full", "documents:edit-view"));
      assertTrue(decide(m, "releases", "releases:deploy").isPermit());
      assertDeniedMissing(decide(m, "releases", "releases:delete"), "releases:delete");
      assertFalse(m.isHierarchical());
    }

    @Test
    void buildWhenEdgesFormACycleThenBothImplyEachOtherAndBuildTerminates() {
      PermissionModel m =
          assertTimeoutPreemptively(
              Duration.ofSeconds(5),
              () -> PermissionModel.builder().implies("a", "b").implies("b", "a").build());

      assertTrue(m.implies("a", "b"));
      assertTrue(m.implies("b", "a"));
      assertEquals(Set.of("a", "b"), m.impliedBy("a"));
      assertEquals(Set.of("a", "b"), m.impliedBy("b"));
      assertTimeoutPreemptively(
          Duration.ofSeconds(5),
          () -> {
            assertTrue(decide(m, "a", "b").isPermit());
            assertTrue(decide(m, "b", "a").isPermit());
            assertDeniedMissing(decide(m, "a", "c"), "c");
          });
    }

    @Test
    void buildWhenSelfLoopThenTerminates() {
      PermissionModel m =
          assertTimeoutPreemptively(
              Duration.ofSeconds(5), () -> PermissionModel.builder().implies("a", "a").build());

      assertEquals(Set.of("a"), m.impliedBy("a"));
    }

    @Test
    void buildWhenChainOfEdgesThenImplicationIsTransitiveButOneWay() {
      PermissionModel m = PermissionModel.builder().implies("a", "b").implies("b", "c").build();

      assertTrue(m.implies("a", "b"));
      assertTrue(m.implies("a", "c"));
      assertTrue(m.implies("b", "c"));
      assertFalse(m.implies("c", "a"));
      assertFalse(m.implies("c", "b"));
      assertFalse(m.implies("b", "a"));
      assertEquals(Set.of("a", "b", "c"), m.impliedBy("a"));
      assertTrue(decide(m, "a", "c").isPermit());
      assertDeniedMissing(decide(m, "c", "a"), "a");
    }

    @Test
    void buildWhenChainReachesKnownPermissionsThenTheirImplicationsFollow() {
      PermissionModel m = PermissionModel.builder().implies("deployer", "documents:full").build();

      assertEquals(
          Set.of(
              "deployer",
              "documents:full",
              "documents:view-content",
              "documents:edit-content",
              "documents:edit-view"),
          m.impliedBy("deployer"));
      assertTrue(decide(m, "deployer", "documents:edit-view").isPermit());
    }

    @Test
    void buildWhenEdgeAddedThenPresetsAreUnchanged() {
      PermissionModel.builder().implies("releases", "releases:deploy").build();

      assertFalse(PermissionModel.strict().implies("releases", "releases:deploy"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "releases deploy", "releases\tdeploy", " releases"})
    void impliesWhenNameIsBlankOrHasWhitespaceThenRejected(String bad) {
      PermissionModel.Builder b = PermissionModel.builder();

      assertThrows(IllegalArgumentException.class, () -> b.implies(bad, "releases:deploy"));
      assertThrows(IllegalArgumentException.class, () -> b.implies("releases", bad));
    }
  }

  @Nested
  class ExactMatching {
    @Test
    void impliesWhenUnknownNameSharesAPrefixThenItMatchesOnlyItself() {
      PermissionModel strict = PermissionModel.strict();

      assertTrue(strict.implies("releases:deploy-admin", "releases:deploy-admin"));
      assertFalse(strict.implies("releases:deploy-admin", "releases:deploy"));
      assertFalse(strict.implies("releases:deploy", "releases:deploy-admin"));
      assertTrue(decide(strict, "releases:deploy-admin", "releases:deploy-admin").isPermit());
      assertDeniedMissing(
          decide(strict, "releases:deploy-admin", "releases:deploy"), "releases:deploy");
      assertDeniedMissing(
          decide(strict, "releases:deploy", "releases:deploy-admin"), "releases:deploy-admin");
      assertDeniedMissing(
          decide(PermissionModel.hierarchical(), "releases:deploy", "releases:deploy-admin"),
          "releases:deploy-admin");
    }

    @Test
    void grantWhenUnknownNamesArrivedThenTheyAreKeptVerbatim() {
      Grant g =
          Grant.compile(
              token().permissions("releases:deploy-admin", "Releases:Deploy").build(),
              PermissionModel.strict());

      assertEquals(List.of("releases:deploy-admin", "Releases:Deploy"), g.declaredPermissions());
      assertEquals(Set.of("releases:deploy-admin", "Releases:Deploy"), g.grantedPermissions());
    }
  }

  /** Matching is case-sensitive, and no default locale may change it. */
  @Nested
  class CaseAndLocale {
    private Locale saved;

    @BeforeEach
    void turkish() {
      saved = Locale.getDefault();
      Locale.setDefault(new Locale("tr", "TR"));
    }

    @AfterEach
    void restore() {
      Locale.setDefault(saved);
    }

    @ParameterizedTest
    @MethodSource("dev.patguard.decision.PermissionModelTest#models")
    void decideWhenCaseDiffersThenNothingMatches(PermissionModel model) {
      assertFalse(Permission.of("Releases:Deploy").isKnown());
      assertFalse(model.implies("Releases:Deploy", "releases:deploy"));
      assertFalse(model.implies("releases:deploy", "Releases:Deploy"));
      assertDeniedMissing(decide(model, "Releases:Deploy", "releases:deploy"), "releases:deploy");
      assertDeniedMissing(decide(model, "releases:deploy", "Releases:Deploy"), "Releases:Deploy");
      assertDeniedMissing(decide(model, "RELEASES", "releases:deploy"), "releases:deploy");
      assertDeniedMissing(decide(model, "releases", "Releases:Deploy"), "Releases:Deploy");
    }

    @Test
    void decideWhenDottedAndDotlessIAppearUnderTurkishLocaleThenOnlyExactNamesMatch() {
      PermissionModel strict = PermissionModel.strict();

      assertTrue(decide(strict, "integrations:manage", "integrations:manage").isPermit());
      assertDeniedMissing(
          decide(strict, "INTEGRATIONS:MANAGE", "integrations:manage"), "integrations:manage");
      assertDeniedMissing(
          decide(strict, "\u0131ntegrat\u0131ons:manage", "integrations:manage"),
          "integrations:manage");
    }

    @ParameterizedTest
    @ValueSource(strings = {"active", "ACTIVE", "Active", "aCtIvE"})
    void decideWhenOwnerStatusIsActiveInAnyCaseUnderTurkishLocaleThenPermitted(String status) {
      Grant g =
          Grant.compile(
              token().permissions("releases:deploy").status(status).build(),
              PermissionModel.strict());

      assertTrue(
          Authorizer.standard().decide(g, Requirement.parse("releases:deploy"), NOW).isPermit());
      assertTrue(
          Authorizer.builder()
              .build()
              .decide(g, Requirement.parse("releases:deploy"), NOW)
              .isPermit());
    }

    @ParameterizedTest
    @ValueSource(strings = {"act\u0131ve", "ACT\u0130VE", "act\u0130ve", " active", "inactive", ""})
    void decideWhenOwnerStatusOnlyLooksActiveThenOwnerInactive(String status) {
      Grant g =
          Grant.compile(
              token().permissions("releases:deploy").status(status).build(),
              PermissionModel.strict());

      Decision d = Authorizer.standard().decide(g, Requirement.parse("releases:deploy"), NOW);

      Decision.Deny deny = assertInstanceOf(Decision.Deny.class, d);
      assertEquals(List.of(DenyReason.ownerInactive(status)), deny.reasons());
    }

    @Test
    void
        acceptedOwnerStatusesWhenConfiguredInUpperCaseUnderTurkishLocaleThenFoldedWithRootLocale() {
      Authorizer a =
          Authorizer.builder().acceptedOwnerStatuses(Set.of("ACTIVE", "INVITED")).build();
      Grant invited =
          Grant.compile(
              token().permissions("releases:deploy").status("invited").build(),
              PermissionModel.strict());

      assertEquals(Set.of("active", "invited"), a.acceptedOwnerStatuses());
      assertTrue(a.decide(invited, Requirement.parse("releases:deploy"), NOW).isPermit());
    }
  }

  static Stream<PermissionModel> models() {
    return Stream.of(
        PermissionModel.strict(),
        PermissionModel.hierarchical(),
        PermissionModel.builder().implies("releases", "releases:deploy").build());
  }
}
