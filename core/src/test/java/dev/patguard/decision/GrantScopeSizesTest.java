package dev.patguard.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patguard.token.PersonalAccessToken;
import dev.patguard.token.Project;
import dev.patguard.token.TokenJson;
import dev.patguard.token.TokenOwner;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A grant answers {@code covers}, {@code holds}, {@code projects}, {@code declaredPermissions},
 * {@code expiresAt} and decisions exactly as the token's facts say, whatever the size of its scope
 * (small scopes are scanned, more than 8 projects hashed) and however it stores them. Each answer
 * is checked against a plain reading of the token.
 */
class GrantScopeSizesTest {
  private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
  private static final Authorizer AUTHORIZER = Authorizer.standard();
  private static final List<String> PERMISSIONS =
      List.of("releases:deploy", "documents:full", "vendor:custom");

  private static UUID id(int i) {
    return UUID.nameUUIDFromBytes(("sizes:" + i).getBytes(StandardCharsets.UTF_8));
  }

  /** Project {@code i}: every seventh has no key (matched by id only); even ones are protected. */
  private static Project project(int i) {
    return new Project(
        id(i), "Project " + i, null, "2", i % 7 == 3 ? null : "size-" + i, i % 2 == 0, NOW, NOW);
  }

  private static List<Project> projects(int from, int count) {
    List<Project> out = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      out.add(project(i));
    }
    return out;
  }

  private static PersonalAccessToken parsed(
      List<Project> projects, boolean allProjects, List<String> permissions, Instant expiresAt) {
    PersonalAccessToken t =
        new PersonalAccessToken(
            UUID.randomUUID(),
            "sizes",
            permissions,
            allProjects,
            projects,
            TokenOwner.of(UUID.randomUUID(), "sizes@acme.test", "active"),
            NOW,
            NOW,
            expiresAt);
    return TokenJson.parseToken(TokenJson.write(t));
  }

  private static PersonalAccessToken parsed(List<Project> projects) {
    return parsed(projects, false, PERMISSIONS, NOW.plusSeconds(30 * 86_400L));
  }

  /** Refs that name each project by id and by key, and refs that name none of them. */
  private static List<ProjectRef> refs(List<Project> projects, int outsider) {
    Set<ProjectRef> refs = new LinkedHashSet<>();
    for (Project p : projects) {
      refs.add(ProjectRef.byId(p.id()));
      if (p.key() != null) {
        refs.add(ProjectRef.byKey(p.key()));
      }
    }
    refs.add(ProjectRef.byId(id(outsider)));
    refs.add(ProjectRef.byKey("size-" + outsider));
    refs.add(ProjectRef.byKey("size-3"));
    refs.add(ProjectRef.byId(UUID.randomUUID()));
    refs.add(ProjectRef.byKey(id(0).toString()));
    return List.copyOf(refs);
  }

  /** What the token's facts say, read directly. */
  private static boolean expectedCovers(List<Project> projects, ProjectRef ref) {
    for (Project p : projects) {
      if (ref.id() != null ? ref.id().equals(p.id()) : ref.key().equals(p.key())) {
        return true;
      }
    }
    return false;
  }

  private static List<Project> reduced(List<Project> projects) {
    return projects.stream()
        .map(p -> new Project(p.id(), null, null, null, p.key(), p.isProtected(), null, null))
        .toList();
  }

  private static void assertAnswersAsTheFactsSay(Grant g, List<Project> scope) {
    for (ProjectRef ref : refs(scope, 999)) {
      boolean covered = expectedCovers(scope, ref);
      assertEquals(covered, g.covers(ref), ref::toString);
      Decision d = AUTHORIZER.decide(g, Requirement.allOf("releases:deploy").onProject(ref), NOW);
      if (covered) {
        assertSame(
            AUTHORIZER.decide(g, Requirement.allOf("releases:deploy"), NOW),
            d,
            "the grant's own permit");
      } else {
        Decision.Deny deny = assertInstanceOf(Decision.Deny.class, d, ref::toString);
        List<DenyReason> expected = new ArrayList<>();
        if (g.isAmbiguous()) {
          expected.add(DenyReason.ambiguousToken(g.candidates().size()));
        }
        expected.add(DenyReason.projectOutOfScope(ref));
        assertEquals(expected, deny.reasons());
      }
      Decision both =
          AUTHORIZER.decide(
              g, Requirement.allOf("releases:deploy", "vendor:other").onProject(ref), NOW);
      Decision.Deny deny = assertInstanceOf(Decision.Deny.class, both);
      assertEquals(!covered, deny.hasReason(DenyReason.Code.PROJECT_OUT_OF_SCOPE), ref::toString);
      assertTrue(deny.hasReason(DenyReason.Code.PERMISSION_MISSING));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 8, 9, 50})
  void compileWhenScopeHasThisManyProjectsThenAnswersAreThoseOfTheFacts(int size) {
    List<Project> scope = projects(0, size);
    PersonalAccessToken token = parsed(scope);

    Grant g = Grant.compile(token, PermissionModel.strict(), "5ca1ab1e");

    assertEquals(reduced(scope), g.projects());
    assertFalse(g.allProjects());
    assertEquals(size > ProjectScope.LINEAR_SCAN_LIMIT, g.hashedScope != null);
    assertAnswersAsTheFactsSay(g, scope);
    assertTrue(g.holds("releases:deploy"));
    assertTrue(g.holds("documents:edit-view"), "documents:full implies it");
    assertTrue(g.holds("vendor:custom"));
    assertFalse(g.holds("releases:delete"));
    assertEquals(PERMISSIONS, g.declaredPermissions());
    assertEquals(Optional.of(token.expiresAt()), g.expiresAt());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 9, 50})
  void compileWhenAllProjectsThenEveryRefIsCoveredAndTheSentProjectsAreStillListed(int size) {
    List<Project> scope = projects(0, size);
    Grant g =
        Grant.compile(
            parsed(scope, true, PERMISSIONS, NOW.plusSeconds(3600)), PermissionModel.strict());

    assertTrue(g.allProjects());
    assertEquals(reduced(scope), g.projects());
    for (ProjectRef ref : refs(scope, 999)) {
      assertTrue(g.covers(ref), ref::toString);
      assertTrue(
          AUTHORIZER
              .decide(g, Requirement.allOf("releases:deploy").onProject(ref), NOW)
              .isPermit());
    }
  }

  @Test
  void compileWhenScopeListsAProjectTwiceThenItIsListedTwiceAndCoveredOnce() {
    List<Project> scope = new ArrayList<>(projects(0, 9));
    scope.add(project(4));
    for (List<Project> s : List.of(scope, List.of(project(4), project(5), project(4)))) {
      Grant g = Grant.compile(parsed(s), PermissionModel.strict());
      assertEquals(reduced(s), g.projects());
      assertAnswersAsTheFactsSay(g, s);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 9, 50})
  void
      compileCandidatesWhenScopesOverlapThenTheAmbiguousGrantCoversTheirIntersectionInTheFirstsOrder(
          int size) {
    // Candidate 1: projects [0, size); candidate 2: [size / 2, size / 2 + 60); candidate 3: all
    // projects.
    List<Project> first = projects(0, size);
    List<Project> second = projects(size / 2, 60);
    Grant g =
        Grant.compileCandidates(
            List.of(
                parsed(first),
                parsed(second),
                parsed(List.of(), true, PERMISSIONS, NOW.plusSeconds(60))),
            PermissionModel.strict(),
            "5ca1ab1e");

    List<Project> common = new ArrayList<>();
    for (Project p : first) {
      if (second.contains(p)) {
        common.add(p);
      }
    }
    assertTrue(g.isAmbiguous());
    assertFalse(g.allProjects());
    assertEquals(reduced(common), g.projects());
    assertEquals(common.size() > ProjectScope.LINEAR_SCAN_LIMIT, g.hashedScope != null);
    assertAnswersAsTheFactsSay(g, common);
    assertEquals(List.of(), g.declaredPermissions());
    assertEquals(
        Optional.of(NOW.plusSeconds(60)), g.expiresAt(), "the earliest candidate's expiry");
    Decision soon = AUTHORIZER.decide(g, Requirement.allOf("releases:deploy"), NOW);
    assertEquals(
        List.of(Warning.ambiguousLookup(3), Warning.expiresSoon(NOW.plusSeconds(60))),
        soon.warnings());
  }

  @Test
  void compileCandidatesWhenEveryCandidateHasAllProjectsThenTheAmbiguousGrantHasAllProjects() {
    Grant g =
        Grant.compileCandidates(
            List.of(
                parsed(projects(0, 2), true, PERMISSIONS, NOW.plusSeconds(86_400 * 30L)),
                parsed(projects(5, 9), true, PERMISSIONS, NOW.plusSeconds(86_400 * 30L))),
            PermissionModel.strict(),
            null);

    assertTrue(g.allProjects());
    assertEquals(List.of(), g.projects());
    assertTrue(g.covers(ProjectRef.byKey("anything")));
  }

  @Test
  void declaredPermissionsWhenKnownUnknownDuplicatedOrManyThenVerbatimInOrder() {
    List<String> known12 = new ArrayList<>();
    for (int i = 12; i >= 1; i--) {
      known12.add(Permission.known().get(i).name());
    }
    List<String> known13 = new ArrayList<>(known12);
    known13.add("environments:delete");
    List<List<String>> cases =
        List.of(
            List.of(),
            List.of("owner"),
            List.of("environments:delete", "owner"),
            List.of("branches:create", "releases:deploy", "branches:create"),
            known12,
            known13,
            List.of("releases:deploy", "Releases:Deploy"),
            List.of("vendor:custom"));
    for (List<String> declared : cases) {
      Grant g =
          Grant.compile(
              parsed(projects(0, 1), false, declared, NOW.plusSeconds(60)),
              PermissionModel.strict());
      assertEquals(declared, g.declaredPermissions(), declared::toString);
      for (int i = 0; i < declared.size(); i++) {
        Permission known = Permission.knownOrNull(declared.get(i));
        if (known != null) {
          assertSame(known.name(), g.declaredPermissions().get(i), "the constant's own string");
        }
      }
    }
  }

  @Test
  void expiresAtWhenNanosecondsAndBoundariesThenExpiryIsExclusiveAndExact() {
    Instant expiry = NOW.plusNanos(123_456_789);
    Grant g =
        Grant.compile(parsed(projects(0, 1), false, PERMISSIONS, expiry), PermissionModel.strict());
    Requirement deploy = Requirement.allOf("releases:deploy");

    assertEquals(Optional.of(expiry), g.expiresAt());
    Decision before = AUTHORIZER.decide(g, deploy, expiry.minusNanos(1));
    assertTrue(before.isPermit());
    assertEquals(List.of(Warning.expiresSoon(expiry)), before.warnings());
    Decision.Deny at = assertInstanceOf(Decision.Deny.class, AUTHORIZER.decide(g, deploy, expiry));
    assertEquals(List.of(DenyReason.tokenExpired(expiry)), at.reasons());
    assertInstanceOf(
        Decision.Deny.class,
        AUTHORIZER.decide(g, deploy, expiry.plusSeconds(1).minusNanos(200_000_000)));

    Grant never =
        Grant.compile(parsed(projects(0, 1), false, PERMISSIONS, null), PermissionModel.strict());
    assertEquals(Optional.empty(), never.expiresAt());
    Decision far = AUTHORIZER.decide(never, deploy, Instant.MAX);
    assertTrue(far.isPermit());
    assertEquals(List.of(), far.warnings());
  }
}
