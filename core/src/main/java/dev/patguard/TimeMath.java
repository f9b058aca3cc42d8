package dev.patguard;

import java.time.Duration;
import java.time.Instant;

/**
 * Instant and duration arithmetic that saturates instead of overflowing.
 *
 * <p>BRMS may send any instant {@link Instant} can parse ({@code 9999-12-31T23:59:59Z}, or up to
 * {@code +1000000000-12-31T23:59:59.999999999Z}), and users may configure long durations. The JDK's
 * {@code Instant.plus} and {@code Duration.toNanos} throw on overflow; a throw inside a decision
 * would turn a valid answer into an outage. Every sum here clamps to the end of the range instead.
 */
final class TimeMath {
  private TimeMath() {}

  /** {@code t + d}, clamped to {@link Instant#MIN} .. {@link Instant#MAX}. */
  public static Instant plus(Instant t, Duration d) {
    // Compare before adding: the distance to either end always fits in a Duration.
    if (d.isNegative() && Duration.between(t, Instant.MIN).compareTo(d) >= 0) {
      return Instant.MIN;
    }
    if (!d.isNegative() && Duration.between(t, Instant.MAX).compareTo(d) <= 0) {
      return Instant.MAX;
    }
    // In range, and so is d (|d| < the width of the range): the seconds cannot overflow. Not
    // Instant.plus, which refuses a sum whose seconds leave the range before the nanos are carried.
    return Instant.ofEpochSecond(
        t.getEpochSecond() + d.getSeconds(), (long) t.getNano() + d.getNano());
  }

  /**
   * {@code d} in nanoseconds, clamped to {@link Long#MIN_VALUE} .. {@link Long#MAX_VALUE} (about
   * 292 years).
   */
  public static long toNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  /** {@code d} in milliseconds, clamped like {@link #toNanos}. */
  public static long toMillis(Duration d) {
    try {
      return d.toMillis();
    } catch (ArithmeticException e) {
      return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  /** Whether {@code later} is more than {@code d} after {@code earlier}; never overflows. */
  public static boolean isMoreThanAfter(Instant later, Instant earlier, Duration d) {
    return Duration.between(earlier, later).compareTo(d) > 0;
  }
}
