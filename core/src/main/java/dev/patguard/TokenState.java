package dev.patguard;

import dev.patguard.decision.Grant;
import java.util.Objects;

/** What the cache knows about a secret. Outages are not states: they fail the future. */
sealed interface TokenState permits TokenState.Known, TokenState.Rejected, TokenState.Forbidden {

  /**
   * The token's facts, compiled.
   *
   * @param grant the compiled grant
   * @param stale whether BRMS failed and these are facts kept past their TTL (stale-if-error)
   */
  record Known(Grant grant, boolean stale) implements TokenState {
    public Known {
      Objects.requireNonNull(grant, "grant must not be null");
    }
  }

  /**
   * BRMS does not accept the secret.
   *
   * @param detail why, for operators
   */
  record Rejected(String detail) implements TokenState {}

  /**
   * The token is live but the lookup strategy may not read its facts.
   *
   * @param detail why, for operators
   */
  record Forbidden(String detail) implements TokenState {}
}
