package dev.patguard.token;

/**
 * BRMS answered with JSON that does not describe a token: a required field is missing, has the
 * wrong JSON type, or holds a value that cannot be read. The message names the field by its JSON
 * path (such as {@code $.user.id}) and never contains a secret.
 */
public final class TokenFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String path;

  public TokenFormatException(String path, String problem) {
    super("token JSON " + path + " " + problem);
    this.path = path;
  }

  public TokenFormatException(String path, String problem, Throwable cause) {
    super("token JSON " + path + " " + problem, cause);
    this.path = path;
  }

  /** The JSON path of the offending value, such as {@code $.permissions[2]}. */
  public String path() {
    return path;
  }
}
