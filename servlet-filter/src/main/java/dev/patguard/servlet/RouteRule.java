package dev.patguard.servlet;

import dev.patguard.decision.Requirement;
import dev.patguard.servlet.internal.PathTemplate;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One rule of a {@link RoutePolicy}: methods and a path template, and either {@code public} or the
 * requirement a token must meet, with the project taken from {@code project}.
 *
 * @param methods the methods it applies to, upper case (such as {@code POST}); empty = every method
 * @param path the path template: literal segments, {@code {var}} segments (one segment each) and an
 *     optional trailing {@code /**}
 * @param requirement what a token needs (without a project when {@code project} is set); null for
 *     public rules
 * @param project where the project comes from; null when the requirement names none or a fixed one
 * @param isPublic whether the route needs no token at all
 */
public record RouteRule(
    Set<String> methods,
    String path,
    @Nullable Requirement requirement,
    @Nullable ProjectSource project,
    boolean isPublic) {
  private static final Pattern METHOD = Pattern.compile("[A-Z]+");

  /**
   * Checks the rule. Messages start with {@code field "name"} so that a policy file's errors can
   * name the rule and the field.
   *
   * @param methods upper-case method names, empty for every method; not null, copied
   * @param path the path template, starting with {@code /}; not null
   * @param requirement what a token needs; null exactly when {@code isPublic}
   * @param project where the project comes from; null for public rules, or when the requirement
   *     names no project or a fixed one; a path source must name a variable of {@code path}
   * @param isPublic whether the route needs no token at all
   * @throws NullPointerException if {@code methods} or {@code path} is null
   * @throws IllegalArgumentException if any part is invalid
   */
  public RouteRule {
    Objects.requireNonNull(methods, "methods must not be null");
    Objects.requireNonNull(path, "path must not be null");
    methods = Set.copyOf(new TreeSet<>(methods));
    for (String m : methods) {
      if (!METHOD.matcher(m).matches()) {
        throw new IllegalArgumentException(
            "field \"methods\" must hold upper-case method names such as GET; got \"" + m + "\"");
      }
    }
    PathTemplate template;
    try {
      template = PathTemplate.compile(path);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("field \"path\" " + e.getMessage(), e);
    }
    if (isPublic) {
      if (requirement != null || project != null) {
        throw new IllegalArgumentException(
            "field \"public\" is true, so \"requires\" and \"project\" must be absent");
      }
    } else {
      if (requirement == null) {
        throw new IllegalArgumentException(
            "field \"requires\" is missing (or set \"public\": true)");
      }
      if (project != null && requirement.project().isPresent()) {
        throw new IllegalArgumentException(
            "field \"requires\" names a fixed project (@"
                + requirement.project().get()
                + ") and \"project\" is set too; keep one");
      }
      if (project != null
          && project.from() == ProjectSource.From.PATH
          && !template.variables().contains(project.name())) {
        throw new IllegalArgumentException(
            "field \"project.name\" must be a variable of the path template "
                + template.variables()
                + "; got \""
                + project.name()
                + "\"");
      }
    }
  }

  /**
   * A rule needing {@code requirement} (text form, such as {@code releases:deploy}), project from
   * {@code project}.
   *
   * @param methods comma-separated upper-case names such as {@code "GET,HEAD"}; {@code "*"} or
   *     {@code ""} for every method
   * @param path the path template, starting with {@code /}
   * @param requirement the requirement in the form {@link Requirement#parse} reads
   * @param project where the project comes from, or null when the requirement names none or a fixed
   *     one
   * @return the checked rule
   * @throws IllegalArgumentException if any part is invalid, or the requirement cannot be read
   */
  public static RouteRule of(
      String methods, String path, String requirement, @Nullable ProjectSource project) {
    return new RouteRule(
        parseMethods(methods), path, Requirement.parse(requirement), project, false);
  }

  /**
   * A rule needing no token.
   *
   * @param methods comma-separated upper-case names such as {@code "GET,HEAD"}; {@code "*"} or
   *     {@code ""} for every method
   * @param path the path template, starting with {@code /}
   * @return the checked public rule
   * @throws IllegalArgumentException if the methods or the path are invalid
   */
  public static RouteRule publicRoute(String methods, String path) {
    return new RouteRule(parseMethods(methods), path, null, null, true);
  }

  /** {@code "*"} or {@code ""}: every method; otherwise comma-separated names. */
  static Set<String> parseMethods(String methods) {
    Objects.requireNonNull(methods, "methods must not be null");
    if (methods.isBlank() || methods.strip().equals("*")) {
      return Set.of();
    }
    Set<String> out = new TreeSet<>();
    for (String m : methods.split(",", -1)) {
      out.add(m.strip());
    }
    return out;
  }

  /**
   * Whether the rule applies to {@code method}.
   *
   * @param method the request method, compared exactly (case-sensitive)
   * @return true when the rule names {@code method} or applies to every method
   */
  public boolean appliesTo(String method) {
    return methods.isEmpty() || methods.contains(method);
  }

  /**
   * How messages and events name the rule.
   *
   * @return the methods, comma-separated ({@code *} for every method), a space and the path
   *     template, such as {@code POST /api/…}
   */
  public String label() {
    return (methods.isEmpty() ? "*" : String.join(",", new TreeSet<>(methods))) + " " + path;
  }
}
