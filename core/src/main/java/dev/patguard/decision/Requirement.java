package dev.patguard.decision;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What an action needs: all of some permissions (or any one of them), optionally on a project.
 *
 * <p>Text form, as in CLI arguments, policy files and annotations ({@link #parse(String)}):
 *
 * <pre>
 *   releases:deploy@web-shop                 one permission on the project with key web-shop
 *   releases:deploy,releases:manage@web-shop all of them
 *   releases:deploy|owner@web-shop           any one of them
 *   releases:deploy@3c90c3cc-0d44-4b50-8888-8dd25736052a   project by id (any UUID-shaped name)
 *   releases:deploy                          no project: the permission alone decides
 *   authenticated@web-shop                   no permission: any live token covering web-shop
 * </pre>
 *
 * Permission names are letters, digits and {@code . _ -}, in segments joined by {@code :}; they are
 * matched exactly, so a typo matches nothing (fail closed). Instances are immutable values,
 * compiled once against the known permissions so that a decision needs no allocation.
 */
public final class Requirement {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+(:[A-Za-z0-9._-]+)*");

  /** How the permissions combine. */
  public enum Match {
    /** Every permission is needed. */
    ALL_OF,
    /** Any one permission suffices. */
    ANY_OF
  }

  private static final String AUTHENTICATED_TEXT = "authenticated";
  private static final Requirement AUTHENTICATED = new Requirement(List.of(), Match.ALL_OF, null);

  private final List<String> permissions;
  private final Match match;
  private final @Nullable ProjectRef project;
  // Compiled form: bits of the known permissions, plus the other names and their parents.
  final long knownBits;
  final String[] otherNames;
  final @Nullable String[] otherParents;

  private Requirement(List<String> permissions, Match match, @Nullable ProjectRef project) {
    this.permissions = List.copyOf(permissions);
    // With one permission (or none) "any of" and "all of" mean the same; the text form cannot
    // tell them apart, so normalise to ALL_OF to keep parse(toString()) equal to the original.
    this.match = this.permissions.size() <= 1 ? Match.ALL_OF : match;
    this.project = project;
    long bits = 0;
    List<String> others = new ArrayList<>();
    for (String name : this.permissions) {
      Permission known = Permission.knownOrNull(name);
      if (known != null) {
        bits |= 1L << known.index;
      } else {
        others.add(name);
      }
    }
    this.knownBits = bits;
    this.otherNames = others.toArray(String[]::new);
    this.otherParents = new String[otherNames.length];
    for (int i = 0; i < otherNames.length; i++) {
      otherParents[i] = PermissionModel.parentOf(otherNames[i]);
    }
  }

  /**
   * {@code base} on {@code project}: its compiled form is shared, since filters and authorization
   * managers make one of these per request.
   */
  private Requirement(Requirement base, ProjectRef project) {
    this.permissions = base.permissions;
    this.match = base.match;
    this.project = project;
    this.knownBits = base.knownBits;
    this.otherNames = base.otherNames;
    this.otherParents = base.otherParents;
  }

  /**
   * Every one of {@code permissions} is needed.
   *
   * @param permissions the names, at least one: letters, digits and {@code . _ -} in segments
   *     joined by {@code :}; duplicates are dropped
   * @return the requirement, on no project
   * @throws IllegalArgumentException if there is no name or a name is not a permission name
   * @throws NullPointerException if a name is null
   */
  public static Requirement allOf(String... permissions) {
    return new Requirement(checkNames(List.of(permissions)), Match.ALL_OF, null);
  }

  /**
   * Any one of {@code permissions} suffices.
   *
   * @param permissions the names, at least one: letters, digits and {@code . _ -} in segments
   *     joined by {@code :}; duplicates are dropped
   * @return the requirement, on no project; with a single name, the same as {@link
   *     #allOf(String...)}
   * @throws IllegalArgumentException if there is no name or a name is not a permission name
   * @throws NullPointerException if a name is null
   */
  public static Requirement anyOf(String... permissions) {
    return new Requirement(checkNames(List.of(permissions)), Match.ANY_OF, null);
  }

  /**
   * Every one of {@code permissions} is needed.
   *
   * @param permissions the permissions, at least one; duplicates are dropped
   * @return the requirement, on no project
   * @throws IllegalArgumentException if there is no permission, or an unknown one's name is not a
   *     permission name
   * @throws NullPointerException if a permission is null
   */
  public static Requirement allOf(Permission... permissions) {
    List<String> names = new ArrayList<>();
    for (Permission p : permissions) {
      names.add(p.name());
    }
    return allOf(names.toArray(String[]::new));
  }

  /**
   * No permission, no project: any live token of an active owner. What a filter uses for routes
   * that only need an authenticated caller.
   *
   * @return the requirement {@code authenticated} (one shared instance)
   */
  public static Requirement authenticated() {
    return AUTHENTICATED;
  }

  /**
   * A builder, for requirements assembled from configuration.
   *
   * @return a new builder: no permission yet, all of them needed, no project
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads the text form (see the class comment).
   *
   * @param text the text form; white space around it and around each name is ignored
   * @return the requirement; {@link #toString()} writes it back in normal form
   * @throws RequirementFormatException quoting the text and saying what is wrong
   */
  public static Requirement parse(String text) {
    Objects.requireNonNull(text, "requirement text must not be null");
    String trimmed = text.strip();
    if (trimmed.isEmpty()) {
      throw new RequirementFormatException(
          text, "it is empty; expected e.g. releases:deploy@web-shop");
    }
    int at = trimmed.indexOf('@');
    if (at != trimmed.lastIndexOf('@')) {
      throw new RequirementFormatException(text, "more than one '@'");
    }
    String perms = at < 0 ? trimmed : trimmed.substring(0, at);
    ProjectRef project = null;
    if (at >= 0) {
      String p = trimmed.substring(at + 1);
      if (p.isEmpty()) {
        throw new RequirementFormatException(text, "nothing after '@'; name a project key or id");
      }
      try {
        project = ProjectRef.parse(p);
      } catch (IllegalArgumentException e) {
        throw new RequirementFormatException(text, e.getMessage());
      }
    }
    if (perms.strip().equals(AUTHENTICATED_TEXT)) {
      return new Requirement(List.of(), Match.ALL_OF, project);
    }
    boolean hasAll = perms.indexOf(',') >= 0;
    boolean hasAny = perms.indexOf('|') >= 0;
    if (hasAll && hasAny) {
      throw new RequirementFormatException(text, "mixes ',' (all of) and '|' (any of)");
    }
    Match match = hasAny ? Match.ANY_OF : Match.ALL_OF;
    List<String> names = new ArrayList<>();
    for (String part : perms.split(hasAny ? "\\|" : ",", -1)) {
      String name = part.strip();
      if (name.isEmpty()) {
        throw new RequirementFormatException(text, "an empty permission name");
      }
      if (!NAME.matcher(name).matches()) {
        throw new RequirementFormatException(
            text,
            "\""
                + name
                + "\" is not a permission name"
                + " (letters, digits, '.', '_' or '-', in segments joined by ':')");
      }
      names.add(name);
    }
    return new Requirement(dedupe(names), match, project);
  }

  /**
   * The same permissions, on {@code project}.
   *
   * @param project the project the action is on
   * @return a new requirement; this one is unchanged
   * @throws NullPointerException if {@code project} is null
   */
  public Requirement onProject(ProjectRef project) {
    Objects.requireNonNull(project, "project must not be null");
    return new Requirement(this, project);
  }

  /**
   * The same permissions, on the project with this key (or id, if UUID-shaped).
   *
   * @param project a project key or UUID, or either with a {@code key:} or {@code id:} prefix;
   *     never a value taken from a request
   * @return a new requirement; this one is unchanged
   * @throws IllegalArgumentException if {@code project} is neither a valid key nor an id
   */
  public Requirement onProject(String project) {
    return onProject(ProjectRef.parse(project));
  }

  /**
   * The permission names, in the order given, without duplicates.
   *
   * @return the names, unmodifiable; empty only for an {@linkplain #isAuthenticatedOnly()
   *     authenticated-only} requirement
   */
  public List<String> permissions() {
    return permissions;
  }

  /**
   * How the permissions combine.
   *
   * @return {@link Match#ANY_OF} only when there are several names and any one suffices; otherwise
   *     {@link Match#ALL_OF}
   */
  public Match match() {
    return match;
  }

  /**
   * The project the action is on, if any.
   *
   * @return the project, or empty when the permissions alone decide
   */
  public Optional<ProjectRef> project() {
    return Optional.ofNullable(project);
  }

  @Nullable ProjectRef projectOrNull() {
    return project;
  }

  /**
   * Whether this needs no permission at all (see {@link #authenticated()}).
   *
   * @return true if no permission is needed: any live token of an active owner that covers the
   *     named project, if there is one, is permitted
   */
  public boolean isAuthenticatedOnly() {
    return permissions.isEmpty();
  }

  /** The text form, which {@link #parse(String)} reads back to an equal requirement. */
  @Override
  public String toString() {
    String names =
        permissions.isEmpty()
            ? AUTHENTICATED_TEXT
            : String.join(match == Match.ANY_OF ? "|" : ",", permissions);
    return project == null ? names : names + "@" + project;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Requirement other
        && permissions.equals(other.permissions)
        && match == other.match
        && Objects.equals(project, other.project);
  }

  @Override
  public int hashCode() {
    return Objects.hash(permissions, match, project);
  }

  private static List<String> checkNames(List<String> names) {
    if (names.isEmpty()) {
      throw new IllegalArgumentException(
          "a requirement needs at least one permission; use Requirement.authenticated() for none");
    }
    for (String name : names) {
      Objects.requireNonNull(name, "permission name must not be null");
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "\""
                + name
                + "\" is not a permission name"
                + " (letters, digits, '.', '_' or '-', in segments joined by ':')");
      }
    }
    return dedupe(names);
  }

  private static List<String> dedupe(List<String> names) {
    Set<String> unique = new LinkedHashSet<>(names);
    return List.copyOf(unique);
  }

  /** Assembles a requirement; each setting is checked as it is made. */
  public static final class Builder {
    private final List<String> permissions = new ArrayList<>();
    private Match match = Match.ALL_OF;
    private @Nullable ProjectRef project;

    private Builder() {}

    /**
     * Adds a needed permission.
     *
     * @param name the name: letters, digits and {@code . _ -} in segments joined by {@code :}
     * @return this builder
     * @throws IllegalArgumentException if {@code name} is not a permission name
     * @throws NullPointerException if {@code name} is null
     */
    public Builder permission(String name) {
      permissions.addAll(
          checkNames(List.of(Objects.requireNonNull(name, "permission must not be null"))));
      return this;
    }

    /**
     * Adds needed permissions.
     *
     * @param names the names, at least one: letters, digits and {@code . _ -} in segments joined by
     *     {@code :}
     * @return this builder
     * @throws IllegalArgumentException if there is no name or a name is not a permission name
     * @throws NullPointerException if a name is null
     */
    public Builder permissions(String... names) {
      permissions.addAll(checkNames(List.of(names)));
      return this;
    }

    /**
     * How the permissions combine (default: all of them).
     *
     * @param match all of them, or any one; with a single permission the two are the same
     * @return this builder
     */
    public Builder match(Match match) {
      this.match = Objects.requireNonNull(match, "match must not be null");
      return this;
    }

    /**
     * The project the action is on.
     *
     * @param project the project; replaces one set before
     * @return this builder
     */
    public Builder project(ProjectRef project) {
      this.project = Objects.requireNonNull(project, "project must not be null");
      return this;
    }

    /**
     * The project the action is on, by key (or id, if UUID-shaped).
     *
     * @param project a project key or UUID, or either with a {@code key:} or {@code id:} prefix
     * @return this builder
     * @throws IllegalArgumentException if {@code project} is neither a valid key nor an id
     */
    public Builder project(String project) {
      return project(ProjectRef.parse(project));
    }

    /**
     * Builds the requirement; the builder may go on and build others.
     *
     * @return a new requirement, duplicates dropped
     * @throws IllegalStateException if no permission was added (use {@link
     *     Requirement#authenticated()})
     */
    public Requirement build() {
      if (permissions.isEmpty()) {
        throw new IllegalStateException(
            "a requirement needs at least one permission; use Requirement.authenticated() for none");
      }
      return new Requirement(dedupe(permissions), match, project);
    }
  }
}
