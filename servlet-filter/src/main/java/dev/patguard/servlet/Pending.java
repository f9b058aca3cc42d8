package dev.patguard.servlet;

import java.security.Principal;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A request the filter let through after a decision that completed off the container thread,
 * parked in a request attribute until the async dispatch re-enters the filter. Only the filter
 * instance holding {@code owner} accepts it, so a value planted under the attribute name by anyone
 * else is ignored.
 */
final class Pending {
  private final Object owner;
  private final @Nullable Principal principal;
  private final Runnable report;

  public Pending(Object owner, @Nullable Principal principal, Runnable report) {
    this.owner = Objects.requireNonNull(owner, "owner must not be null");
    this.principal = principal;
    this.report = Objects.requireNonNull(report, "report must not be null");
  }

  /** Reports the request to the filter's listener; run once, when the filter takes the request back. */
  public Runnable report() {
    return report;
  }

  /** Whether {@code candidate} is the owner this was created for. */
  public boolean ownedBy(Object candidate) {
    return owner == candidate;
  }

  /** The principal to hand the application, or null (report-only mode let a refusal through). */
  public @Nullable Principal principal() {
    return principal;
  }

  @Override
  public String toString() {
    return "Pending[" + (principal == null ? "no principal" : principal.getName()) + "]";
  }
}
