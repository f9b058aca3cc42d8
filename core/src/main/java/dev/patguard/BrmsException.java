package dev.patguard;

import java.util.OptionalInt;

/**
 * BRMS could not give the facts asked for. Subclasses say why; the message names the endpoint and
 * status, never a secret or credential.
 */
abstract class BrmsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  BrmsException(String message, int status, @org.jspecify.annotations.Nullable Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** The HTTP status BRMS answered with, if it answered. */
  public OptionalInt status() {
    return status > 0 ? OptionalInt.of(status) : OptionalInt.empty();
  }
}
