package dev.patguard;

/**
 * Receives every decision {@link PatGuard} makes: for audit logs and metrics. Called on the
 * thread that completed the decision; keep it fast and non-blocking. An exception thrown here is
 * logged and otherwise ignored: a listener can never change a decision.
 */
@FunctionalInterface
public interface DecisionListener {
  /** A listener that does nothing. */
  DecisionListener NONE = event -> { };

  void onDecision(DecisionEvent event);
}
