package dev.patguard;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A warning that is logged at most once per interval, saying how many like it were not: a shared
 * level that fails on every request must not flood the log.
 */
final class BoundedLog {
  private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final System.Logger log;
  private final AtomicLong last = new AtomicLong(System.nanoTime() - INTERVAL_NANOS);
  private final LongAdder suppressed = new LongAdder();

  BoundedLog(System.Logger log) {
    this.log = log;
  }

  /** Logs {@code message} at WARNING unless one was logged within the interval. */
  void warn(String message) {
    long now = System.nanoTime();
    long prev = last.get();
    if (now - prev >= INTERVAL_NANOS && last.compareAndSet(prev, now)) {
      long skipped = suppressed.sumThenReset();
      log.log(
          System.Logger.Level.WARNING,
          skipped == 0 ? message : message + " (" + skipped + " similar warnings not logged)");
    } else {
      suppressed.increment();
    }
  }
}
