package dev.patguard.decision;

import static dev.patguard.testing.TestTokens.NOW;
import static dev.patguard.testing.TestTokens.projectId;
import static dev.patguard.testing.TestTokens.token;

import dev.patguard.token.PersonalAccessToken;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties of decisions over tokens built from the 19 known permission names plus a few unknown
 * ones, projects {@code proj-1}, {@code proj-10}, {@code proj-2}, {@code web-shop}, expiries around
 * a fixed now and owner statuses active / pending / none.
 */
class DecisionPropertiesTest {
  private static final List<String> NAMES =
      Stream.concat(
              Permission.known().stream().map(Permission::name),
              Stream.of(
                  "releases:rollback",
                  "releases:deploy-admin",
                  "releases:deploy:eu",
                  "widgets",
                  "widgets:frob",
                  "Releases:Deploy",
                  "a",
                  "b",
                  "c"))
          .toList();
  private static final List<String> KEYS = List.of("proj-1", "proj-10", "proj-2", "web-shop");
  private static final List<PermissionModel> MODELS =
      List.of(
          PermissionModel.strict(),
          PermissionModel.hierarchical(),
          PermissionModel.builder()
              .implies("a", "b")
              .implies("b", "a")
              .implies("b", "c")
              .implies("widgets", "releases:deploy")
              .build());
  private static final Authorizer AUTHORIZER = Authorizer.standard();

  /** A token's facts, as generated. */
  record Spec(
      Set<String> permissions,
      boolean allProjects,
      Set<String> projects,
      Instant expiresAt,
      String status) {
    PersonalAccessToken token() {
      return dev.patguard.testing.TestTokens.token()
          .permissions(List.copyOf(permissions))
          .allProjects(allProjects)
          .projects(List.copyOf(projects))
          .expiresAt(expiresAt)
          .status(status)
          .build();
    }

    Decision decide(PermissionModel model, Requirement r) {
      return AUTHORIZER.decide(Grant.compile(token(), model), r, NOW);
    }

    Spec with(Set<String> newPermissions, boolean newAllProjects, Set<String> newProjects) {
      return new Spec(newPermissions, newAllProjects, newProjects, expiresAt, status);
    }

    Spec withExpiry(Instant newExpiresAt) {
      return new Spec(permissions, allProjects, projects, newExpiresAt, status);
    }

    Spec withStatus(String newStatus) {
      return new Spec(permissions, allProjects, projects, expiresAt, newStatus);
    }
  }

