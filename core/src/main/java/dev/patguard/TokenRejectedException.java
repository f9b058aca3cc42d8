package dev.patguard;

/**
 * BRMS answered 401 to a token's own request: the presented token is invalid, expired or revoked.
 */
final class TokenRejectedException extends BrmsException {
  private static final long serialVersionUID = 1L;

  public TokenRejectedException(String message) {
    super(message, 401, null);
  }
}
