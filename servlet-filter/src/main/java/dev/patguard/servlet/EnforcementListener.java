package dev.patguard.servlet;

/**
 * Receives an {@link EnforcementEvent} for every request the filter checks: for audit logs,
 * metrics and report-only roll-outs. Keep it fast; an exception it throws is logged and ignored.
 */
@FunctionalInterface
public interface EnforcementListener {
  /** A listener that does nothing. */
  EnforcementListener NONE = event -> { };

  void onEnforcement(EnforcementEvent event);
}
