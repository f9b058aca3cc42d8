package dev.patguard.servlet;

import dev.patguard.decision.ProjectRef;
import dev.patguard.decision.Requirement;
import dev.patguard.http.ProjectValue;
import dev.patguard.http.RawQuery;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The project a request is decided on: read where its rule says (a path variable, a header or a
 * query parameter, never another source) as a bare key or UUID ({@link ProjectValue#single}), or
 * why the request is refused (400) for a value that is missing, repeated or not a bare key or UUID.
 *
 * @param requirement the rule's requirement on that project (the rule's own, for a rule without a
 *     project source); null when refused
 * @param problem the one-line detail of the 400 answer ({@code Refusals.badProject}), or null
 */
record ProjectResolution(@Nullable Requirement requirement, @Nullable String problem) {

  /** The requirement {@code base} of {@code match}'s rule on the project {@code req} names. */
  static ProjectResolution of(HttpServletRequest req, RouteMatch match, Requirement base) {
    ProjectSource source = match.rule() == null ? null : match.rule().project();
    if (source == null) {
      return new ProjectResolution(base, null);
    }
    try {
      // Bare keys and UUIDs only: a prefix (key:web-shop) would be authorized as web-shop while
      // the app, reading the same value, sees the literal key:web-shop.
      ProjectRef project =
          ProjectValue.single(
              source.from().text() + " " + source.name(), values(req, source, match));
      return new ProjectResolution(base.onProject(project), null);
    } catch (IllegalArgumentException e) {
      return new ProjectResolution(null, e.getMessage());
    }
  }

  /** Every value the request has where {@code source} says (a malformed query throws). */
  private static List<String> values(
      HttpServletRequest req, ProjectSource source, RouteMatch match) {
    return switch (source.from()) {
      case PATH -> {
        String value = match.variables().get(source.name());
        yield value == null ? List.of() : List.of(value);
      }
      case HEADER ->
          req.getHeaders(source.name()) == null
              ? List.of()
              : Collections.list(req.getHeaders(source.name()));
      case QUERY -> RawQuery.values(req.getQueryString(), source.name());
    };
  }
}
