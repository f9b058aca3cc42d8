package dev.patguard.servlet;

import dev.patguard.decision.ProjectRef;
import dev.patguard.decision.Requirement;
import dev.patguard.servlet.internal.QueryParams;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The project a request is decided on: read where its rule says (a path variable, a header or a
 * query parameter, never another source) as a bare key or UUID ({@link ProjectRef#parseBare}), or
 * the 400 for a value that is missing, repeated or not a bare key or UUID.
 *
 * @param requirement the rule's requirement on that project (the rule's own, for a rule without a
 *     project source); null when refused
 * @param refusal the 400 answer, or null
 */
record ProjectResolution(@Nullable Requirement requirement, @Nullable Problem refusal) {

  /** The requirement {@code base} of {@code match}'s rule on the project {@code req} names. */
  static ProjectResolution of(HttpServletRequest req, RouteMatch match, Requirement base) {
    ProjectSource source = match.rule() == null ? null : match.rule().project();
    if (source == null) {
      return new ProjectResolution(base, null);
    }
    String value;
    try {
      value = projectValue(req, source, match);
    } catch (IllegalArgumentException | QueryParams.MalformedQueryException e) {
      return new ProjectResolution(null, Problem.badProject(e.getMessage()));
    }
    try {
      // Bare keys and UUIDs only: a prefix (key:web-shop) would be authorized as web-shop while
      // the app, reading the same value, sees the literal key:web-shop.
      return new ProjectResolution(base.onProject(ProjectRef.parseBare(value)), null);
    } catch (IllegalArgumentException e) {
      return new ProjectResolution(
          null,
          Problem.badProject(
              "the project "
                  + source.from().text()
                  + " "
                  + source.name()
                  + " is not a bare project key or UUID (key: and id: prefixes are for policies only)"));
    }
  }

  private static String projectValue(HttpServletRequest req, ProjectSource source, RouteMatch match)
      throws QueryParams.MalformedQueryException {
    if (source.from() == ProjectSource.From.PATH) {
      String value = match.variables().get(source.name());
      if (value != null) {
        return value;
      }
    }
    List<String> values =
        switch (source.from()) {
          case PATH -> List.of();
          case HEADER ->
              req.getHeaders(source.name()) == null
                  ? List.of()
                  : Collections.list(req.getHeaders(source.name()));
          case QUERY -> QueryParams.values(req.getQueryString(), source.name());
        };
    if (values.size() != 1) {
      throw new IllegalArgumentException(
          (values.isEmpty() ? "no project: the " : "several projects: the ")
              + source.from().text()
              + " "
              + source.name()
              + (values.isEmpty() ? " is missing" : " is repeated"));
    }
    return values.get(0);
  }
}
