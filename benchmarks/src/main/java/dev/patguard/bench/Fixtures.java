package dev.patguard.bench;

import dev.patguard.decision.Permission;
import dev.patguard.token.PersonalAccessToken;
import dev.patguard.token.Project;
import dev.patguard.token.TokenOwner;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Tokens shaped like the ones BRMS sends: full {@link Project} and {@link TokenOwner} records, as
 * {@code TokenJson} would parse them, so that sizes and decisions see realistic objects.
 */
final class Fixtures {
  /** A typical deploy token: 3 permissions. */
  static final List<String> THREE =
      List.of("releases:deploy", "documents:view-content", "branches:create");

  /** All 19 names the BRMS documentation lists ({@code owner} among them). */
  static final List<String> NINETEEN = Permission.known().stream().map(Permission::name).toList();

  /** "Now" for the decision benchmarks: fixed, so that expiry checks never flip mid-run. */
  static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

  private Fixtures() {}

  static List<String> permissions(int count) {
    return switch (count) {
      case 3 -> THREE;
      case 19 -> NINETEEN;
      default -> throw new IllegalArgumentException("3 or 19 permissions, got " + count);
    };
  }

  /** The key of project {@code i}: {@code proj-0}, {@code proj-1}, ... */
  static String projectKey(int i) {
    return "proj-" + i;
  }

  /**
   * A token with these permissions, scoped to {@code projects} projects keyed {@code proj-0...}.
   */
  static PersonalAccessToken token(List<String> permissions, int projects, long seed) {
    Random random = new Random(seed);
    UUID organisation = uuid(random);
    Instant created = NOW.minus(Duration.ofDays(100));
    List<Project> scope = new ArrayList<>(projects);
    for (int i = 0; i < projects; i++) {
      scope.add(
          new Project(
              uuid(random),
              "Project " + i,
              organisation,
              "1.4.2",
              projectKey(i),
              false,
              created,
              created.plusSeconds(3600)));
    }
    TokenOwner owner =
        new TokenOwner(
            uuid(random),
            "ci-" + seed + "@acme.test",
            "service account",
            "active",
            "CI",
            "Deployer",
            true,
            created,
            created);
    return new PersonalAccessToken(
        uuid(random),
        "ci deploy " + seed,
        permissions,
        false,
        scope,
        owner,
        created,
        created,
        NOW.plus(Duration.ofDays(30)));
  }

  static UUID uuid(Random random) {
    return new UUID(random.nextLong(), random.nextLong());
  }
}
