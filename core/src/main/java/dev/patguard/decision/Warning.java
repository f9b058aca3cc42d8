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

  /**
   * Checks the code.
   *
   * @param code what it is; not null
   * @param detail its subject, or null
   * @throws NullPointerException if {@code code} is null
   */
  public Warning {
    Objects.requireNonNull(code, "code must not be null");
  }

  /**
   * The token expires within the authorizer's horizon.
   *
   * @param expiresAt when it expires
   * @return an {@link Code#EXPIRES_SOON} warning, the expiry in ISO-8601 as its detail
   */
  public static Warning expiresSoon(Instant expiresAt) {
    return new Warning(Code.EXPIRES_SOON, expiresAt.toString());
  }

  /**
   * The lookup found several candidate tokens.
   *
   * @param candidates how many
   * @return an {@link Code#AMBIGUOUS_LOOKUP} warning, such as {@code 3 candidate tokens} as its
   *     detail
   */
  public static Warning ambiguousLookup(int candidates) {
    return new Warning(Code.AMBIGUOUS_LOOKUP, candidates + " candidate tokens");
  }

  /**
   * The facts were served past their TTL because BRMS failed (stale-if-error).
   *
   * @return a {@link Code#STALE_FACTS} warning, without detail
   */
  public static Warning staleFacts() {
    return new Warning(Code.STALE_FACTS, null);
  }

  @Override
  public String toString() {
    return detail == null ? code.name() : code.name() + " " + detail;
  }
}
