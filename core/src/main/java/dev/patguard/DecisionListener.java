package dev.patguard;

/**
 * Receives every decision {@link PatGuard} makes: for audit logs and metrics. Called on the thread
 * that completed the decision; keep it fast and non-blocking. An exception thrown here is logged
 * and otherwise ignored: a listener can never change a decision.
 */
@FunctionalInterface
public interface DecisionListener {
  /** A listener that does nothing. */
  DecisionListener NONE = event -> {};

  /**
   * Receives one decision, before the caller gets it; {@link PatGuard} calls it once per decision,
   * possibly from several threads at once, so it must be thread-safe.
   *
   * @param event the decision, what was asked and when; never null
   */
  void onDecision(DecisionEvent event);
}
