package dev.patguard.decision;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Something a caller should know about a decision that did not change it.
 *
 * @param code what it is
 * @param detail its subject (an expiry, a count), when it has one
 */
public record Warning(Code code, @Nullable String detail) {

  /** The kinds of warning. */
  public enum Code {
    /** The token expires within the authorizer's horizon (detail: {@code expiresAt}). */
    EXPIRES_SOON,
    /** The lookup found several candidate tokens; the decision holds for all of them. */
    AMBIGUOUS_LOOKUP,
    /** The facts are older than the cache TTL: BRMS failed and stale-if-error served them. */
    STALE_FACTS
  }

  public Warning {
    Objects.requireNonNull(code, "code must not be null");
  }

  public static Warning expiresSoon(Instant expiresAt) {
    return new Warning(Code.EXPIRES_SOON, expiresAt.toString());
  }

  public static Warning ambiguousLookup(int candidates) {
    return new Warning(Code.AMBIGUOUS_LOOKUP, candidates + " candidate tokens");
  }

  public static Warning staleFacts() {
    return new Warning(Code.STALE_FACTS, null);
  }

  @Override
  public String toString() {
    return detail == null ? code.name() : code.name() + " " + detail;
  }
}
