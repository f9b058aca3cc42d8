package dev.patguard.junit;

import dev.patguard.decision.Authorizer;
import dev.patguard.decision.Decision;
import dev.patguard.decision.Grant;
import dev.patguard.decision.LeastPrivilegeReport;
import dev.patguard.decision.ProjectRef;
import dev.patguard.decision.Requirement;
import dev.patguard.token.Project;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.MultipleFailuresError;

/**
 * Fluent assertions on one token; obtain one from {@link TokenAssertions#assertThatToken}.
 *
 * <p>Hard by default: the first failing assertion throws. After {@link #softly()} failures are
 * collected until {@link #assertAll()}. Time-dependent assertions read "now" from the clock set
 * with {@link #at(Clock)} (default: the system UTC clock). Not thread-safe.
 */
public final class TokenAssert {
  private final Grant grant;
  private Clock clock = Clock.systemUTC();
  private @Nullable List<AssertionFailedError> soft;

  TokenAssert(Grant grant) {
    this.grant = grant;
  }

  /**
   * Reads "now" from {@code clock} for expiry and decision assertions.
   *
   * @param clock the clock the assertions after this call read, once each
   * @return this, to chain further assertions
   */
  public TokenAssert at(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock must not be null");
    return this;
  }

  /**
   * Collects failures instead of throwing at the first; end the chain with {@link #assertAll()}.
   * Calling it again keeps what was collected.
   *
   * @return this, to chain further assertions
   */
  public TokenAssert softly() {
    if (soft == null) {
      soft = new ArrayList<>();
    }
    return this;
  }

  /**
   * Throws the collected failures of a soft chain as one {@link MultipleFailuresError} (one failure
   * is thrown as itself); does nothing when none failed or the chain is not soft.
   */
  public void assertAll() {
    if (soft == null || soft.isEmpty()) {
      return;
    }
    List<AssertionFailedError> failures = List.copyOf(soft);
    soft.clear();
    if (failures.size() == 1) {
      throw failures.get(0);
    }
    throw new MultipleFailuresError(
        "token assertions on " + Findings.name(grant.subject()), failures);
  }

  /**
   * The grant the assertions run on.
   *
   * @return the grant given to {@link TokenAssertions#assertThatToken}, or compiled from the token
   */
  public Grant grant() {
    return grant;
  }

  /**
   * The token holds every one of {@code permissions}, directly or by implication.
   *
   * @param permissions permission names, at least one
   * @return this, to chain further assertions
   * @throws AssertionFailedError if a permission is not held, listing the missing ones (recorded
   *     instead after {@link #softly()})
   * @throws IllegalArgumentException if there is no name or a name is not a permission name
   */
  public TokenAssert grants(String... permissions) {
    List<String> required = names(permissions);
    List<String> missing = new ArrayList<>();
    for (String p : required) {
      if (!grant.holds(p)) {
        missing.add(p);
      }
    }
    if (!missing.isEmpty()) {
      fail(
          "Expected "
              + name()
              + " to grant "
              + required
              + ", but it does not grant "
              + missing
              + "\n"
              + "  required: "
              + Findings.join(required)
              + "\n"
              + "  missing:  "
              + Findings.join(missing)
              + "\n"
              + Findings.facts(grant),
          required.toString(),
          grant.grantedPermissions().toString());
    }
    return this;
  }

  /**
   * The token holds {@code permissions} (with what they imply) and nothing else.
   *
   * @param permissions permission names, at least one
   * @return this, to chain further assertions
   * @throws AssertionFailedError if the token holds more or less, listing excess and missing
   *     (recorded instead after {@link #softly()})
   * @throws IllegalArgumentException if there is no name or a name is not a permission name
   */
  public TokenAssert grantsOnly(String... permissions) {
    List<String> required = names(permissions);
    LeastPrivilegeReport r =
        dev.patguard.decision.LeastPrivilegeReview.builder()
            .clock(clock)
            .build()
            .analyseGrant(grant, List.of(Requirement.allOf(required.toArray(String[]::new))));
    if (!r.excessPermissions().isEmpty() || !r.missingPermissions().isEmpty()) {
      fail(
          "Expected "
              + name()
              + " to grant only "
              + required
              + ", but "
              + (r.excessPermissions().isEmpty() ? "" : "it also grants " + r.excessPermissions())
              + (!r.excessPermissions().isEmpty() && !r.missingPermissions().isEmpty()
                  ? " and "
                  : "")
              + (r.missingPermissions().isEmpty()
                  ? ""
                  : "it does not grant " + r.missingPermissions())
              + "\n"
              + "  required: "
              + Findings.join(required)
              + " (needs "
              + Findings.join(r.needed())
              + ")\n"
              + "  excess:   "
              + Findings.join(r.excessPermissions())
              + "\n"
              + "  missing:  "
              + Findings.join(r.missingPermissions())
              + "\n"
              + Findings.facts(grant),
          new TreeSet<>(r.needed()).toString(),
          grant.grantedPermissions().toString());
    }
    return this;
  }

