package dev.patguard.servlet;

import dev.patguard.decision.Decision;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the filter did (or, in report-only mode, would have done) with one request.
 *
 * @param method the request method
 * @param path the path matched (context path stripped), or the raw request URI when it was refused
 * @param route the matched rule's {@code METHODS template}, or null when none matched
 * @param decision the decision, when one was made (no decision for public routes or malformed
 *     requests)
 * @param status the status the filter answered, or would have answered; 0 when it let the request
 *     through
 * @param problem the problem type slug ({@code invalid-token} …), or {@code pass}
 * @param reportOnly whether the filter was in report-only mode (and so let the request through)
 */
public record EnforcementEvent(
    String method,
    String path,
    @Nullable String route,
    @Nullable Decision decision,
    int status,
    String problem,
    boolean reportOnly) {
  /**
   * Checks the non-null parts.
   *
   * @param method the request method; not null
   * @param path the path matched, or the raw request URI when it was refused; not null
   * @param route the matched rule's {@code METHODS template}, or null
   * @param decision the decision, or null when none was made
   * @param status the status answered or that would have been; 0 when the request was let through
   * @param problem the problem type slug, or {@code pass}; not null
   * @param reportOnly whether the filter was in report-only mode
   * @throws NullPointerException if {@code method}, {@code path} or {@code problem} is null
   */
  public EnforcementEvent {
    Objects.requireNonNull(method, "method must not be null");
    Objects.requireNonNull(path, "path must not be null");
    Objects.requireNonNull(problem, "problem must not be null");
  }

  /**
   * Whether the request was (or would have been) refused.
   *
   * @return true when {@link #status()} is not 0; in report-only mode the request went through
   *     anyway
   */
  public boolean refused() {
    return status != 0;
  }
}
