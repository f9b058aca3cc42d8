package dev.patguard.redis;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** A warning logged at most once per 30 s, with the count of those held back. */
final class BoundedWarning {
  private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final System.Logger log;
  private final AtomicLong last = new AtomicLong(System.nanoTime() - INTERVAL_NANOS);
  private final LongAdder suppressed = new LongAdder();

  BoundedWarning(System.Logger log) {
    this.log = log;
  }

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