  /**
   * The token's scope covers {@code project} (a key such as {@code web-shop}, or an id).
   *
   * @param project a project key or UUID, optionally prefixed {@code key:} or {@code id:}
   * @return this, to chain further assertions
   * @throws AssertionFailedError if the token does not cover it; an all-projects token always does
   *     (recorded instead after {@link #softly()})
   * @throws IllegalArgumentException if {@code project} is neither a valid key nor an id
   */
  public TokenAssert onProject(String project) {
    ProjectRef ref = ref(project);
    if (!grant.covers(ref)) {
      fail(
          "Expected "
              + name()
              + " to cover project "
              + ref
              + ", but its scope is "
              + Findings.scope(grant)
              + "\n"
              + Findings.facts(grant),
          ref.toString(),
          Findings.scope(grant));
    }
    return this;
  }

  /**
   * The token is scoped to exactly {@code projects} (keys or ids): not {@code allProjects}, every
   * one covered, and no other project.
   *
   * @param projects project keys or UUIDs, at least one
   * @return this, to chain further assertions
   * @throws AssertionFailedError if a project is not covered or another one is, listing excess and
   *     missing (recorded instead after {@link #softly()})
   * @throws IllegalArgumentException if there is no project, or one is neither a valid key nor an
   *     id
   */
  public TokenAssert onlyOnProjects(String... projects) {
    if (projects.length == 0) {
      throw new IllegalArgumentException("onlyOnProjects needs at least one project");
    }
    List<ProjectRef> refs = new ArrayList<>();
    for (String p : projects) {
      refs.add(ref(p));
    }
    List<String> missing = new ArrayList<>();
    for (ProjectRef ref : refs) {
      if (!grant.covers(ref)) {
        missing.add(ref.toString());
      }
    }
    List<String> excess = new ArrayList<>();
    if (grant.allProjects()) {
      excess.add("* (allProjects)");
    }
    for (Project p : grant.projects()) {
      boolean named =
          refs.stream()
              .anyMatch(
                  ref ->
                      ref.id() != null
                          ? ref.id().equals(p.id())
                          : Objects.equals(ref.key(), p.key()));
      if (!named) {
        excess.add(p.label());
      }
    }
    if (!missing.isEmpty() || !excess.isEmpty()) {
      fail(
          "Expected "
              + name()
              + " to be scoped only to projects "
              + refs
              + ", but its scope is "
              + Findings.scope(grant)
              + "\n"
              + "  required: "
              + refs
              + "\n"
              + "  excess:   "
              + Findings.join(excess)
              + "\n"
              + "  missing:  "
              + Findings.join(missing)
              + "\n"
              + Findings.facts(grant),
          "projects " + refs,
          Findings.scope(grant));
    }
    return this;
  }

  /**
   * The token is not {@code allProjects}.
   *
   * @return this, to chain further assertions
   * @throws AssertionFailedError if it covers every project of the organisation (recorded instead
   *     after {@link #softly()})
   */
  public TokenAssert isNotAllProjects() {
    if (grant.allProjects()) {
      fail(
          "Expected "
              + name()
              + " to be scoped to named projects, but allProjects is true:"
              + " it covers every project of the organisation\n"
              + Findings.facts(grant),
          "allProjects=false",
          "allProjects=true");
    }
    return this;
  }

