package dev.patguard.http;

import dev.patguard.decision.ProjectRef;
import java.util.List;

/**
 * Reads the project a request names (a path variable, a header or a query parameter): exactly one
 * value, a bare project key or UUID ({@link ProjectRef#parseBare}). A {@code key:} or {@code id:}
 * prefix is refused: the check would be made on {@code web-shop} while the application, reading the
 * same value, sees the literal {@code key:web-shop}.
 */
public final class ProjectValue {
  private ProjectValue() {}

  /**
   * The one project among {@code values}.
   *
   * @param source where the values come from, for messages: {@code path projectId}, {@code header
   *     X-Project}, {@code query project}
   * @param values every value the request has there, in order
   * @return the project
   * @throws IllegalArgumentException with a one-line message for {@link Refusals#badProject} if
   *     there is no value, more than one, or one that is not a bare project key or UUID
   */
  public static ProjectRef single(String source, List<String> values) {
    if (values.size() != 1) {
      throw new IllegalArgumentException(
          (values.isEmpty() ? "no project: the " : "several projects: the ")
              + source
              + (values.isEmpty() ? " is missing" : " is repeated"));
    }
    try {
      return ProjectRef.parseBare(values.get(0));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "the project "
              + source
              + " is not a bare project key or UUID (key: and id: prefixes are for policies only)");
    }
  }
}
