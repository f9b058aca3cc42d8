package dev.patguard.servlet;

/**
 * Receives an {@link EnforcementEvent} for every request the filter checks: for audit logs, metrics
 * and report-only roll-outs. Keep it fast; an exception it throws is logged and ignored. It runs on
 * the thread running the filter, except for a request that waited for its decision and is refused:
 * that one is reported on the container thread that writes the answer, outside the filter chain.
 */
@FunctionalInterface
public interface EnforcementListener {
  /** A listener that does nothing. */
  EnforcementListener NONE = event -> {};

  /**
   * Called once for each request the filter checked, after it decided what to do with it.
   *
   * @param event what the filter did with the request, or would have done in report-only mode
   */
  void onEnforcement(EnforcementEvent event);
}
