package dev.patguard.decision;

import com.github.benmanes.caffeine.cache.Interner;
import dev.patguard.token.Project;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The projects of a grant, compact and shared.
 *
 * <p>Each project is reduced to a {@link Scoped}: id, key and protected flag, what decisions and
 * reasons use (24 bytes, where a {@link Project} record takes 48). Scoped projects are interned, so
 * that every grant scoped to a project refers to one instance, its id and its key. A grant holds
 * its projects as a small array in the token's order; up to {@link #LINEAR_SCAN_LIMIT} projects,
 * {@link #scan} looks through it (for so few, faster than hashing and no extra objects). A larger
 * scope is a {@link ProjectScope} with hash sets of ids and keys, itself interned: tokens with the
 * same large scope share it, array and sets included.
 *
 * <p>The interners hold their values weakly: a project or scope lives as long as some cached grant
 * refers to it. They merge only equal values (record equality over id, key and flag; the same
 * projects in the same order for a scope), so interning never changes what a grant covers.
 */
final class ProjectScope {
  /**
   * Up to this many projects, a grant scans its array; above, it looks up a {@code ProjectScope}.
   */
  static final int LINEAR_SCAN_LIMIT = 8;

  static final Scoped[] NONE = new Scoped[0];

  private static final Interner<Scoped> PROJECTS = Interner.newWeakInterner();
  private static final Interner<ProjectScope> SCOPES = Interner.newWeakInterner();

  /**
   * What a grant keeps of a project.
   *
   * @param id the project id
   * @param key the project key, if BRMS sent one
   * @param isProtected BRMS's {@code protected} flag
   */
  record Scoped(UUID id, @Nullable String key, boolean isProtected) {
    /** The project as {@link Grant#projects()} shows it: id, key and flag, nothing else. */
    Project toProject() {
      return new Project(id, null, null, null, key, isProtected, null, null);
    }
  }

  final Scoped[] projects;
  private final Set<UUID> ids;
  private final Set<String> keys;
  private final int hash;

  private ProjectScope(Scoped[] projects) {
    this.projects = projects;
    Set<UUID> i = new HashSet<>();
    Set<String> k = new HashSet<>();
    for (Scoped p : projects) {
      i.add(p.id());
      if (p.key() != null) {
        k.add(p.key());
      }
    }
    this.ids = Set.copyOf(i);
    this.keys = Set.copyOf(k);
    this.hash = Arrays.hashCode(projects);
  }

  /** {@code projects} reduced and interned, in order (duplicates kept, as the token lists them). */
  static Scoped[] canonical(List<Project> projects) {
    if (projects.isEmpty()) {
      return NONE;
    }
    Scoped[] out = new Scoped[projects.size()];
    for (int i = 0; i < out.length; i++) {
      Project p = projects.get(i);
      out[i] = PROJECTS.intern(new Scoped(p.id(), p.key(), p.isProtected()));
    }
    return out;
  }

  /** The shared hashed scope over {@code canonical}, or {@code null} when a linear scan serves. */
  static @Nullable ProjectScope hashedOrNull(Scoped[] canonical) {
    return canonical.length <= LINEAR_SCAN_LIMIT
        ? null
        : SCOPES.intern(new ProjectScope(canonical));
  }

  /** Whether {@code project} is among {@code projects} (by id, or by key when named by key). */
  static boolean scan(Scoped[] projects, ProjectRef project) {
    UUID id = project.id();
    if (id != null) {
      return scanIds(projects, id);
    }
    String key = project.key();
    int hash = key.hashCode();
    for (Scoped p : projects) {
      String k = p.key();
      if (k != null && k.hashCode() == hash && k.equals(key)) {
        return true;
      }
    }
    return false;
  }

  static boolean scanIds(Scoped[] projects, UUID id) {
    for (Scoped p : projects) {
      if (p.id().equals(id)) {
        return true;
      }
    }
    return false;
  }

  /** The projects as {@link Project} records, in order. */
  static List<Project> toProjects(Scoped[] projects) {
    List<Project> out = new ArrayList<>(projects.length);
    for (Scoped p : projects) {
      out.add(p.toProject());
    }
    return List.copyOf(out);
  }

  boolean covers(ProjectRef project) {
    UUID id = project.id();
    return id != null ? ids.contains(id) : keys.contains(project.key());
  }

  boolean containsId(UUID id) {
    return ids.contains(id);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProjectScope other
        && hash == other.hash
        && Arrays.equals(projects, other.projects);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return "ProjectScope[" + projects.length + " projects]";
  }
}
