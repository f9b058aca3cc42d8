package dev.patguard.decision;

import com.github.benmanes.caffeine.cache.Interner;
import dev.patguard.token.Project;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The projects of a grant, compact and shared.
 *
 * <p>Each project is reduced to id, key and protected flag (what decisions and reasons use) and
 * interned, so that every grant scoped to a project refers to one {@link Project} instance, its
 * id and its key. A grant holds its projects as a small array in the token's order; up to
 * {@link #LINEAR_SCAN_LIMIT} projects, {@link #covers} scans it (for so few, faster than hashing
 * and no extra objects). A larger scope is a {@link ProjectScope} with hash sets of ids and keys,
 * itself interned: tokens with the same large scope share it, array and sets included.
 *
 * <p>The interners hold their values weakly: a project or scope lives as long as some cached
 * grant refers to it. They merge only equal values ({@code Project}'s record equality over the
 * kept facts; the same projects in the same order for a scope), so interning never changes what
 * a grant covers.
 */
final class ProjectScope {
  /** Up to this many projects, a grant scans its array; above, it looks up a {@code ProjectScope}. */
  static final int LINEAR_SCAN_LIMIT = 8;

  static final Project[] NONE = new Project[0];

  private static final Interner<Project> PROJECTS = Interner.newWeakInterner();
  private static final Interner<ProjectScope> SCOPES = Interner.newWeakInterner();

  final Project[] projects;
  private final Set<UUID> ids;
  private final Set<String> keys;
  private final int hash;

  private ProjectScope(Project[] projects) {
    this.projects = projects;
    Set<UUID> i = new HashSet<>();
    Set<String> k = new HashSet<>();
    for (Project p : projects) {
      i.add(p.id());
      if (p.key() != null) {
        k.add(p.key());
      }
    }
    this.ids = Set.copyOf(i);
    this.keys = Set.copyOf(k);
    this.hash = Arrays.hashCode(projects);
  }

  /** The canonical instance of {@code p} reduced to id, key and protected flag. */
  static Project canonical(Project p) {
    return PROJECTS.intern(new Project(p.id(), null, null, null, p.key(), p.isProtected(), null, null));
  }

  /** {@code projects} reduced and interned, in order (duplicates kept, as the token lists them). */
  static Project[] canonical(List<Project> projects) {
    if (projects.isEmpty()) {
      return NONE;
    }
    Project[] out = new Project[projects.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = canonical(projects.get(i));
    }
    return out;
  }

  /** The shared hashed scope over {@code canonical}, or {@code null} when a linear scan serves. */
  static @Nullable ProjectScope hashedOrNull(Project[] canonical) {
    return canonical.length <= LINEAR_SCAN_LIMIT ? null : SCOPES.intern(new ProjectScope(canonical));
  }

  /** Whether {@code project} is among {@code projects} (by id, or by key when named by key). */
  static boolean scan(Project[] projects, ProjectRef project) {
    UUID id = project.id();
    if (id != null) {
      return scanIds(projects, id);
    }
    String key = project.key();
    for (Project p : projects) {
      if (p.key() != null && p.key().equals(key)) {
        return true;
      }
    }
    return false;
  }

  static boolean scanIds(Project[] projects, UUID id) {
    for (Project p : projects) {
      if (p.id().equals(id)) {
        return true;
      }
    }
    return false;
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
    return o instanceof ProjectScope other && hash == other.hash && Arrays.equals(projects, other.projects);
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
