package dev.patguard.decision;

import dev.patguard.token.PersonalAccessToken;
import dev.patguard.token.Project;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What a decision needs to know about a token, compiled once per lookup: the closure of its
 * permissions under a {@link PermissionModel} (a bit set over the known permissions plus other
 * names verbatim), its project scope, its expiry and its owner's status.
 *
 * <p>A grant is either <em>exact</em> (one token) or <em>ambiguous</em> (several candidate tokens
 * that a self lookup could not tell apart). An ambiguous grant permits a requirement only if every
 * candidate does; since the presented token is one of them, this never over-grants.
 *
 * <p>Grants are immutable and safe to share; the permit decisions they can produce are built here,
 * once, so that {@link Authorizer#decide} allocates nothing on the permit path.
 *
 * <p>A cache holds one grant per token seen, so a grant is kept small: the owner's facts and the
 * projects are interned (weakly) and shared by every grant that has them, the scope is a small
 * array (hash sets only above 8 projects, shared too), the declared permissions are 5-bit codes
 * when all are known, and the expiry is two numbers rather than an {@code Instant}. None of this
 * changes an answer: interning merges only equal values.
 */
public final class Grant {
  private static final Grant[] NO_CANDIDATES = new Grant[0];

  /** {@link #expiryNanos} of a grant that never expires. */
  private static final int NEVER = -1;

  /** Bits per declared permission in {@link #declaredCodes}: a known permission's index + 1. */
  private static final int CODE_BITS = 5;

  private static final long CODE_MASK = (1L << CODE_BITS) - 1;

  /** Most declared permissions {@link #declaredCodes} can hold (12 × 5 bits). */
  private static final int MAX_CODES = Long.SIZE / CODE_BITS;

  /** {@code owner}'s bit: a constant, so that the permit path does not load it. */
  private static final long OWNER_BIT = 1L << Permission.OWNER.index;

  private final PermissionModel model;

  /**
   * The permit without the expires-soon warning; it also holds the subject and the base warnings.
   */
  final Decision.Permit permit;

  final long knownBits;

  /**
   * The declared permissions when all are known and there are at most 12: each one's index + 1 in 5
   * bits, first in the lowest; 0 ends the list. Otherwise 0, and {@link #declaredVerbatim}.
   */
  private final long declaredCodes;

  private final @Nullable List<String> declaredVerbatim;
  final Set<String> others;
  final boolean allProjects;

  /**
   * The projects the token lists, canonical instances in its order (for an all-projects token,
   * whatever BRMS listed; they do not narrow it).
   */
  private final ProjectScope.Scoped[] projects;

  /** For more than {@link ProjectScope#LINEAR_SCAN_LIMIT} projects: the shared hashed scope. */
  final @Nullable ProjectScope hashedScope;

  /** The shared owner facts; {@code null} for an ambiguous grant over several owners. */
  private final @Nullable OwnerFacts ownerFacts;

  /**
   * The expiry as epoch second and nano ({@link #NEVER}: never), so that no {@code Instant} is
   * kept.
   */
  final long expirySeconds;

  final int expiryNanos;
  final Grant[] candidates;

  /** Built on first need: most cached grants never come within the horizon of their expiry. */
  private Decision.@Nullable Permit permitExpiringSoon;

  private Grant(
      PermissionModel model,
      TokenSubject subject,
      List<String> declared,
      long knownBits,
      Set<String> others,
      boolean allProjects,
      ProjectScope.Scoped[] projects,
      @Nullable Instant expiresAt,
      @Nullable OwnerFacts ownerFacts,
      Grant[] candidates) {
    this.model = model;
    this.declaredCodes = encode(declared);
    this.declaredVerbatim =
        declaredCodes == 0 && !declared.isEmpty() ? canonicalNames(declared) : null;
    this.knownBits = knownBits;
    this.others = Set.copyOf(others);
    this.allProjects = allProjects;
    this.projects = projects;
    this.hashedScope = ProjectScope.hashedOrNull(projects);
    this.ownerFacts = ownerFacts;
    this.expirySeconds = expiresAt == null ? 0 : expiresAt.getEpochSecond();
    this.expiryNanos = expiresAt == null ? NEVER : expiresAt.getNano();
    this.candidates = candidates;
    this.permit =
        Decision.permit(
            subject,
            candidates.length == 0
                ? List.of()
                : List.of(Warning.ambiguousLookup(candidates.length)));
  }

  /**
   * The permit that warns {@code EXPIRES_SOON}. A racy single check: two threads may each build
   * one, equal values, and every later call returns the stored one without allocating.
   */
  Decision.Permit permitExpiringSoon() {
    Decision.Permit soon = permitExpiringSoon;
    if (soon == null) {
      List<Warning> warnings = new ArrayList<>(permit.warnings());
      if (hasExpiry()) {
        warnings.add(Warning.expiresSoon(expiresAtInstant()));
      }
      soon = Decision.permit(permit.subject(), warnings);
      permitExpiringSoon = soon;
    }
    return soon;
  }

  /** The warnings every decision on this grant carries (an ambiguous lookup's). */
  List<Warning> baseWarnings() {
    return permit.warnings();
  }

  boolean hasExpiry() {
    return expiryNanos != NEVER;
  }

  /** Whether the grant has expired at {@code now} (expiry is exclusive: at it, expired). */
  boolean isExpiredAt(Instant now) {
    if (expiryNanos == NEVER) {
      return false;
    }
    long s = now.getEpochSecond();
    return s > expirySeconds || (s == expirySeconds && now.getNano() >= expiryNanos);
  }

  /** The expiry; only when {@link #hasExpiry()}. */
  Instant expiresAtInstant() {
    return Instant.ofEpochSecond(expirySeconds, expiryNanos);
  }

  /** Whether the grant holds {@code owner}, which implies every permission. */
  boolean holdsOwner() {
    return (knownBits & OWNER_BIT) != 0;
  }

  /** The owner's status lower-cased ({@link java.util.Locale#ROOT}), or {@code null}. */
  @Nullable String ownerStatusFolded() {
    OwnerFacts o = ownerFacts;
    return o == null ? null : o.statusFolded();
  }

  /** {@code declared} as 5-bit codes, or 0 when a name is unknown or there are more than 12. */
  private static long encode(List<String> declared) {
    if (declared.size() > MAX_CODES) {
      return 0;
    }
    long codes = 0;
    for (int i = declared.size() - 1; i >= 0; i--) {
      Permission known = Permission.knownOrNull(declared.get(i));
      if (known == null || known.index + 1 >= 1 << CODE_BITS) {
        return 0; // unknown, or beyond what a code can hold if the known set ever grows: keep the
        // list
      }
      codes = (codes << CODE_BITS) | (known.index + 1);
    }
    return codes;
  }

  /**
   * The known permission names as the {@link Permission} constants' own strings, so that a cached
   * grant does not keep its own copy of each name parsed from JSON; unknown names verbatim.
   */
  private static List<String> canonicalNames(List<String> names) {
    List<String> out = new ArrayList<>(names.size());
    for (String name : names) {
      Permission known = Permission.knownOrNull(name);
      out.add(known != null ? known.name() : name);
    }
    return List.copyOf(out);
  }

  /**
   * Compiles one token's facts, with no secret presented (e.g. a token fetched by id).
   *
   * @param token the token as BRMS sent it
   * @param model the model its permissions are closed under
   * @return an exact grant whose subject has no fingerprint
   * @throws NullPointerException if an argument is null
   */
  public static Grant compile(PersonalAccessToken token, PermissionModel model) {
    return compile(token, model, null);
  }

  /**
   * Compiles one token's facts.
   *
   * @param token the token as BRMS sent it
   * @param model the model its permissions are closed under
   * @param fingerprint the fingerprint of the secret the token was looked up by, if any
   * @return an exact grant
   * @throws NullPointerException if {@code token} or {@code model} is null
   */
  public static Grant compile(
      PersonalAccessToken token, PermissionModel model, @Nullable String fingerprint) {
    Objects.requireNonNull(token, "token must not be null");
    Objects.requireNonNull(model, "model must not be null");
    long bits = 0;
    Set<String> others = new TreeSet<>();
    for (String name : token.permissions()) {
      PermissionModel.Closure c = model.closure(name);
      bits |= c.knownBits();
      others.addAll(c.others());
    }
    OwnerFacts owner = OwnerFacts.of(token.user());
    TokenSubject subject =
        new TokenSubject(fingerprint, token.id(), owner.id(), owner.email(), token.note());
    return new Grant(
        model,
        subject,
        token.permissions(),
        bits,
        others,
        token.allProjects(),
        ProjectScope.canonical(token.projects()),
        token.expiresAt(),
        owner,
        NO_CANDIDATES);
  }

  /**
   * Compiles the candidates of a lookup: one token gives an exact grant, several an ambiguous one
   * that permits only what every candidate permits.
   *
   * @param candidates the tokens the lookup could not tell apart, at least one
   * @param model the model their permissions are closed under
   * @param fingerprint the fingerprint of the secret they were looked up by, if any
   * @return for several candidates: the permissions and projects they all hold, the earliest
   *     expiry, and an owner only if they share one (several owners deny {@code OWNER_INACTIVE})
   * @throws IllegalArgumentException if {@code candidates} is empty
   */
  public static Grant compileCandidates(
      List<PersonalAccessToken> candidates, PermissionModel model, @Nullable String fingerprint) {
    Objects.requireNonNull(candidates, "candidates must not be null");
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException("a grant needs at least one candidate token");
    }
    if (candidates.size() == 1) {
      return compile(candidates.get(0), model, fingerprint);
    }
    Grant[] compiled = new Grant[candidates.size()];
    long bits = -1L;
    Set<String> others = null;
    boolean allProjects = true;
    List<ProjectScope.Scoped> commonProjects = null;
    Instant earliest = null;
    UUID ownerId = candidates.get(0).user().id();
    for (int i = 0; i < compiled.length; i++) {
      PersonalAccessToken t = candidates.get(i);
      Grant g = compile(t, model, fingerprint);
      compiled[i] = g;
      bits &= g.knownBits;
      others = others == null ? new TreeSet<>(g.others) : retain(others, g.others);
      allProjects &= g.allProjects;
      if (!g.allProjects) {
        if (commonProjects == null) {
          commonProjects = new ArrayList<>(List.of(g.projects));
        } else {
          commonProjects.removeIf(p -> !g.containsProjectId(p.id()));
        }
      }
      if (t.expiresAt() != null && (earliest == null || t.expiresAt().isBefore(earliest))) {
        earliest = t.expiresAt();
      }
      if (!t.user().id().equals(ownerId)) {
        ownerId = null;
      }
    }
    // Several owners: no owner, so no status, and the decision denies OWNER_INACTIVE. One owner:
    // the first candidate's facts, as that candidate's own grant holds them.
    OwnerFacts owner = ownerId == null ? null : compiled[0].ownerFacts;
    TokenSubject subject =
        owner == null
            ? new TokenSubject(fingerprint, null, null, null, null)
            : new TokenSubject(fingerprint, null, owner.id(), owner.email(), null);
    ProjectScope.Scoped[] common =
        commonProjects == null || commonProjects.isEmpty()
            ? ProjectScope.NONE
            : commonProjects.toArray(new ProjectScope.Scoped[0]);
    return new Grant(
        model, subject, List.of(), bits, others, allProjects, common, earliest, owner, compiled);
  }

  private static Set<String> retain(Set<String> acc, Set<String> more) {
    acc.retainAll(more);
    return acc;
  }

  private boolean containsProjectId(UUID id) {
    return projects.length <= ProjectScope.LINEAR_SCAN_LIMIT
        ? ProjectScope.scanIds(projects, id)
        : Objects.requireNonNull(hashedScope).containsId(id);
  }

  /**
   * Who this grant is about (never the secret).
   *
   * @return the subject; an ambiguous grant has no token id or note, and no owner if the candidates
   *     have several
   */
  public TokenSubject subject() {
    return permit.subject();
  }

  /**
   * The model the closure was computed under.
   *
   * @return the model given to {@code compile}
   */
  public PermissionModel model() {
    return model;
  }

  /**
   * Whether several candidate tokens stand behind this grant.
   *
   * @return true for an ambiguous grant, false for an exact one
   */
  public boolean isAmbiguous() {
    return candidates.length > 0;
  }

  /**
   * The candidates of an ambiguous grant; empty for an exact one.
   *
   * @return each candidate's exact grant, in lookup order; unmodifiable
   */
  public List<Grant> candidates() {
    return List.of(candidates);
  }

  /**
   * The permission names the token was given, verbatim (empty for an ambiguous grant).
   *
   * @return the names in BRMS's order, before any implication; unmodifiable
   */
  public List<String> declaredPermissions() {
    if (declaredVerbatim != null) {
      return declaredVerbatim;
    }
    List<String> names = new ArrayList<>(MAX_CODES);
    List<Permission> known = Permission.known();
    for (long codes = declaredCodes; codes != 0; codes >>>= CODE_BITS) {
      names.add(known.get((int) (codes & CODE_MASK) - 1).name());
    }
    return List.copyOf(names);
  }

  /**
   * Every permission name the grant holds under its model (the closure), sorted.
   *
   * @return a new set on each call, in {@link String} order; for an ambiguous grant, the names
   *     every candidate holds
   */
  public Set<String> grantedPermissions() {
    Set<String> names = new TreeSet<>(others);
    for (Permission p : Permission.known()) {
      if ((knownBits & (1L << p.index)) != 0) {
        names.add(p.name());
      }
    }
    return new LinkedHashSet<>(names);
  }

  /**
   * Whether the grant holds {@code permission}, directly or by implication.
   *
   * @param permission a permission name, known to patguard or not
   * @return true if it is declared, implied under the grant's model, or covered by {@code owner}
   * @throws NullPointerException if {@code permission} is null
   */
  public boolean holds(String permission) {
    Objects.requireNonNull(permission, "permission must not be null");
    if (holdsOwner()) {
      return true;
    }
    Permission known = Permission.knownOrNull(permission);
    if (known != null) {
      return (knownBits & (1L << known.index)) != 0;
    }
    return holdsOther(permission, PermissionModel.parentOf(permission));
  }

  boolean holdsOther(String name, @Nullable String parent) {
    if (holdsOwner() || others.contains(name)) {
      return true;
    }
    if (!model.isHierarchical() || parent == null) {
      return false;
    }
    Permission knownParent = Permission.knownOrNull(parent);
    return knownParent != null
        ? (knownBits & (1L << knownParent.index)) != 0
        : others.contains(parent);
  }

  /**
   * Whether the grant covers every project of the organisation.
   *
   * @return true if the token is not limited to a list of projects; for an ambiguous grant, only if
   *     no candidate is
   */
  public boolean allProjects() {
    return allProjects;
  }

  /**
   * The projects the grant is scoped to (for an ambiguous grant: those every candidate has), by id,
   * key and protected flag only: names, organisation, version and timestamps are not kept. Read the
   * {@link PersonalAccessToken} for those.
   *
   * @return the projects in the token's order; unmodifiable. For an all-projects token, whatever
   *     BRMS listed, which does not narrow it
   */
  public List<Project> projects() {
    return ProjectScope.toProjects(projects);
  }

  /** The {@code i}th project as the grant keeps it (shared with other grants scoped to it). */
  ProjectScope.Scoped scoped(int i) {
    return projects[i];
  }

  /**
   * Whether {@code project} is within the grant's scope.
   *
   * @param project a project named by id, or by key (exact, case-sensitive)
   * @return true if the grant covers all projects or is scoped to one with that id or key
   */
  public boolean covers(ProjectRef project) {
    if (allProjects) {
      return true;
    }
    // Decided by the array's length rather than by loading hashedScope: one load fewer on the
    // permit path.
    ProjectScope.Scoped[] scope = projects;
    return scope.length <= ProjectScope.LINEAR_SCAN_LIMIT
        ? ProjectScope.scan(scope, project)
        : Objects.requireNonNull(hashedScope).covers(project);
  }

  /**
   * When the grant expires (for an ambiguous grant: the earliest candidate), if ever.
   *
   * @return the expiry, exclusive: the grant is expired at that instant; empty if it never expires
   */
  public Optional<Instant> expiresAt() {
    return hasExpiry() ? Optional.of(expiresAtInstant()) : Optional.empty();
  }

  /**
   * The owner's status as BRMS sent it, if it did.
   *
   * @return the status verbatim (not case-folded); empty if BRMS sent none or the candidates of an
   *     ambiguous grant have several owners
   */
  public Optional<String> ownerStatus() {
    OwnerFacts o = ownerFacts;
    return o == null ? Optional.empty() : Optional.ofNullable(o.status());
  }

  @Override
  public String toString() {
    return "Grant["
        + subject().label()
        + (isAmbiguous() ? ", ambiguous over " + candidates.length + " tokens" : "")
        + ", permissions="
        + grantedPermissions()
        + ", projects="
        + (allProjects ? "ALL" : projects().stream().map(Project::label).toList())
        + ", expiresAt="
        + expiresAt().orElse(null)
        + "]";
  }
}