  /**
   * The token does not hold {@code owner} (which implies every permission).
   *
   * @return this, to chain further assertions
   * @throws AssertionFailedError if it holds {@code owner} (recorded instead after {@link
   *     #softly()})
   */
  public TokenAssert isNotOwner() {
    if (grant.holds("owner")) {
      fail(
          "Expected "
              + name()
              + " not to hold owner, but it does: owner implies every permission\n"
              + Findings.facts(grant),
          "no owner permission",
          grant.grantedPermissions().toString());
    }
    return this;
  }

  /**
   * The token has an expiry. Whether it has passed is not checked: see {@link #expiresWithin}.
   *
   * @return this, to chain further assertions
   * @throws AssertionFailedError if it never expires (recorded instead after {@link #softly()})
   */
  public TokenAssert expires() {
    if (grant.expiresAt().isEmpty()) {
      fail(
          "Expected " + name() + " to expire, but it never expires\n" + Findings.facts(grant),
          "an expiry",
          "never expires");
    }
    return this;
  }

  /**
   * The token is unexpired now and expires at most {@code maxLifetime} from now.
   *
   * @param maxLifetime the longest the token may still live, positive
   * @return this, to chain further assertions
   * @throws AssertionFailedError if the token never expires, has expired, or outlives {@code
   *     maxLifetime} (recorded instead after {@link #softly()})
   * @throws IllegalArgumentException if {@code maxLifetime} is zero or negative
   */
  public TokenAssert expiresWithin(Duration maxLifetime) {
    Objects.requireNonNull(maxLifetime, "maxLifetime must not be null");
    if (maxLifetime.isNegative() || maxLifetime.isZero()) {
      throw new IllegalArgumentException("maxLifetime must be positive: " + maxLifetime);
    }
    Instant now = clock.instant();
    Instant expiresAt = grant.expiresAt().orElse(null);
    // Compared as durations, never as now + maxLifetime: that sum may lie beyond what Instant
    // holds.
    String expected = "expires after " + now + " and at most " + maxLifetime + " later";
    if (expiresAt == null) {
      fail(
          "Expected "
              + name()
              + " to expire within "
              + maxLifetime
              + ", but it never expires\n"
              + Findings.facts(grant),
          expected,
          "never expires");
    } else if (!now.isBefore(expiresAt)) {
      fail(
          "Expected "
              + name()
              + " to expire within "
              + maxLifetime
              + ", but it already expired at "
              + expiresAt
              + " (now "
              + now
              + ")\n"
              + Findings.facts(grant),
          expected,
          "expired at " + expiresAt);
    } else if (Duration.between(now, expiresAt).compareTo(maxLifetime) > 0) {
      fail(
          "Expected "
              + name()
              + " to expire within "
              + maxLifetime
              + ", but it expires at "
              + expiresAt
              + ", "
              + Duration.between(now, expiresAt)
              + " from now ("
              + now
              + ")\n"
              + Findings.facts(grant),
          expected,
          "expires at " + expiresAt);
    }
    return this;
  }

  /**
   * The token's owner is in an active status.
   *
   * @return this, to chain further assertions
   * @throws AssertionFailedError if the owner's status is not {@code active} (ignoring case) or
   *     unknown (recorded instead after {@link #softly()})
   */
  public TokenAssert ownerIsActive() {
    if (!Findings.ownerActive(grant)) {
      String status = grant.ownerStatus().orElse("(no status)");
      fail(
          "Expected the owner of "
              + name()
              + " to be active, but its status is "
              + status
              + "\n"
              + Findings.facts(grant),
          "owner status active",
          "owner status " + status);
    }
    return this;
  }

  /**
   * The token holds exactly what {@code requirements} need, on exactly the projects they name (when
   * every requirement names one), and expires. A never-expiring token is never least privilege; use
   * {@link #expiresWithin(Duration)} to bound the lifetime too.
   *
   * @param requirements everything the token is for, at least one
   * @return this, to chain further assertions
   * @throws AssertionFailedError listing required, granted and excess, if the token is not least
   *     privilege for them (recorded instead after {@link #softly()})
   * @throws IllegalArgumentException if there is no requirement
   */
  public TokenAssert isLeastPrivilegeFor(Requirement... requirements) {
    if (requirements.length == 0) {
      throw new IllegalArgumentException("isLeastPrivilegeFor needs at least one requirement");
    }
    LeastPrivilegeReport r =
        dev.patguard.decision.LeastPrivilegeReview.builder()
            .clock(clock)
            .build()
            .analyseGrant(grant, Arrays.asList(requirements));
    AssertionFailedError e = Findings.leastPrivilegeFailure("", grant, r, List.of());
    if (e != null) {
      record(e);
    }
    return this;
  }

