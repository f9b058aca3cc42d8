package dev.patguard.decision;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A BRMS permission name.
 *
 * <p>The 19 names the BRMS documentation lists are constants here; any other string BRMS sends is
 * an <em>unknown</em> permission, kept verbatim, which matches only itself. Matching is exact and
 * case-sensitive: {@code Releases:Deploy} is not {@code releases:deploy}, and {@code
 * releases:deploy-admin} is not {@code releases:deploy} either.
 */
public final class Permission implements Comparable<Permission> {
  private static final Map<String, Permission> KNOWN_BY_NAME = new HashMap<>();

  /** {@code owner}: implies every other permission, unknown names included, in every model. */
  public static final Permission OWNER = known("owner");

  /**
   * {@code documents}: decision documents (BRMS projects v1); implies its children only in the
   * hierarchical model.
   */
  public static final Permission DOCUMENTS = known("documents");

  /**
   * {@code releases}: creating and managing releases; implies its children only in the hierarchical
   * model.
   */
  public static final Permission RELEASES = known("releases");

  /** {@code releases:manage}, a child of {@code releases}. */
  public static final Permission RELEASES_MANAGE = known("releases:manage");

  /** {@code releases:deploy}, a child of {@code releases}: what a deploy gate usually requires. */
  public static final Permission RELEASES_DEPLOY = known("releases:deploy");

  /** {@code releases:delete}, a child of {@code releases}. */
  public static final Permission RELEASES_DELETE = known("releases:delete");

  /** Deprecated by BRMS, still sent. */
  public static final Permission INTEGRATIONS_MANAGE = known("integrations:manage");

  /**
   * {@code documents:full}: implies {@code documents:view-content}, {@code documents:edit-content}
   * and {@code documents:edit-view} in every model, as the BRMS documentation states.
   */
  public static final Permission DOCUMENTS_FULL = known("documents:full");

  /**
   * {@code documents:view-content}, a child of {@code documents}; implied by {@code
   * documents:full}.
   */
  public static final Permission DOCUMENTS_VIEW_CONTENT = known("documents:view-content");

  /**
   * {@code documents:edit-content}, a child of {@code documents}; implied by {@code
   * documents:full}.
   */
  public static final Permission DOCUMENTS_EDIT_CONTENT = known("documents:edit-content");

  /**
   * {@code documents:edit-view}, a child of {@code documents}; implied by {@code documents:full}.
   */
  public static final Permission DOCUMENTS_EDIT_VIEW = known("documents:edit-view");

  /**
   * {@code branches}: branches (BRMS projects v2); implies its children only in the hierarchical
   * model.
   */
  public static final Permission BRANCHES = known("branches");

  /** {@code branches:create}, a child of {@code branches}. */
  public static final Permission BRANCHES_CREATE = known("branches:create");

  /** {@code branches:merge}, a child of {@code branches}. */
  public static final Permission BRANCHES_MERGE = known("branches:merge");

  /** {@code branches:delete}, a child of {@code branches}. */
  public static final Permission BRANCHES_DELETE = known("branches:delete");

  /** {@code project:manage}: a project's members, groups, tokens, approvers and configuration. */
  public static final Permission PROJECT_MANAGE = known("project:manage");

  /**
   * {@code environments}: configuring and deploying to environments; implies its children only in
   * the hierarchical model.
   */
  public static final Permission ENVIRONMENTS = known("environments");

  /** {@code environments:manage}, a child of {@code environments}. */
  public static final Permission ENVIRONMENTS_MANAGE = known("environments:manage");

  /** {@code environments:delete}, a child of {@code environments}. */
  public static final Permission ENVIRONMENTS_DELETE = known("environments:delete");

  private static final List<Permission> KNOWN =
      List.of(
          OWNER,
          DOCUMENTS,
          RELEASES,
          RELEASES_MANAGE,
          RELEASES_DEPLOY,
          RELEASES_DELETE,
          INTEGRATIONS_MANAGE,
          DOCUMENTS_FULL,
          DOCUMENTS_VIEW_CONTENT,
          DOCUMENTS_EDIT_CONTENT,
          DOCUMENTS_EDIT_VIEW,
          BRANCHES,
          BRANCHES_CREATE,
          BRANCHES_MERGE,
          BRANCHES_DELETE,
          PROJECT_MANAGE,
          ENVIRONMENTS,
          ENVIRONMENTS_MANAGE,
          ENVIRONMENTS_DELETE);

  /** Bits of every known permission: {@code owner}'s closure. */
  static final long ALL_KNOWN_BITS = (1L << KNOWN_BY_NAME.size()) - 1;

  private final String name;

  /** Position among the known permissions (the bit a grant uses), or -1 when unknown. */
  final int index;

  private Permission(String name, int index) {
    this.name = name;
    this.index = index;
  }

  private static Permission known(String name) {
    Permission p = new Permission(name, KNOWN_BY_NAME.size());
    KNOWN_BY_NAME.put(name, p);
    return p;
  }

  /**
   * The permission named {@code name}: the constant when it is one of the 19 known names, else an
   * unknown permission carrying the name verbatim.
   *
   * @param name the name, matched exactly and case-sensitively
   * @return the known constant, or a new unknown permission equal to any other of the same name
   * @throws NullPointerException if {@code name} is null
   */
  public static Permission of(String name) {
    Objects.requireNonNull(name, "permission name must not be null");
    Permission known = KNOWN_BY_NAME.get(name);
    return known != null ? known : new Permission(name, -1);
  }

  /**
   * The known permissions, in the order the BRMS documentation lists them.
   *
   * @return the 19 constants, unmodifiable
   */
  public static List<Permission> known() {
    return KNOWN;
  }

  /** The known permission named exactly {@code name}, or {@code null}. */
  static @Nullable Permission knownOrNull(String name) {
    return KNOWN_BY_NAME.get(name);
  }

  /**
   * The name, verbatim.
   *
   * @return the name exactly as BRMS sends it (also what {@link #toString()} returns)
   */
  public String name() {
    return name;
  }

  /**
   * Whether this is one of the 19 names the BRMS documentation lists.
   *
   * @return true for the constants, false for any other name
   */
  public boolean isKnown() {
    return index >= 0;
  }

  @Override
  public int compareTo(Permission other) {
    return name.compareTo(other.name);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Permission other && name.equals(other.name);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  @Override
  public String toString() {
    return name;
  }
}
