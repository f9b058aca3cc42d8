package dev.patguard;

/**
 * BRMS refused patguard's own admin credential (401 or 403 on an admin endpoint): an operator
 * problem — the credential is wrong, expired or not an admin's — not the caller's.
 */
final class BrmsCredentialException extends BrmsException {
  private static final long serialVersionUID = 1L;

  public BrmsCredentialException(String message, int status) {
    super(message, status, null);
  }
}
