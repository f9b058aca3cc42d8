package dev.patguard.receipt;

import java.util.Objects;

/**
 * A receipt was not accepted. {@link #reason()} says which check failed; the message says how,
 * naming header parameters and claims but never quoting the receipt's payload.
 */
public final class ReceiptVerificationException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Which check a receipt failed. */
  public enum Reason {
    /** Not a compact JWS with JSON header and payload, or a claim has the wrong type or value. */
    MALFORMED,
    /** The header names an algorithm other than ES256 (including {@code none} and HMAC). */
    ALGORITHM_NOT_ALLOWED,
    /** No verification key has the header's {@code kid}, or there is no {@code kid}. */
    UNKNOWN_KEY,
    /**
     * The signature does not verify with the key of that {@code kid}: altered, or signed by another
     * key.
     */
    BAD_SIGNATURE,
    /** The verifier's clock is at or past {@code exp} plus the allowed clock skew. */
    EXPIRED,
    /**
     * The verifier's clock is before {@code iat} minus the allowed clock skew, or not yet past
     * {@code nbf} minus it.
     */
    NOT_YET_VALID,
    /** A required claim is absent. */
    MISSING_CLAIM,
    /** The header's {@code typ} is not {@code patguard-receipt+jwt}: some other kind of JWT. */
    WRONG_TYPE
  }

  /** Which check failed. */
  private final Reason reason;

  ReceiptVerificationException(Reason reason, String message) {
    super(
        "receipt rejected ("
            + Objects.requireNonNull(reason, "reason must not be null")
            + "): "
            + message);
    this.reason = reason;
  }

  ReceiptVerificationException(Reason reason, String message, Throwable cause) {
    super(
        "receipt rejected ("
            + Objects.requireNonNull(reason, "reason must not be null")
            + "): "
            + message,
        cause);
    this.reason = reason;
  }

  /**
   * Which check failed.
   *
   * @return the reason, never null
   */
  public Reason reason() {
    return reason;
  }
}
