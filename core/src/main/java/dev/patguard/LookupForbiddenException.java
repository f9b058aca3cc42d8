package dev.patguard;

/**
 * BRMS answered 403 to a token's request for its own facts: the token is live but may not read
 * them, so a self lookup cannot decide for it.
 */
final class LookupForbiddenException extends BrmsException {
  private static final long serialVersionUID = 1L;

  public LookupForbiddenException(String message) {
    super(message, 403, null);
  }
}
