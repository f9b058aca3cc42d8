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
   * Matches a decoded, normalised path (starting with {@code /}), segment by segment in place: the
   * path is not split, literals are compared where they stand (so a template whose literal prefix
   * differs stops at the first different segment), and the variables are collected only once the
   * whole template matched, so a template that does not match allocates nothing.
   *
   * @return the variables' values, or null if the path does not match
   */
  public @Nullable Map<String, String> match(String path) {
    int n = segments.length;
    if (n == 0) {
      return tail || path.equals("/") ? Map.of() : null;
    }
    int length = path.length();
    int start = 1;
    int end = 0;
    for (int i = 0; i < n; i++) {
      if (start > length) {
        return null; // the path has fewer segments than the template
      }
      end = path.indexOf('/', start);
      if (end < 0) {
        end = length;
      }
      if (vars[i] == null) {
        String literal = segments[i];
        if (end - start != literal.length() || !path.startsWith(literal, start)) {
          return null;
        }
      } else if (end == start) {
        return null; // a variable matches one non-empty segment
      }
      start = end + 1;
    }
    if (end != length && !tail) {
      return null; // more segments than the template, and no "/**"
    }
    return variables.isEmpty() ? Map.of() : values(path);
  }

  /** The variables' values in a path {@link #match} accepted. */
  private Map<String, String> values(String path) {
    String onlyName = null;
    String onlyValue = null;
    Map<String, String> several = null;
    int start = 1;
    for (int i = 0; i < segments.length; i++) {
      int end = path.indexOf('/', start);
      if (end < 0) {
        end = path.length();
      }
      String var = vars[i];
      if (var != null) {
        String value = path.substring(start, end);
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
      start = end + 1;
    }
    if (several != null) {
      return Map.copyOf(several);
    }
    return Map.of(Objects.requireNonNull(onlyName), Objects.requireNonNull(onlyValue));
  }

  @Override
  public String toString() {
    return text;
  }
}