  @Provide
  Arbitrary<Spec> specs() {
    Arbitrary<Instant> expiry =
        Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(NOW)),
                Tuple.of(2, Arbitraries.longs().between(-10 * 86_400L, -1).map(NOW::plusSeconds)),
                Tuple.of(6, Arbitraries.longs().between(1, 30 * 86_400L).map(NOW::plusSeconds)),
                Tuple.of(1, Arbitraries.just(NOW.plusNanos(1))))
            .injectNull(0.2);
    Arbitrary<String> status = Arbitraries.of("active", "ACTIVE", "pending").injectNull(0.15);
    return Combinators.combine(
            Arbitraries.subsetOf(NAMES),
            Arbitraries.frequency(Tuple.of(1, true), Tuple.of(3, false)),
            Arbitraries.subsetOf(KEYS),
            expiry,
            status)
        .as(Spec::new);
  }

  @Provide
  Arbitrary<Spec> liveActiveSpecs() {
    return specs().map(s -> s.withStatus("active").withExpiry(NOW.plus(Duration.ofDays(30))));
  }

  @Provide
  Arbitrary<Set<String>> names() {
    return Arbitraries.subsetOf(NAMES);
  }

  @Provide
  Arbitrary<Set<String>> keys() {
    return Arbitraries.subsetOf(KEYS);
  }

  @Provide
  Arbitrary<String> name() {
    return Arbitraries.of(NAMES);
  }

  @Provide
  Arbitrary<String> key() {
    return Arbitraries.of(KEYS);
  }

  @Provide
  Arbitrary<PermissionModel> models() {
    return Arbitraries.of(MODELS);
  }

  @Provide
  Arbitrary<ProjectRef> projectRefs() {
    return Arbitraries.oneOf(
        Arbitraries.of(KEYS).map(ProjectRef::byKey),
        Arbitraries.of(KEYS).map(k -> ProjectRef.byId(projectId(k))),
        Arbitraries.just(ProjectRef.byKey("proj-3")));
  }

  @Provide
  Arbitrary<Requirement> requirements() {
    return Combinators.combine(
            Arbitraries.of(NAMES).list().ofMinSize(0).ofMaxSize(3),
            Arbitraries.of(Requirement.Match.class),
            projectRefs().injectNull(0.3))
        .as(DecisionPropertiesTest::requirement);
  }

  private static Requirement requirement(
      List<String> names, Requirement.Match match, ProjectRef project) {
    Requirement r =
        names.isEmpty()
            ? Requirement.authenticated()
            : Requirement.builder().permissions(names.toArray(String[]::new)).match(match).build();
    return project == null ? r : r.onProject(project);
  }

  private static <T> Set<T> union(Set<T> a, Set<T> b) {
    Set<T> u = new HashSet<>(a);
    u.addAll(b);
    return u;
  }

  private static <T> Set<T> minus(Set<T> a, Set<T> b) {
    Set<T> d = new HashSet<>(a);
    d.removeAll(b);
    return d;
  }

  private static void check(boolean ok, String message, Object... context) {
    if (!ok) {
      throw new AssertionError(message + " " + List.of(context));
    }
  }

  @Property(tries = 500)
  void decideWhenPermissionsOrProjectsAreAddedThenAPermitStaysAPermit(
      @ForAll("specs") Spec spec,
      @ForAll("names") Set<String> morePermissions,
      @ForAll("keys") Set<String> moreProjects,
      @ForAll boolean widenToAllProjects,
      @ForAll("requirements") Requirement r,
      @ForAll("models") PermissionModel m) {
    Spec wider =
        spec.with(
            union(spec.permissions(), morePermissions),
            spec.allProjects() || widenToAllProjects,
            union(spec.projects(), moreProjects));

    Decision before = spec.decide(m, r);
    Decision after = wider.decide(m, r);

    check(
        !before.isPermit() || after.isPermit(),
        "adding turned a permit into",
        after,
        spec,
        wider,
        r);
  }

  @Property(tries = 500)
  void decideWhenPermissionsOrProjectsAreRemovedThenADenyStaysADeny(
      @ForAll("specs") Spec spec,
      @ForAll("names") Set<String> fewerPermissions,
      @ForAll("keys") Set<String> fewerProjects,
      @ForAll boolean dropAllProjects,
      @ForAll("requirements") Requirement r,
      @ForAll("models") PermissionModel m) {
    Spec narrower =
        spec.with(
            minus(spec.permissions(), fewerPermissions),
            spec.allProjects() && !dropAllProjects,
            minus(spec.projects(), fewerProjects));

    Decision before = spec.decide(m, r);
    Decision after = narrower.decide(m, r);

    check(
        before.isPermit() || !after.isPermit(),
        "removing turned a deny into a permit",
        before,
        spec,
        narrower,
        r);
  }

  @Property(tries = 500)
  void decideWhenTokenIsExpiredThenNeverPermit(
      @ForAll("specs") Spec spec,
      @ForAll @IntRange(min = 0, max = 1_000_000) int nanosAgo,
      @ForAll @IntRange(min = 0, max = 400) int daysAgo,
      @ForAll("requirements") Requirement r,
      @ForAll("models") PermissionModel m) {
    Instant expiresAt = NOW.minus(Duration.ofDays(daysAgo)).minusNanos(nanosAgo);

    Decision d = spec.withExpiry(expiresAt).decide(m, r);

    check(
        d instanceof Decision.Deny deny && deny.hasReason(DenyReason.Code.TOKEN_EXPIRED),
        "an expired token was not denied TOKEN_EXPIRED",
        d,
        spec,
        r);
  }

  @Property(tries = 500)
  void decideWhenOwnerIsNotActiveThenNeverPermit(
      @ForAll("specs") Spec spec,
      @ForAll("inactiveStatuses") String status,
      @ForAll("requirements") Requirement r,
      @ForAll("models") PermissionModel m) {
    Decision d = spec.withStatus(status).decide(m, r);

    check(
        d instanceof Decision.Deny deny && deny.hasReason(DenyReason.Code.OWNER_INACTIVE),
        "an inactive owner's token was not denied OWNER_INACTIVE",
        d,
        spec,
        r);
  }

  @Provide
  Arbitrary<String> inactiveStatuses() {
    return Arbitraries.of("pending", "inactive", "invited", "act\u0131ve", "", "deleted")
        .injectNull(0.3);
  }

  @Property(tries = 500)
  void decideWhenRequirementIsOnAProjectOutsideTheTokensScopeThenNeverPermit(
      @ForAll("specs") Spec spec,
      @ForAll("key") String project,
      @ForAll boolean byId,
      @ForAll("requirements") Requirement r,
      @ForAll("models") PermissionModel m) {
    Spec scoped = spec.with(spec.permissions(), false, minus(spec.projects(), Set.of(project)));
    ProjectRef ref = byId ? ProjectRef.byId(projectId(project)) : ProjectRef.byKey(project);

    Decision d = scoped.decide(m, r.onProject(ref));

    check(
        d instanceof Decision.Deny deny && deny.hasReason(DenyReason.Code.PROJECT_OUT_OF_SCOPE),
        "a project outside the scope was not denied PROJECT_OUT_OF_SCOPE",
        d,
        scoped,
        ref);
  }

  @Property(tries = 300)
  void decideWhenAmbiguousGrantPermitsThenEveryCandidatePermits(
      @ForAll("candidateLists") List<Spec> candidates,
      @ForAll("requirements") Requirement r,
      @ForAll("models") PermissionModel m) {
    List<PersonalAccessToken> tokens = candidates.stream().map(Spec::token).toList();
    Decision ambiguous = AUTHORIZER.decide(Grant.compileCandidates(tokens, m, "ba7816bf"), r, NOW);
    List<Decision> each = new ArrayList<>();
    for (PersonalAccessToken t : tokens) {
      each.add(AUTHORIZER.decide(Grant.compile(t, m), r, NOW));
    }

    boolean allPermit = each.stream().allMatch(Decision::isPermit);
    check(
        !ambiguous.isPermit() || allPermit,
        "ambiguous permit although a candidate is denied",
        each,
        r);
    check(
        ambiguous.isPermit() || !allPermit,
        "ambiguous deny although every candidate permits",
        ambiguous,
        r);
    check(
        ambiguous.isPermit()
            || ((Decision.Deny) ambiguous).hasReason(DenyReason.Code.AMBIGUOUS_TOKEN),
        "ambiguous deny without AMBIGUOUS_TOKEN",
        ambiguous);
  }

  @Provide
  Arbitrary<List<Spec>> candidateLists() {
    return Arbitraries.frequencyOf(Tuple.of(1, specs()), Tuple.of(3, liveActiveSpecs()))
        .list()
        .ofMinSize(2)
        .ofMaxSize(3);
  }

  @Property(tries = 500)
  void decideWhenSinglePermissionGrantedThenAgreesWithTheModelsImplies(
      @ForAll("name") String granted,
      @ForAll("name") String required,
      @ForAll("models") PermissionModel m) {
    Grant g = Grant.compile(token().permissions(granted).allProjects(true).build(), m);
    boolean implied = m.implies(granted, required);

    check(
        g.holds(required) == implied,
        "Grant.holds disagrees with PermissionModel.implies",
        granted,
        required,
        m);
    check(
        AUTHORIZER.decide(g, Requirement.allOf(required), NOW).isPermit() == implied,
        "Authorizer disagrees with PermissionModel.implies",
        granted,
        required,
        m);
  }

  @Property(tries = 500)
  void parseWhenGivenARequirementsTextThenEqualRequirement(@ForAll("requirements") Requirement r) {
    Requirement again = Requirement.parse(r.toString());

    check(r.equals(again), "parse(toString()) differs", r, again);
  }

  @Property(tries = 300)
  void analyseWhenRequirementsAreMetThenLeastPrivilegeAgreesWithTheAuthorizer(
      @ForAll("liveActiveSpecs") Spec spec,
      @ForAll("requirements") Requirement r,
      @ForAll("models") PermissionModel m) {
    Grant g = Grant.compile(spec.token(), m);
    LeastPrivilegeReport report =
        LeastPrivilegeReview.builder()
            .clock(java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC))
            .permissionModel(m)
            .build()
            .analyseGrant(g, List.of(r));

    check(
        report.isSufficient() == AUTHORIZER.decide(g, r, NOW).isPermit(),
        "LeastPrivilegeReview.isSufficient disagrees with the Authorizer",
        report.describe(),
        r);
  }
}
