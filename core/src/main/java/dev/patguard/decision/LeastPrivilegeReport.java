package dev.patguard.decision;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * How far a token's grant exceeds (or falls short of) what a set of requirements needs.
 *
 * @param subject the token (never its secret)
 * @param requirements what the token is for
 * @param declared the permissions the token was given, verbatim
 * @param granted every permission the token holds under the model (the closure), sorted
 * @param needed every permission the requirements need, closed under the model, sorted
 * @param excessPermissions granted but not needed, sorted
 * @param missingPermissions needed but not granted ({@code a|b} for an unmet any-of)
 * @param allProjects whether the token covers every project
 * @param excessProjects projects in the token's scope that no requirement names ({@code *} for all
 *     projects); empty when some requirement names no project, since such a requirement leaves the
 *     scope unconstrained
 * @param missingProjects projects a requirement names that the token does not cover
 * @param expiresAt when the token expires, if ever
 * @param maxLifetime the horizon the expiry was checked against, if one was set
 * @param lifetimeFindings what is wrong with the expiry, if anything
 */
public record LeastPrivilegeReport(
    TokenSubject subject,
    List<Requirement> requirements,
    List<String> declared,
    Set<String> granted,
    Set<String> needed,
    List<String> excessPermissions,
    List<String> missingPermissions,
    boolean allProjects,
    List<String> excessProjects,
    List<String> missingProjects,
    @Nullable Instant expiresAt,
    @Nullable Duration maxLifetime,
    List<LifetimeFinding> lifetimeFindings) {

  /** What can be wrong with a token's lifetime. */
  public enum LifetimeFinding {
    /** The token never expires. */
    NEVER_EXPIRES,
    /** The token expires later than the maximum lifetime allows. */
    EXPIRES_AFTER_HORIZON,
    /** The token has already expired. */
    EXPIRED
  }

  /**
   * Checks the subject and copies every collection, so the report is immutable.
   *
   * @param subject the token (never its secret); not null
   * @param requirements what the token is for; copied
   * @param declared the permissions the token was given, verbatim; copied
   * @param granted every permission the token holds under the model; copied, iterated sorted
   * @param needed every permission the requirements need, closed under the model; copied, iterated
   *     sorted
   * @param excessPermissions granted but not needed; copied
   * @param missingPermissions needed but not granted ({@code a|b} for an unmet any-of); copied
   * @param allProjects whether the token covers every project
   * @param excessProjects projects in the token's scope that no requirement names; copied
   * @param missingProjects projects a requirement names that the token does not cover; copied
   * @param expiresAt when the token expires, or null if never
   * @param maxLifetime the horizon the expiry was checked against, or null if none was set
   * @param lifetimeFindings what is wrong with the expiry; copied
   * @throws NullPointerException if {@code subject}, a collection or an element is null
   */
  public LeastPrivilegeReport {
    Objects.requireNonNull(subject, "subject must not be null");
    requirements = List.copyOf(requirements);
    declared = List.copyOf(declared);
    // Sorted sets, as the components promise: reports print them, and output must be stable.
    granted = sortedCopy(granted);
    needed = sortedCopy(needed);
    excessPermissions = List.copyOf(excessPermissions);
    missingPermissions = List.copyOf(missingPermissions);
    excessProjects = List.copyOf(excessProjects);
    missingProjects = List.copyOf(missingProjects);
    lifetimeFindings = List.copyOf(lifetimeFindings);
  }

  /**
   * Nothing in excess, nothing missing, and an acceptable lifetime.
   *
   * @return true exactly when {@link #findings()} is empty
   */
  public boolean isLeastPrivilege() {
    return excessPermissions.isEmpty()
        && missingPermissions.isEmpty()
        && excessProjects.isEmpty()
        && missingProjects.isEmpty()
        && lifetimeFindings.isEmpty();
  }

  /**
   * Whether the token can do everything the requirements need (it may still hold more).
   *
   * @return true if no permission or project is missing and the token has not expired; a token that
   *     never expires or outlives the maximum is still sufficient
   */
  public boolean isSufficient() {
    return missingPermissions.isEmpty()
        && missingProjects.isEmpty()
        && !lifetimeFindings.contains(LifetimeFinding.EXPIRED);
  }

  /**
   * The findings, one line each, as a security reviewer would list them.
   *
   * @return a new list: missing permissions and projects first, then excess ones, then lifetime;
   *     empty for a least-privilege token
   */
  public List<String> findings() {
    List<String> lines = new ArrayList<>();
    if (!missingPermissions.isEmpty()) {
      lines.add("missing permissions: " + String.join(", ", missingPermissions));
    }
    if (!missingProjects.isEmpty()) {
      lines.add("missing projects: " + String.join(", ", missingProjects));
    }
    if (!excessPermissions.isEmpty()) {
      lines.add("excess permissions: " + String.join(", ", excessPermissions));
    }
    if (allProjects && !excessProjects.isEmpty()) {
      lines.add("excess project scope: allProjects is true");
    } else if (!excessProjects.isEmpty()) {
      lines.add("excess projects: " + String.join(", ", excessProjects));
    }
    for (LifetimeFinding f : lifetimeFindings) {
      switch (f) {
        case NEVER_EXPIRES:
          lines.add(
              "lifetime: never expires"
                  + (maxLifetime == null ? "" : " (maximum " + maxLifetime + ")"));
          break;
        case EXPIRES_AFTER_HORIZON:
          lines.add("lifetime: expires " + expiresAt + ", later than the maximum " + maxLifetime);
          break;
        default:
          lines.add("lifetime: expired at " + expiresAt);
      }
    }
    return lines;
  }

  /**
   * A multi-line report: granted vs required vs excess, then the findings.
   *
   * @return lines separated by {@code \n}, no trailing newline; the token by label and note, never
   *     its secret
   */
  public String describe() {
    StringJoiner j = new StringJoiner("\n");
    j.add(
        subject.label()
            + (subject.note() == null || subject.note().isEmpty()
                ? ""
                : " (\"" + subject.note() + "\")")
            + (isLeastPrivilege() ? ": least privilege" : ": NOT least privilege"));
    StringJoiner reqs = new StringJoiner(", ");
    requirements.forEach(r -> reqs.add(r.toString()));
    j.add("  required: " + reqs);
    j.add("  granted:  " + String.join(", ", declared) + (allProjects ? " on all projects" : ""));
    j.add(
        "  excess:   "
            + (excessPermissions.isEmpty() ? "(none)" : String.join(", ", excessPermissions)));
    for (String f : findings()) {
      j.add("  - " + f);
    }
    return j.toString();
  }

  private static Set<String> sortedCopy(Set<String> names) {
    names.forEach(n -> Objects.requireNonNull(n, "a permission name must not be null"));
    return Collections.unmodifiableSortedSet(new TreeSet<>(names));
  }
}
