package dev.patguard.decision;

import dev.patguard.token.PersonalAccessToken;
import dev.patguard.token.Project;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Compares what a token holds with what it is for: excess permissions, excess project scope,
 * missing permissions and projects, and lifetime (never expires; expires after a maximum).
 *
 * <p>"Needed" is the closure of the required permissions: a token that must hold {@code
 * documents:full} needs its three children too. For an any-of requirement, the alternatives the
 * token holds are needed (all of them, if it holds several: the requirement cannot say which one it
 * uses). Excess is the closure of what is granted minus what is needed.
 */
public final class LeastPrivilegeReview {
  private static final LeastPrivilegeReview DEFAULT = builder().build();

  private final PermissionModel model;
  private final Clock clock;
  private final @Nullable Duration maxLifetime;

  private LeastPrivilegeReview(PermissionModel model, Clock clock, @Nullable Duration maxLifetime) {
    this.model = model;
    this.clock = clock;
    this.maxLifetime = maxLifetime;
  }

  /**
   * Starts configuring a review: the strict model, the system clock, no maximum lifetime unless
   * set.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Analyses under the strict model, at the system clock's now, with no maximum lifetime.
   *
   * @param token the token as BRMS sent it
   * @param requirements everything the token is for; with none, every permission is excess
   * @return the report
   * @throws NullPointerException if an argument or a requirement is null
   */
  public static LeastPrivilegeReport analyse(
      PersonalAccessToken token, Collection<Requirement> requirements) {
    return DEFAULT.analyseToken(token, requirements);
  }

  /**
   * Analyses {@code token} against {@code requirements}, compiled under this review's model.
   *
   * @param token the token as BRMS sent it
   * @param requirements everything the token is for; with none, every permission is excess
   * @return the report
   * @throws NullPointerException if an argument or a requirement is null
   */
  public LeastPrivilegeReport analyseToken(
      PersonalAccessToken token, Collection<Requirement> requirements) {
    Objects.requireNonNull(token, "token must not be null");
    return analyseGrant(Grant.compile(token, model), requirements);
  }

  /**
   * Analyses a compiled grant (its model is used) against {@code requirements}.
   *
   * @param grant the grant, such as {@link dev.patguard.TokenFacts.Known#grant()}; an ambiguous one
   *     is judged by what every candidate holds
   * @param requirements everything the token is for; with none, every permission is excess
   * @return the report
   * @throws NullPointerException if an argument or a requirement is null
   */
  public LeastPrivilegeReport analyseGrant(Grant grant, Collection<Requirement> requirements) {
    Objects.requireNonNull(grant, "grant must not be null");
    List<Requirement> reqs = List.copyOf(requirements);
    PermissionModel m = grant.model();
    Set<String> granted = grant.grantedPermissions();
    Set<String> needed = new TreeSet<>();
    List<String> missing = new ArrayList<>();
    boolean everyRequirementNamesAProject = !reqs.isEmpty();
    List<ProjectRef> namedProjects = new ArrayList<>();
    for (Requirement r : reqs) {
      if (r.match() == Requirement.Match.ALL_OF) {
        for (String p : r.permissions()) {
          needed.addAll(m.impliedBy(p));
          if (!grant.holds(p)) {
            missing.add(p);
          }
        }
      } else {
        boolean any = false;
        for (String p : r.permissions()) {
          if (grant.holds(p)) {
            needed.addAll(m.impliedBy(p));
            any = true;
          }
        }
        if (!any) {
          missing.add(String.join("|", r.permissions()));
        }
      }
      r.project().ifPresentOrElse(namedProjects::add, () -> {});
      if (r.project().isEmpty()) {
        everyRequirementNamesAProject = false;
      }
    }
    List<String> excess = new ArrayList<>();
    for (String g : granted) {
      if (!needed.contains(g)) {
        excess.add(g);
      }
    }
    List<String> excessProjects = new ArrayList<>();
    List<String> missingProjects = new ArrayList<>();
    for (ProjectRef ref : namedProjects) {
      if (!grant.covers(ref) && !missingProjects.contains(ref.toString())) {
        missingProjects.add(ref.toString());
      }
    }
    if (everyRequirementNamesAProject) {
      if (grant.allProjects()) {
        excessProjects.add("*");
      }
      for (Project p : grant.projects()) {
        boolean named = namedProjects.stream().anyMatch(ref -> matches(ref, p));
        if (!named) {
          excessProjects.add(p.label());
        }
      }
    }
    Instant now = clock.instant();
    Instant expiresAt = grant.expiresAt().orElse(null);
    List<LeastPrivilegeReport.LifetimeFinding> lifetime = new ArrayList<>();
    if (expiresAt == null) {
      lifetime.add(LeastPrivilegeReport.LifetimeFinding.NEVER_EXPIRES);
    } else if (!now.isBefore(expiresAt)) {
      lifetime.add(LeastPrivilegeReport.LifetimeFinding.EXPIRED);
    } else if (maxLifetime != null
        // Compared as durations: now + maxLifetime may lie beyond what Instant can hold.
        && Duration.between(now, expiresAt).compareTo(maxLifetime) > 0) {
      lifetime.add(LeastPrivilegeReport.LifetimeFinding.EXPIRES_AFTER_HORIZON);
    }
    return new LeastPrivilegeReport(
        grant.subject(),
        reqs,
        grant.declaredPermissions(),
        granted,
        needed,
        excess,
        missing,
        grant.allProjects(),
        excessProjects,
        missingProjects,
        expiresAt,
        maxLifetime,
        lifetime);
  }

  private static boolean matches(ProjectRef ref, Project p) {
    return ref.id() != null
        ? ref.id().equals(p.id())
        : ref.key() != null && ref.key().equals(p.key());
  }

  /** Configures an analysis; each setting is checked as it is made. */
  public static final class Builder {
    private PermissionModel model = PermissionModel.strict();
    private Clock clock = Clock.systemUTC();
    private @Nullable Duration maxLifetime;

    private Builder() {}

    /**
     * The model tokens are compiled under (default: strict). {@link #analyseGrant} uses the grant's
     * own model instead.
     *
     * @param model the model
     * @return this builder
     */
    public Builder permissionModel(PermissionModel model) {
      this.model = Objects.requireNonNull(model, "model must not be null");
      return this;
    }

    /**
     * The clock "now" is read from (default: system UTC).
     *
     * @param clock the clock expiry and the maximum lifetime are judged by, read once per analysis
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock must not be null");
      return this;
    }

    /**
     * A token must expire within this long from now; a never-expiring token is always a finding.
     *
     * @param maxLifetime the longest remaining lifetime accepted, positive
     * @return this builder
     * @throws IllegalArgumentException if {@code maxLifetime} is zero or negative
     */
    public Builder maxLifetime(Duration maxLifetime) {
      Objects.requireNonNull(maxLifetime, "maxLifetime must not be null");
      if (maxLifetime.isNegative() || maxLifetime.isZero()) {
        throw new IllegalArgumentException("maxLifetime must be positive: " + maxLifetime);
      }
      this.maxLifetime = maxLifetime;
      return this;
    }

    /**
     * Builds the review; it is immutable and thread-safe.
     *
     * @return a new review with the settings made so far
     */
    public LeastPrivilegeReview build() {
      return new LeastPrivilegeReview(model, clock, maxLifetime);
    }
  }
}
