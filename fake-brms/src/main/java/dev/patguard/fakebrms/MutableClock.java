package dev.patguard.fakebrms;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * A wall clock and a monotonic ticker that tests move instead of sleeping. Give the same instance
 * to fake-brms and to the code under test ({@code PatGuard.builder().clock(c).ticker(c.ticker())}):
 * the clock says what the facts mean (token expiry), the ticker is what cache entries age by.
 *
 * <p>{@link #advance} moves both, as time passing does; {@link #step} and {@link #set} move only
 * the wall clock, as an NTP correction or an operator does, and leave the ticker where it was.
 */
public final class MutableClock extends Clock {

  private final AtomicReference<Instant> now;
  private final AtomicLong nanos = new AtomicLong();

  /**
   * A clock standing at {@code start}, its ticker at zero.
   *
   * @param start what {@link #instant()} answers until the clock is moved; not null
   */
  public MutableClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  /**
   * A clock standing at the ISO-8601 instant {@code instant}, e.g. {@code 2026-11-29T12:00:00Z}.
   *
   * @param instant the start, in the form {@link Instant#parse} reads (UTC, {@code Z} suffix)
   * @return a new clock, its ticker at zero
   * @throws java.time.format.DateTimeParseException if {@code instant} is not such an instant
   */
  public static MutableClock at(String instant) {
    return new MutableClock(Instant.parse(instant));
  }

  /**
   * Lets {@code duration} pass: the wall clock and the ticker both move forward. A monotonic ticker
   * never runs backwards, so a negative duration is refused; use {@link #step} to set the wall
   * clock back.
   *
   * @param duration how much time passes, zero or more
   * @throws IllegalArgumentException if {@code duration} is negative
   */
  public void advance(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException(
          "time does not pass backwards: "
              + duration
              + "; step("
              + duration
              + ") moves only the wall clock");
    }
    nanos.addAndGet(duration.toNanos());
    now.updateAndGet(i -> i.plus(duration));
  }

  /**
   * Steps the wall clock by {@code duration} (either way) without moving the ticker, as NTP may.
   *
   * @param duration how far to move the wall clock; negative sets it back
   */
  public void step(Duration duration) {
    now.updateAndGet(i -> i.plus(duration));
  }

  /**
   * Sets the wall clock to {@code instant}; the ticker does not move.
   *
   * @param instant the new wall-clock time, earlier or later than now; not null
   */
  public void set(Instant instant) {
    now.set(instant);
  }

  /**
   * The monotonic ticker, in nanoseconds; it moves only with {@link #advance}.
   *
   * @return the nanoseconds advanced since this clock was made (zero at the start), never less than
   *     an earlier reading
   */
  public long nanoTime() {
    return nanos.get();
  }

  /**
   * {@link #nanoTime} as a supplier, for {@code PatGuard.builder().ticker(...)}.
   *
   * @return a supplier that reads this clock's ticker at each call
   */
  public LongSupplier ticker() {
    return this::nanoTime;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("fixed to UTC");
  }

  @Override
  public Instant instant() {
    return now.get();
  }
}
