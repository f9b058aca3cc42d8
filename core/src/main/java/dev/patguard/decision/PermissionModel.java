package dev.patguard.decision;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Which permissions imply which: a directed graph whose transitive closure is computed once, when
 * the model is built.
 *
 * <p>The {@linkplain #strict() strict} model, the default, holds only what the BRMS documentation
 * states: {@code owner} implies every permission, and {@code documents:full} implies {@code
 * documents:view-content}, {@code documents:edit-content} and {@code documents:edit-view}. Nothing
 * else: a bare name such as {@code releases} does not imply {@code releases:deploy}, nor the other
 * way round, because the docs do not say so. Add edges you know hold with {@link #builder()}, or
 * take the {@linkplain #hierarchical() hierarchical} preset, in which a bare name implies every
 * {@code name:*} child, known or not.
 *
 * <p>Cycles are allowed ({@code a → b → a} makes {@code a} and {@code b} equivalent). Matching is
 * exact and case-sensitive; no case folding happens anywhere, so the default locale cannot change a
 * decision.
 */
public final class PermissionModel {
  private static final PermissionModel STRICT = builder().build();
  private static final PermissionModel HIERARCHICAL = builder().hierarchical().build();

  /** Closure per name that is known or mentioned by an edge. */
  private final Map<String, Closure> closures;

  private final Map<String, Set<String>> edges;
  private final boolean hierarchical;

  /** What one name implies, itself included: bits over the known permissions, plus other names. */
  record Closure(long knownBits, Set<String> others) {}

  private PermissionModel(Map<String, Set<String>> edges, boolean hierarchical) {
    this.edges = edges;
    this.hierarchical = hierarchical;
    Map<String, Closure> computed = new HashMap<>();
    Set<String> nodes = new LinkedHashSet<>();
    for (Permission p : Permission.known()) {
      nodes.add(p.name());
    }
    edges.forEach(
        (from, tos) -> {
          nodes.add(from);
          nodes.addAll(tos);
        });
    for (String node : nodes) {
      computed.put(node, closureOf(node));
    }
    this.closures = Map.copyOf(computed);
  }

  /**
   * The default: only the implications the BRMS documentation states.
   *
   * @return the strict model (one shared, immutable instance)
   */
  public static PermissionModel strict() {
    return STRICT;
  }

  /**
   * The strict model plus: a bare name ({@code releases}) implies all its {@code releases:*}
   * children.
   *
   * @return the hierarchical model (one shared, immutable instance)
   */
  public static PermissionModel hierarchical() {
    return HIERARCHICAL;
  }

  /**
   * A builder that starts from the strict model's edges.
   *
   * @return a new builder; {@code build()} on it at once gives a model equal in effect to {@link
   *     #strict()}
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Whether a bare name implies its {@code name:*} children in this model.
   *
   * @return true for {@link #hierarchical()} and models built with {@link Builder#hierarchical()}
   */
  public boolean isHierarchical() {
    return hierarchical;
  }

  /**
   * Whether holding {@code granted} satisfies a need for {@code required}.
   *
   * @param granted a permission name the token holds, known or not
   * @param required a permission name that is needed, known or not
   * @return true if they are the same name, a path of edges leads from {@code granted} to {@code
   *     required}, or {@code granted} is {@code owner}; in a hierarchical model, also if {@code
   *     granted} implies {@code required}'s bare parent
   * @throws NullPointerException if either name is null
   */
  public boolean implies(String granted, String required) {
    Objects.requireNonNull(granted, "granted must not be null");
    Objects.requireNonNull(required, "required must not be null");
    Closure c = closure(granted);
    if ((c.knownBits & (1L << Permission.OWNER.index)) != 0) {
      return true; // owner implies every permission, unknown names included (as Grant.holds has it)
    }
    Permission known = Permission.knownOrNull(required);
    if (known != null ? (c.knownBits & (1L << known.index)) != 0 : c.others.contains(required)) {
      return true;
    }
    String parent = parentOf(required);
    return hierarchical && parent != null && implies(granted, parent);
  }

  /**
   * Every name {@code name} implies, itself included, sorted.
   *
   * @param name a permission name, known or not; a name no edge mentions implies only itself
   * @return the implied names, {@code name} among them; unmodifiable
   */
  public Set<String> impliedBy(String name) {
    Closure c = closure(name);
    TreeSet<String> names = new TreeSet<>(c.others);
    for (Permission p : Permission.known()) {
      if ((c.knownBits & (1L << p.index)) != 0) {
        names.add(p.name());
      }
    }
    return Collections.unmodifiableSortedSet(names);
  }

  /**
   * The closure of one granted name: precomputed when the graph mentions it, else the name alone.
   */
  Closure closure(String name) {
    Closure c = closures.get(name);
    if (c != null) {
      return c;
    }
    Permission known = Permission.knownOrNull(name);
    return known != null ? new Closure(1L << known.index, Set.of()) : new Closure(0, Set.of(name));
  }

  /** {@code releases} for {@code releases:deploy}; {@code null} for a bare name. */
  static @Nullable String parentOf(String name) {
    int colon = name.indexOf(':');
    return colon > 0 ? name.substring(0, colon) : null;
  }

  private Closure closureOf(String start) {
    long bits = 0;
    Set<String> others = new TreeSet<>();
    Set<String> seen = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>();
    todo.push(start);
    while (!todo.isEmpty()) {
      String name = todo.pop();
      if (!seen.add(name)) {
        continue; // cycles and diamonds end here
      }
      Permission known = Permission.knownOrNull(name);
      if (known != null) {
        bits |= 1L << known.index;
      } else {
        others.add(name);
      }
      todo.addAll(edges.getOrDefault(name, Set.of()));
    }
    return new Closure(bits, Set.copyOf(others));
  }

  @Override
  public String toString() {
    return "PermissionModel[" + (hierarchical ? "hierarchical, " : "") + "edges=" + edges + "]";
  }

  /** Adds implications to the strict model; each setting is checked as it is made. */
  public static final class Builder {
    private final Map<String, Set<String>> edges = new LinkedHashMap<>();
    private boolean hierarchical;

    private Builder() {
      for (Permission p : Permission.known()) {
        if (p != Permission.OWNER) {
          add(Permission.OWNER.name(), p.name());
        }
      }
      add("documents:full", "documents:view-content");
      add("documents:full", "documents:edit-content");
      add("documents:full", "documents:edit-view");
    }

    /**
     * States that holding {@code granted} satisfies a need for {@code implied}.
     *
     * @param granted the name that is held
     * @param implied the name it then satisfies (and, transitively, whatever that implies)
     * @return this builder
     * @throws IllegalArgumentException if either name is blank or contains whitespace
     */
    public Builder implies(String granted, String implied) {
      add(checkName(granted, "granted"), checkName(implied, "implied"));
      return this;
    }

    /**
     * Makes a bare name imply every {@code name:*} child, known or not.
     *
     * @return this builder
     */
    public Builder hierarchical() {
      this.hierarchical = true;
      for (Permission p : Permission.known()) {
        String parent = parentOf(p.name());
        if (parent != null) {
          add(parent, p.name());
        }
      }
      return this;
    }

    /**
     * Builds the model, computing every closure once; the model is immutable and thread-safe.
     *
     * @return a new model with the edges stated so far
     */
    public PermissionModel build() {
      Map<String, Set<String>> frozen = new LinkedHashMap<>();
      edges.forEach((from, tos) -> frozen.put(from, Set.copyOf(tos)));
      return new PermissionModel(Map.copyOf(frozen), hierarchical);
    }

    private void add(String from, String to) {
      edges.computeIfAbsent(from, k -> new LinkedHashSet<>()).add(to);
    }

    private static String checkName(@Nullable String name, String what) {
      Objects.requireNonNull(name, what + " must not be null");
      if (name.isBlank() || name.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException(
            what + " permission must be a non-blank name without whitespace, got \"" + name + "\"");
      }
      return name;
    }
  }
}
