package dev.patguard;

/** BRMS answered 404: the user or token asked for does not exist (or no longer does). */
final class NotFoundException extends BrmsException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String message) {
    super(message, 404, null);
  }
}
