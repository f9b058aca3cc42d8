package dev.patguard.servlet;

/**
 * A route policy is invalid. The message names the rule (1-based index, methods and path) and the
 * field, such as {@code policy rule #2 (POST /api/projects/{projectId}/deploy): field
 * "project.from" must be one of path, header, query; got "cookie"}.
 */
public final class PolicyException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /**
   * An invalid policy.
   *
   * @param message what is wrong, naming the policy, and the rule and field where there is one
   */
  public PolicyException(String message) {
    super(message);
  }

  /**
   * An invalid or unreadable policy, with the failure underneath: the I/O error of reading the
   * file, or the check a rule failed.
   *
   * @param message what is wrong, naming the policy, and the rule and field where there is one
   * @param cause the underlying failure
   */
  public PolicyException(String message, Throwable cause) {
    super(message, cause);
  }
}
