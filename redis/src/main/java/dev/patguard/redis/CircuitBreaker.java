package dev.patguard.redis;

import java.util.function.LongSupplier;

/**
 * Stops calling Redis after {@code threshold} failures in a row, for {@code openNanos}; then lets
 * one trial call through, which closes it again or keeps it open for another period. So a dead or
 * stalled Redis costs each decision nothing once it is open, rather than a command timeout each.
 */
final class CircuitBreaker {
  private final int threshold;
  private final long openNanos;
  private final LongSupplier ticker;

  private int failures;
  private boolean open;
  private boolean trialRunning;
  private long openedAt;

  /** Read without the lock on the hot path: a closed breaker costs one volatile read. */
  private volatile boolean closed = true;

  CircuitBreaker(int threshold, long openNanos, LongSupplier ticker) {
    this.threshold = threshold;
    this.openNanos = openNanos;
    this.ticker = ticker;
  }

  /** Whether a call may go to Redis now. */
  boolean allow() {
    if (closed) {
      return true;
    }
    synchronized (this) {
      if (!open) {
        return true;
      }
      if (!trialRunning && ticker.getAsLong() - openedAt >= openNanos) {
        trialRunning = true;
        return true;
      }
      return false;
    }
  }

  synchronized void success() {
    failures = 0;
    open = false;
    trialRunning = false;
    closed = true;
  }

  synchronized void failure() {
    if (open) {
      // The trial failed (or a call let through before the breaker opened): another period.
      trialRunning = false;
      openedAt = ticker.getAsLong();
      return;
    }
    if (++failures >= threshold) {
      open = true;
      closed = false;
      openedAt = ticker.getAsLong();
    }
  }

  synchronized boolean isOpen() {
    return open;
  }
}