  /**
   * As {@link #isLeastPrivilegeFor(Requirement...)}, reading each requirement's text form.
   *
   * @param requirements requirement texts such as {@code releases:deploy@web-shop}, at least one
   * @return this, to chain further assertions
   * @throws AssertionFailedError if the token is not least privilege for them (recorded instead
   *     after {@link #softly()})
   * @throws dev.patguard.decision.RequirementFormatException if a text cannot be read
   */
  public TokenAssert isLeastPrivilegeFor(String... requirements) {
    Requirement[] parsed = new Requirement[requirements.length];
    for (int i = 0; i < requirements.length; i++) {
      parsed[i] = Requirement.parse(requirements[i]);
    }
    return isLeastPrivilegeFor(parsed);
  }

  /**
   * The standard authorizer permits {@code requirement} now.
   *
   * @param requirement what the token should be allowed to do
   * @return this, to chain further assertions
   * @throws AssertionFailedError with the deny's explanation, if it is not permitted (recorded
   *     instead after {@link #softly()})
   */
  public TokenAssert permits(Requirement requirement) {
    Objects.requireNonNull(requirement, "requirement must not be null");
    Decision d = Authorizer.standard().decide(grant, requirement, clock.instant());
    if (!d.isPermit()) {
      fail(
          "Expected "
              + name()
              + " to be permitted "
              + requirement
              + ", but: "
              + d.explain()
              + "\n"
              + Findings.facts(grant),
          "PERMIT " + requirement,
          d.explain());
    }
    return this;
  }

  /**
   * As {@link #permits(Requirement)}, reading the requirement's text form.
   *
   * @param requirement a requirement text such as {@code releases:deploy@web-shop}
   * @return this, to chain further assertions
   * @throws AssertionFailedError if it is not permitted (recorded instead after {@link #softly()})
   * @throws dev.patguard.decision.RequirementFormatException if the text cannot be read
   */
  public TokenAssert permits(String requirement) {
    return permits(Requirement.parse(requirement));
  }

  /**
   * The standard authorizer does not permit {@code requirement} now.
   *
   * @param requirement what the token should not be allowed to do
   * @return this, to chain further assertions
   * @throws AssertionFailedError if it is permitted (recorded instead after {@link #softly()})
   */
  public TokenAssert denies(Requirement requirement) {
    Objects.requireNonNull(requirement, "requirement must not be null");
    Decision d = Authorizer.standard().decide(grant, requirement, clock.instant());
    if (d.isPermit()) {
      fail(
          "Expected "
              + name()
              + " to be denied "
              + requirement
              + ", but it is permitted\n"
              + Findings.facts(grant),
          "DENY " + requirement,
          d.explain());
    }
    return this;
  }

  /**
   * As {@link #denies(Requirement)}, reading the requirement's text form.
   *
   * @param requirement a requirement text such as {@code releases:deploy@web-shop}
   * @return this, to chain further assertions
   * @throws AssertionFailedError if it is permitted (recorded instead after {@link #softly()})
   * @throws dev.patguard.decision.RequirementFormatException if the text cannot be read
   */
  public TokenAssert denies(String requirement) {
    return denies(Requirement.parse(requirement));
  }

  private String name() {
    return Findings.name(grant.subject());
  }

  private void fail(String message, Object expected, Object actual) {
    record(new AssertionFailedError(message, expected, actual));
  }

  private void record(AssertionFailedError e) {
    if (soft != null) {
      soft.add(e);
    } else {
      throw e;
    }
  }

  private static List<String> names(String... permissions) {
    // Validates the names the way requirements do (IllegalArgumentException quoting a bad one).
    return Requirement.allOf(permissions).permissions();
  }

  private static ProjectRef ref(String project) {
    return ProjectRef.parse(Objects.requireNonNull(project, "project must not be null"));
  }

  @Override
  public String toString() {
    return "TokenAssert[" + name() + (soft != null ? ", soft" : "") + "]";
  }
}
