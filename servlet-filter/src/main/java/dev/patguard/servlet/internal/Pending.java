package dev.patguard.servlet.internal;

import dev.patguard.decision.Decision;
import java.util.Objects;

/**
 * A decision completed off the container thread, parked in a request attribute until the async
 * dispatch re-enters the filter. Only the filter instance holding {@code owner} accepts it, so a
 * value planted under the attribute name by anyone else is ignored.
 */
public final class Pending {
  private final Object owner;
  private final Decision decision;
  private final Object context;

  public Pending(Object owner, Decision decision, Object context) {
    this.owner = Objects.requireNonNull(owner, "owner must not be null");
    this.decision = Objects.requireNonNull(decision, "decision must not be null");
    this.context = Objects.requireNonNull(context, "context must not be null");
  }

  /** What the filter needs to finish the request. */
  public Object context() {
    return context;
  }

  /** Whether {@code candidate} is the owner this was created for. */
  public boolean ownedBy(Object candidate) {
    return owner == candidate;
  }

  public Decision decision() {
    return decision;
  }

  @Override
  public String toString() {
    return "Pending[" + decision.explain() + "]";
  }
}
