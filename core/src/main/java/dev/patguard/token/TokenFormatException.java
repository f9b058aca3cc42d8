package dev.patguard.token;

/**
 * BRMS answered with JSON that does not describe a token: a required field is missing, has the
 * wrong JSON type, or holds a value that cannot be read. The message names the field by its JSON
 * path (such as {@code $.user.id}) and never contains a secret.
 */
public final class TokenFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The JSON path of the offending value, such as {@code $.permissions[2]}. */
  private final String path;

  /**
   * Creates the exception; its message is {@code token JSON <path> <problem>}.
   *
   * @param path the JSON path of the offending value, such as {@code $.user.id}
   * @param problem what is wrong with it, such as {@code is missing}; never the value of a secret
   */
  public TokenFormatException(String path, String problem) {
    super("token JSON " + path + " " + problem);
    this.path = path;
  }

  /**
   * Creates the exception with the failure that made the value unreadable.
   *
   * @param path the JSON path of the offending value, such as {@code $.expiresAt}
   * @param problem what is wrong with it; never the value of a secret
   * @param cause the underlying failure, such as a {@link java.time.format.DateTimeParseException}
   */
  public TokenFormatException(String path, String problem, Throwable cause) {
    super("token JSON " + path + " " + problem, cause);
    this.path = path;
  }

  /**
   * The JSON path of the offending value, such as {@code $.permissions[2]}.
   *
   * @return the path, starting at {@code $}
   */
  public String path() {
    return path;
  }
}
