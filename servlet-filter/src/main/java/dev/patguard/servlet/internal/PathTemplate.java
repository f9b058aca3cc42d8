package dev.patguard.servlet.internal;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
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
  private final boolean tail;
  private final Set<String> variables;

  private PathTemplate(String text, String[] segments, @Nullable String[] vars, boolean tail, Set<String> variables) {
    this.text = text;
    this.segments = segments;
    this.vars = vars;
    this.tail = tail;
    this.variables = Set.copyOf(variables);
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
          throw new IllegalArgumentException("variable {" + m.group(1) + "} appears twice in \"" + text + "\"");
        }
        vars[i] = m.group(1);
      } else if (p.isEmpty()) {
        throw new IllegalArgumentException("empty segment (\"//\" or a trailing '/') in \"" + text + "\"");
      } else if (p.equals(".") || p.equals("..")) {
        throw new IllegalArgumentException("'.' and '..' segments are not allowed in \"" + text + "\"");
      } else if (p.contains("*")) {
        throw new IllegalArgumentException("'**' is only allowed as the whole last segment (\"/**\") in \""
            + text + "\"");
      } else if (!LITERAL.matcher(p).matches()) {
        throw new IllegalArgumentException("segment \"" + p + "\" of \"" + text + "\" is neither a {variable}"
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
    return match(segmentsOf(path));
  }

  /** The segments of a normalised path, split once so that every template can match them. */
  public static String[] segmentsOf(String path) {
    return path.equals("/") ? new String[0] : path.substring(1).split("/", -1);
  }

  /**
   * Matches already split segments (see {@link #segmentsOf}). Literals are compared first and the
   * variables are collected only once the whole template matched, so a rule that does not match
   * costs no allocation.
   */
  public @Nullable Map<String, String> match(String[] parts) {
    if (tail ? parts.length < segments.length : parts.length != segments.length) {
      return null;
    }
    for (int i = 0; i < segments.length; i++) {
      if (vars[i] == null ? !segments[i].equals(parts[i]) : parts[i].isEmpty()) {
        return null;
      }
    }
    if (variables.isEmpty()) {
      return Map.of();
    }
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < segments.length; i++) {
      String var = vars[i];
      if (var != null) {
        values.put(var, parts[i]);
      }
    }
    return Map.copyOf(values);
  }

  @Override
  public String toString() {
    return text;
  }
}
