package dev.patguard.servlet.internal;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A compiled path template such as {@code /api/projects/{projectId}/releases/deploy}: literal
 * segments (case-sensitive), {@code {var}} segments matching exactly one non-empty segment, and an
 * optional trailing {@code /**} matching zero or more segments.
 */
public final class PathTemplate {
  private static final Pattern LITERAL = Pattern.compile("[A-Za-z0-9._~!$&'()*+,=:@-]+");
  private static final Pattern VAR = Pattern.compile("\\{([A-Za-z][A-Za-z0-9_]*)}");

  private final String text;
  private final String[] segments;
  private final @Nullable String[] vars;

  /**
   * {@link #keyOf} each literal segment, 0 for variables: most segments are told apart by these.
   */
  private final int[] keys;

  private final boolean tail;
  private final Set<String> variables;

  private PathTemplate(
      String text,
      String[] segments,
      @Nullable String[] vars,
      boolean tail,
      Set<String> variables) {
    this.text = text;
    this.segments = segments;
    this.vars = vars;
    this.tail = tail;
    this.variables = Set.copyOf(variables);
    this.keys = new int[segments.length];
    for (int i = 0; i < segments.length; i++) {
      keys[i] = vars[i] == null ? keyOf(segments[i], 0, segments[i].length()) : 0;
    }
  }

  /**
   * Compiles {@code text}.
   *
   * @throws IllegalArgumentException saying what is wrong (without a field prefix)
   */
  public static PathTemplate compile(String text) {
    if (text.isEmpty() || text.charAt(0) != '/') {
      throw new IllegalArgumentException("must start with '/'; got \"" + text + "\"");
    }
    if (text.equals("/")) {
      return new PathTemplate(text, new String[0], new String[0], false, Set.of());
    }
    String[] parts = text.substring(1).split("/", -1);
    boolean tail = parts[parts.length - 1].equals("**");
    int n = tail ? parts.length - 1 : parts.length;
    String[] segs = new String[n];
    String[] vars = new String[n];
    Set<String> names = new LinkedHashSet<>();
    for (int i = 0; i < n; i++) {
      String p = parts[i];
      var m = VAR.matcher(p);
      if (m.matches()) {
        if (!names.add(m.group(1))) {
          throw new IllegalArgumentException(
              "variable {" + m.group(1) + "} appears twice in \"" + text + "\"");
        }
        vars[i] = m.group(1);
      } else if (p.isEmpty()) {
        throw new IllegalArgumentException(
            "empty segment (\"//\" or a trailing '/') in \"" + text + "\"");
      } else if (p.equals(".") || p.equals("..")) {
        throw new IllegalArgumentException(
            "'.' and '..' segments are not allowed in \"" + text + "\"");
      } else if (p.contains("*")) {
        throw new IllegalArgumentException(
            "'**' is only allowed as the whole last segment (\"/**\") in \"" + text + "\"");
      } else if (!LITERAL.matcher(p).matches()) {
        throw new IllegalArgumentException(
            "segment \""
                + p
                + "\" of \""
                + text
                + "\" is neither a {variable}"
                + " nor a literal of letters, digits and -._~!$&'()+,=:@ (no '%', ';', '\\', '{', '}')");
      }
      segs[i] = p;
    }
    return new PathTemplate(text, segs, vars, tail, names);
  }

  /** The variable names. */
  public Set<String> variables() {
    return variables;
  }

  /**
   * Matches a decoded, normalised path (starting with {@code /}).
   *
   * @return the variables' values, or null if the path does not match
   */
  public @Nullable Map<String, String> match(String path) {
    return match(Segments.of(path));
  }

  /**
   * Matches a path cut by {@link Segments#of}. Literal segments are compared by {@link #keyOf key}
   * first, then in place in the path (no substring); the variables are collected only once the
   * whole template matched, so a template that does not match allocates nothing.
   *
   * @return the variables' values, or null if the path does not match
   */
  public @Nullable Map<String, String> match(Segments path) {
    int n = segments.length;
    if (tail ? path.count < n : path.count != n) {
      return null;
    }
    for (int i = 0; i < n; i++) {
      if (vars[i] == null ? path.keys[i] != keys[i] : path.length(i) == 0) {
        return null; // another literal, or an empty segment for a variable
      }
    }
    for (int i = 0; i < n; i++) {
      String literal = segments[i];
      if (vars[i] == null
          && (path.length(i) != literal.length()
              || !path.path.startsWith(literal, path.start(i)))) {
        return null; // same key, other text
      }
    }
    return variables.isEmpty() ? Map.of() : values(path);
  }

  /**
   * A cheap key of {@code text[start, end)}: its length and its first, middle and last characters.
   * Equal segments have equal keys, so a literal whose key differs from a segment's is not that
   * segment; equal keys are then compared in full. Unlike {@code String.hashCode} it costs the same
   * for any length (the path is keyed once a request, every template compares keys).
   */
  static int keyOf(String text, int start, int end) {
    int n = end - start;
    if (n == 0) {
      return 0;
    }
    return ((n * 31 + text.charAt(start)) * 31 + text.charAt(start + n / 2)) * 31
        + text.charAt(end - 1);
  }

  /** The variables' values in a path {@link #match} accepted. */
  private Map<String, String> values(Segments path) {
    String onlyName = null;
    String onlyValue = null;
    Map<String, String> several = null;
    for (int i = 0; i < segments.length; i++) {
      String var = vars[i];
      if (var != null) {
        String value = path.path.substring(path.start(i), path.start(i) + path.length(i));
        if (onlyName == null) {
          onlyName = var;
          onlyValue = value;
        } else {
          if (several == null) {
            several = new HashMap<>();
            several.put(onlyName, onlyValue);
          }
          several.put(var, value);
        }
      }
    }
    if (several != null) {
      return Map.copyOf(several);
    }
    return Map.of(Objects.requireNonNull(onlyName), Objects.requireNonNull(onlyValue));
  }

  /**
   * A normalised path cut into its segments once, so that every template can match it in place:
   * where each segment lies and its {@link #keyOf key}, without the strings. The segments are those
   * {@code path.substring(1).split("/", -1)} would give ({@code "/"} has none).
   */
  public static final class Segments {
    final String path;
    final int count;

    /** Segment {@code i} is {@code path[bounds[i] + 1, bounds[i + 1])}. */
    private final int[] bounds;

    final int[] keys;

    private Segments(String path, int count, int[] bounds, int[] keys) {
      this.path = path;
      this.count = count;
      this.bounds = bounds;
      this.keys = keys;
    }

    /**
     * Cuts {@code path} (starting with {@code /}; the first character is taken as the leading
     * {@code /} whatever it is, as the split did).
     *
     * @throws IllegalArgumentException if the path is empty
     */
    public static Segments of(String path) {
      if (path.isEmpty()) {
        throw new IllegalArgumentException("the path is empty");
      }
      if (path.equals("/")) {
        return new Segments(path, 0, new int[] {0}, new int[0]);
      }
      int length = path.length();
      int count = 1;
      for (int i = 1; i < length; i++) {
        if (path.charAt(i) == '/') {
          count++;
        }
      }
      int[] bounds = new int[count + 1];
      int[] keys = new int[count];
      int k = 0;
      for (int i = 1; i < length; i++) {
        if (path.charAt(i) == '/') {
          bounds[++k] = i;
        }
      }
      bounds[count] = length;
      for (int i = 0; i < count; i++) {
        keys[i] = keyOf(path, bounds[i] + 1, bounds[i + 1]);
      }
      return new Segments(path, count, bounds, keys);
    }

    int start(int i) {
      return bounds[i] + 1;
    }

    int length(int i) {
      return bounds[i + 1] - bounds[i] - 1;
    }
  }

  @Override
  public String toString() {
    return text;
  }
}
