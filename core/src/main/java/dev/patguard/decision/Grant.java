package dev.patguard.decision;

import dev.patguard.token.PersonalAccessToken;
import dev.patguard.token.Project;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
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
 * that a self lookup could not tell apart). An ambiguous grant permits a requirement only if
 * every candidate does; since the presented token is one of them, this never over-grants.
 *
 * <p>Grants are immutable and safe to share; the permit decisions they can produce are built
 * here, once, so that {@link Authorizer#decide} allocates nothing on the permit path.
 */
public final class Grant {
  private static final Grant[] NO_CANDIDATES = new Grant[0];

  private final PermissionModel model;
  private final TokenSubject subject;
  private final List<String> declared;
  final long knownBits;
  final Set<String> others;
  final boolean owner;
  final boolean allProjects;
  private final List<Project> projects;
  final Set<UUID> projectIds;
  final Set<String> projectKeys;
  final @Nullable Instant expiresAt;
  private final @Nullable String ownerStatus;
  final @Nullable String ownerStatusFolded;
  final Grant[] candidates;
  final Decision.Permit permit;
  /** Built on first need: most cached grants never come within the horizon of their expiry. */
  private Decision.@Nullable Permit permitExpiringSoon;
  final List<Warning> baseWarnings;

  private Grant(
      PermissionModel model,
      TokenSubject subject,
      List<String> declared,
      long knownBits,
      Set<String> others,
      boolean allProjects,
      List<Project> projects,
      @Nullable Instant expiresAt,
      @Nullable String ownerStatus,
      Grant[] candidates) {
    this.model = model;
    this.subject = subject;
    this.declared = canonicalNames(declared);
    this.knownBits = knownBits;
    this.others = Set.copyOf(others);
    this.owner = (knownBits & (1L << Permission.OWNER.index)) != 0;
    this.allProjects = allProjects;
    this.projects = scopeOnly(projects);
    Set<UUID> ids = new HashSet<>();
    Set<String> keys = new HashSet<>();
    for (Project p : this.projects) {
      ids.add(p.id());
      if (p.key() != null) {
        keys.add(p.key());
      }
    }
    this.projectIds = Set.copyOf(ids);
    this.projectKeys = Set.copyOf(keys);
    this.expiresAt = expiresAt;
    this.ownerStatus = ACTIVE.equals(ownerStatus) ? ACTIVE : ownerStatus;
    this.ownerStatusFolded = this.ownerStatus == null ? null : this.ownerStatus.toLowerCase(Locale.ROOT);
    this.candidates = candidates;
    this.baseWarnings = candidates.length == 0
        ? List.of() : List.of(Warning.ambiguousLookup(candidates.length));
    this.permit = Decision.permit(subject, baseWarnings);
  }

  /**
   * The permit that warns {@code EXPIRES_SOON}. A racy single check: two threads may each build
   * one, equal values, and every later call returns the stored one without allocating.
   */
  Decision.Permit permitExpiringSoon() {
    Decision.Permit soon = permitExpiringSoon;
    if (soon == null) {
      List<Warning> warnings = new ArrayList<>(baseWarnings);
      if (expiresAt != null) {
        warnings.add(Warning.expiresSoon(expiresAt));
      }
      soon = Decision.permit(subject, warnings);
      permitExpiringSoon = soon;
    }
    return soon;
  }

  private static final String ACTIVE = "active";

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
   * What a decision and its reasons use of each project: id, key and the protected flag. The
   * display name, organisation, version and timestamps BRMS sends are not kept, because a grant
   * lives in the cache for every token seen (they are about 180 bytes per project).
   */
  private static List<Project> scopeOnly(List<Project> projects) {
    List<Project> out = new ArrayList<>(projects.size());
    for (Project p : projects) {
      out.add(new Project(p.id(), null, null, null, p.key(), p.isProtected(), null, null));
    }
    return List.copyOf(out);
  }

  /** Compiles one token's facts, with no secret presented (e.g. a token fetched by id). */
  public static Grant compile(PersonalAccessToken token, PermissionModel model) {
    return compile(token, model, null);
  }

  /**
   * Compiles one token's facts.
   *
   * @param fingerprint the fingerprint of the secret the token was looked up by, if any
   */
  public static Grant compile(PersonalAccessToken token, PermissionModel model, @Nullable String fingerprint) {
    Objects.requireNonNull(token, "token must not be null");
    Objects.requireNonNull(model, "model must not be null");
    long bits = 0;
    Set<String> others = new TreeSet<>();
    for (String name : token.permissions()) {
      PermissionModel.Closure c = model.closure(name);
      bits |= c.knownBits();
      others.addAll(c.others());
    }
    TokenSubject subject = new TokenSubject(
        fingerprint, token.id(), token.user().id(), token.user().email(), token.note());
    return new Grant(model, subject, token.permissions(), bits, others, token.allProjects(),
        token.projects(), token.expiresAt(), token.user().status(), NO_CANDIDATES);
  }

  /**
   * Compiles the candidates of a lookup: one token gives an exact grant, several an ambiguous one
   * that permits only what every candidate permits.
   *
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
    List<Project> commonProjects = null;
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
        commonProjects = commonProjects == null ? new ArrayList<>(g.projects) : retainProjects(commonProjects, g);
      }
      if (t.expiresAt() != null && (earliest == null || t.expiresAt().isBefore(earliest))) {
        earliest = t.expiresAt();
      }
      if (!t.user().id().equals(ownerId)) {
        ownerId = null;
      }
    }
    PersonalAccessToken first = candidates.get(0);
    TokenSubject subject = new TokenSubject(fingerprint, null, ownerId,
        ownerId == null ? null : first.user().email(), null);
    return new Grant(model, subject, List.of(), bits, others, allProjects,
        commonProjects == null ? List.of() : commonProjects, earliest,
        ownerId == null ? null : first.user().status(), compiled);
  }

  private static Set<String> retain(Set<String> acc, Set<String> more) {
    acc.retainAll(more);
    return acc;
  }

  private static List<Project> retainProjects(List<Project> acc, Grant g) {
    acc.removeIf(p -> !g.projectIds.contains(p.id()));
    return acc;
  }

  /** Who this grant is about (never the secret). */
  public TokenSubject subject() {
    return subject;
  }

  /** The model the closure was computed under. */
  public PermissionModel model() {
    return model;
  }

  /** Whether several candidate tokens stand behind this grant. */
  public boolean isAmbiguous() {
    return candidates.length > 0;
  }

  /** The candidates of an ambiguous grant; empty for an exact one. */
  public List<Grant> candidates() {
    return List.of(candidates);
  }

  /** The permission names the token was given, verbatim (empty for an ambiguous grant). */
  public List<String> declaredPermissions() {
    return declared;
  }

  /** Every permission name the grant holds under its model (the closure), sorted. */
  public Set<String> grantedPermissions() {
    Set<String> names = new TreeSet<>(others);
    for (Permission p : Permission.known()) {
      if ((knownBits & (1L << p.index)) != 0) {
        names.add(p.name());
      }
    }
    return new LinkedHashSet<>(names);
  }

  /** Whether the grant holds {@code permission}, directly or by implication. */
  public boolean holds(String permission) {
    Objects.requireNonNull(permission, "permission must not be null");
    if (owner) {
      return true;
    }
    Permission known = Permission.knownOrNull(permission);
    if (known != null) {
      return (knownBits & (1L << known.index)) != 0;
    }
    return holdsOther(permission, PermissionModel.parentOf(permission));
  }

  boolean holdsOther(String name, @Nullable String parent) {
    if (owner || others.contains(name)) {
      return true;
    }
    if (!model.isHierarchical() || parent == null) {
      return false;
    }
    Permission knownParent = Permission.knownOrNull(parent);
    return knownParent != null ? (knownBits & (1L << knownParent.index)) != 0 : others.contains(parent);
  }

  /** Whether the grant covers every project of the organisation. */
  public boolean allProjects() {
    return allProjects;
  }

  /**
   * The projects the grant is scoped to (for an ambiguous grant: those every candidate has), by
   * id, key and protected flag only: names, organisation, version and timestamps are not kept.
   * Read the {@link PersonalAccessToken} for those.
   */
  public List<Project> projects() {
    return projects;
  }

  /** Whether {@code project} is within the grant's scope. */
  public boolean covers(ProjectRef project) {
    if (allProjects) {
      return true;
    }
    UUID id = project.id();
    return id != null ? projectIds.contains(id) : projectKeys.contains(project.key());
  }

  /** When the grant expires (for an ambiguous grant: the earliest candidate), if ever. */
  public Optional<Instant> expiresAt() {
    return Optional.ofNullable(expiresAt);
  }

  /** The owner's status as BRMS sent it, if it did. */
  public Optional<String> ownerStatus() {
    return Optional.ofNullable(ownerStatus);
  }

  @Override
  public String toString() {
    return "Grant[" + subject.label()
        + (isAmbiguous() ? ", ambiguous over " + candidates.length + " tokens" : "")
        + ", permissions=" + grantedPermissions()
        + ", projects=" + (allProjects ? "ALL" : projects.stream().map(Project::label).toList())
        + ", expiresAt=" + expiresAt + "]";
  }
}
