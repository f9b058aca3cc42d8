package dev.patguard.decision;

/** Why no decision could be reached. Each one fails closed. */
public enum IndeterminateCause {
  /** BRMS answered 5xx, 429 or 408 after the retries, or could not be reached. */
  BRMS_UNAVAILABLE,
  /** The overall deadline passed before BRMS answered. */
  TIMEOUT,
  /**
   * BRMS answered, but not with what its API promises (bad JSON, wrong type, too large, a
   * redirect).
   */
  MALFORMED_RESPONSE,
  /**
   * The configured BRMS base URL does not lead to a BRMS API: the lookup path answered 404, HTML or
   * JSON of another shape, TLS met a plain-HTTP port, the host name does not resolve, or a host
   * other than this machine refused the connection. An operator must fix the configuration;
   * retrying will not help. The detail names the host and what to check.
   */
  MISCONFIGURED,
  /** patguard's own admin credential was refused: an operator problem, not the caller's. */
  CREDENTIAL_REFUSED,
  /**
   * Too many lookups were already in flight; this one was shed rather than queued without bound.
   */
  OVERLOADED,
  /** A bug or an unexpected state; never a permit. */
  INTERNAL_ERROR
}
