package dev.patguard.servlet;

/**
 * A route policy is invalid. The message names the rule (1-based index, methods and path) and the
 * field, such as {@code policy rule #2 (POST /api/projects/{projectId}/deploy): field "project.from"
 * must be one of path, header, query; got "cookie"}.
 */
public final class PolicyException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public PolicyException(String message) {
    super(message);
  }

  public PolicyException(String message, Throwable cause) {
    super(message, cause);
  }
}
