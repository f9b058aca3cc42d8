package dev.patguard.decision;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Decides a {@link Requirement} against a compiled {@link Grant} at a given instant.
 *
 * <p>A permit needs all of: the token unexpired at {@code now} (expiry is exclusive), the owner in
 * an accepted status (by default {@code active}, compared ignoring case with {@link Locale#ROOT}),
 * the permissions (under the grant's model; {@code owner} satisfies any), and the project within
 * scope. A deny lists every reason that fails, not only the first.
 *
 * <p>The permit path allocates nothing: it compares bit sets, scans the grant's few projects (or
 * looks up hash sets for a large scope), and returns a permit the grant built when it was compiled.
 */
public final class Authorizer {
  private static final Authorizer STANDARD = builder().build();

  private final long horizonSeconds;
  private final int horizonNanos;
  private final Duration horizon;
  private final Set<String> acceptedStatuses;

  private Authorizer(Duration horizon, Set<String> acceptedStatuses) {
    this.horizon = horizon;
    this.horizonSeconds = horizon.getSeconds();
    this.horizonNanos = horizon.getNano();
    this.acceptedStatuses = Set.copyOf(acceptedStatuses);
  }

  /**
   * Warns 7 days before expiry; accepts owners whose status is {@code active}.
   *
   * @return the standard authorizer (one shared, immutable instance)
   */
  public static Authorizer standard() {
    return STANDARD;
  }

  /**
   * Starts configuring an authorizer; every setting has a default, those of {@link #standard()}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * How long before expiry a permit carries {@link Warning.Code#EXPIRES_SOON}.
   *
   * @return the horizon, zero or more; zero means the warning is off
   */
  public Duration expiresSoonHorizon() {
    return horizon;
  }

  /**
   * Owner statuses that count as active, lower-cased.
   *
   * @return the statuses, stripped and lower-cased with {@link Locale#ROOT}; unmodifiable, never
   *     empty
   */
  public Set<String> acceptedOwnerStatuses() {
    return acceptedStatuses;
  }

  /**
   * Decides {@code requirement} against {@code grant} at {@code now}. Pure: no I/O, no clock read;
   * safe to call from any thread.
   *
   * @param grant what the token holds; an ambiguous grant permits only if every candidate would
   * @param requirement what is asked
   * @param now the instant expiry is judged at
   * @return a permit, or a deny with every failing reason ({@code AMBIGUOUS_TOKEN} first for an
   *     ambiguous grant); never {@code Indeterminate}
   * @throws NullPointerException if an argument is null
   */
  public Decision decide(Grant grant, Requirement requirement, Instant now) {
    Objects.requireNonNull(grant, "grant must not be null");
    Objects.requireNonNull(requirement, "requirement must not be null");
    Objects.requireNonNull(now, "now must not be null");
    if (grant.candidates.length == 0) {
      return decideExact(grant, requirement, now);
    }
    return decideAmbiguous(grant, requirement, now);
  }

  private Decision decideExact(Grant g, Requirement r, Instant now) {
    // A permit is "no reasons": one computation decides and explains, so they cannot drift apart.
    List<DenyReason> reasons = reasons(g, r, now);
    if (reasons.isEmpty()) {
      return expiresSoon(g, now) ? g.permitExpiringSoon() : g.permit;
    }
    return Decision.deny(g.subject(), reasons, g.baseWarnings());
  }

  private Decision decideAmbiguous(Grant g, Requirement r, Instant now) {
    Set<DenyReason> reasons = new LinkedHashSet<>();
    for (Grant candidate : g.candidates) {
      Decision d = decideExact(candidate, r, now);
      if (d instanceof Decision.Deny deny) {
        reasons.addAll(deny.reasons());
      }
    }
    if (reasons.isEmpty()) {
      return expiresSoon(g, now) ? g.permitExpiringSoon() : g.permit;
    }
    List<DenyReason> all = new ArrayList<>(reasons.size() + 1);
    all.add(DenyReason.ambiguousToken(g.candidates.length));
    all.addAll(reasons);
    return Decision.deny(g.subject(), all, g.baseWarnings());
  }

  /**
   * Every reason to deny, or an empty list (shared, not allocated: the permit path allocates
   * nothing). The permission test is the bit-set check; names are listed only when it fails.
   */
  private List<DenyReason> reasons(Grant g, Requirement r, Instant now) {
    List<DenyReason> reasons = null;
    if (g.isExpiredAt(now)) {
      reasons = add(reasons, DenyReason.tokenExpired(g.expiresAtInstant()));
    }
    String status = g.ownerStatusFolded();
    if (status == null || !acceptedStatuses.contains(status)) {
      reasons = add(reasons, DenyReason.ownerInactive(g.ownerStatus().orElse(null)));
    }
    if (!permissionsSatisfied(g, r)) {
      boolean named = false;
      if (r.match() == Requirement.Match.ALL_OF) {
        for (String name : r.permissions()) {
          if (!g.holds(name)) {
            reasons = add(reasons, DenyReason.permissionMissing(name));
            named = true;
          }
        }
      }
      if (!named) {
        // any-of, or (should the two checks ever disagree) all-of with no single name missing:
        // the requirement is still unmet, so it is still a reason. Never a silent permit.
        reasons = add(reasons, DenyReason.permissionMissing(String.join("|", r.permissions())));
      }
    }
    ProjectRef project = r.projectOrNull();
    if (project != null && !g.covers(project)) {
      reasons = add(reasons, DenyReason.projectOutOfScope(project));
    }
    return reasons == null ? List.of() : reasons;
  }

  private static List<DenyReason> add(@Nullable List<DenyReason> reasons, DenyReason reason) {
    List<DenyReason> list = reasons != null ? reasons : new ArrayList<>(4);
    list.add(reason);
    return list;
  }

  private static boolean permissionsSatisfied(Grant g, Requirement r) {
    if (g.holdsOwner()) {
      return true;
    }
    String[] others = r.otherNames;
    if (r.match() == Requirement.Match.ALL_OF) {
      if ((g.knownBits & r.knownBits) != r.knownBits) {
        return false;
      }
      for (int i = 0; i < others.length; i++) {
        if (!g.holdsOther(others[i], r.otherParents[i])) {
          return false;
        }
      }
      return true;
    }
    if ((g.knownBits & r.knownBits) != 0) {
      return true;
    }
    for (int i = 0; i < others.length; i++) {
      if (g.holdsOther(others[i], r.otherParents[i])) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the grant expires and {@code expiresAt - now < horizon}, computed without allocating an
   * {@code Instant} or {@code Duration}.
   */
  private boolean expiresSoon(Grant g, Instant now) {
    if (!g.hasExpiry()) {
      return false;
    }
    long seconds = g.expirySeconds - now.getEpochSecond();
    long nanos = (long) g.expiryNanos - now.getNano();
    if (nanos < 0) {
      seconds -= 1;
      nanos += 1_000_000_000L;
    }
    return seconds < horizonSeconds || (seconds == horizonSeconds && nanos < horizonNanos);
  }

  /** Configures an authorizer; each setting is checked as it is made. */
  public static final class Builder {
    private Duration horizon = Duration.ofDays(7);
    private Set<String> statuses = Set.of("active");

    private Builder() {}

    /**
     * How long before expiry a permit warns {@code EXPIRES_SOON} (default 7 days; zero turns it
     * off).
     *
     * @param horizon the warning horizon, zero or more
     * @return this builder
     * @throws IllegalArgumentException if {@code horizon} is negative
     */
    public Builder expiresSoonHorizon(Duration horizon) {
      Objects.requireNonNull(horizon, "horizon must not be null");
      if (horizon.isNegative()) {
        throw new IllegalArgumentException("expiresSoonHorizon must not be negative: " + horizon);
      }
      this.horizon = horizon;
      return this;
    }

    /**
     * Owner statuses that count as active (default: {@code active}), compared ignoring case. BRMS's
     * full set of statuses is not documented, so only list statuses you know are live.
     *
     * @param statuses the statuses, at least one; each is stripped and lower-cased, and replaces
     *     the default rather than adding to it
     * @return this builder
     * @throws IllegalArgumentException if {@code statuses} is empty or a status is blank
     * @throws NullPointerException if {@code statuses} or a status is null
     */
    public Builder acceptedOwnerStatuses(Set<String> statuses) {
      Objects.requireNonNull(statuses, "statuses must not be null");
      if (statuses.isEmpty()) {
        throw new IllegalArgumentException(
            "acceptedOwnerStatuses must not be empty: no token could ever be permitted");
      }
      Set<String> folded = new LinkedHashSet<>();
      for (String s : statuses) {
        Objects.requireNonNull(s, "status must not be null");
        if (s.isBlank()) {
          throw new IllegalArgumentException("an accepted owner status must not be blank");
        }
        folded.add(s.strip().toLowerCase(Locale.ROOT));
      }
      this.statuses = folded;
      return this;
    }

    /**
     * Builds the authorizer; it is immutable and thread-safe.
     *
     * @return a new authorizer with the settings made so far
     */
    public Authorizer build() {
      return new Authorizer(horizon, statuses);
    }
  }
}
