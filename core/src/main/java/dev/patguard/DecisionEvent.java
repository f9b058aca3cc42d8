package dev.patguard;

import dev.patguard.decision.Decision;
import dev.patguard.decision.Requirement;
import java.time.Instant;
import java.util.Objects;

/**
 * One decision, as a {@link DecisionListener} sees it.
 *
 * @param decision the decision (its subject names the token by fingerprint, never by secret)
 * @param requirement what was asked
 * @param decidedAt when, by the injected clock
 * @param lookup the lookup strategy's name ({@code self}, {@code indexed}, {@code by-id})
 */
public record DecisionEvent(
    Decision decision, Requirement requirement, Instant decidedAt, String lookup) {
  /**
   * Checks that no component is null.
   *
   * @param decision the decision (its subject names the token by fingerprint, never by secret)
   * @param requirement what was asked
   * @param decidedAt when, by the injected clock
   * @param lookup the lookup strategy's name ({@code self}, {@code indexed}, {@code by-id})
   * @throws NullPointerException if a component is null
   */
  public DecisionEvent {
    Objects.requireNonNull(decision, "decision must not be null");
    Objects.requireNonNull(requirement, "requirement must not be null");
    Objects.requireNonNull(decidedAt, "decidedAt must not be null");
    Objects.requireNonNull(lookup, "lookup must not be null");
  }
}
