package dev.patguard.servlet.support;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits for something another thread does (a request reaching BRMS, a container thread leaving the
 * filter), checking every millisecond up to a bound. Never used to let time pass: tests move a
 * clock for that.
 */
public final class Await {
  private Await() {}

  /**
   * Returns once {@code condition} holds; fails with {@code what} if it does not within {@code
   * max}.
   */
  public static void until(BooleanSupplier condition, Duration max, String what) {
    long deadline = System.nanoTime() + max.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not within " + max + ": " + what);
      }
      LockSupport.parkNanos(1_000_000);
    }
  }

  /** How many threads are running code of {@code type} right now (from their stacks). */
  public static long threadsIn(Class<?> type) {
    return Thread.getAllStackTraces().values().stream()
        .filter(
            stack ->
                java.util.Arrays.stream(stack)
                    .anyMatch(f -> f.getClassName().equals(type.getName())))
        .count();
  }
}
