package dev.patguard;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * BRMS could not be asked, or did not answer as its API promises: 5xx, 408 or 429 after the
 * retries, a timeout, an I/O error, a redirect, an oversized or malformed body. Never a verdict on
 * the token: decisions made on it are {@code Indeterminate}.
 */
final class BrmsUnavailableException extends BrmsException {
  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Kind {
    /** Connecting or talking to BRMS failed (refused, reset, closed early). */
    UNREACHABLE,
    /** The deadline passed before BRMS answered. */
    TIMEOUT,
    /** BRMS answered 5xx, 408 or 429, on every attempt. */
    SERVER_ERROR,
    /**
     * BRMS answered, but not with the JSON its API promises (bad JSON, wrong content type, too
     * large, a redirect, an unexpected status).
     */
    MALFORMED_RESPONSE,
    /**
     * The base URL does not lead to a BRMS API (a 404 on the lookup path, HTML or JSON of another
     * shape, TLS against plain HTTP, an unknown host, a refusal by a remote host): retrying will
     * not help; the message says what to check.
     */
    MISCONFIGURED
  }

  private final Kind kind;

  public BrmsUnavailableException(
      Kind kind, String message, int status, @Nullable Throwable cause) {
    super(message, status, cause);
    this.kind = Objects.requireNonNull(kind, "kind must not be null");
  }

  /** What went wrong. */
  public Kind kind() {
    return kind;
  }
}
