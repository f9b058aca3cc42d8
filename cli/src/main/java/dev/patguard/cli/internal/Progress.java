package dev.patguard.cli.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Waits for a BRMS lookup, saying so on standard error every interval while it is pending. */
final class Progress {
  private Progress() {}

  static <T> T await(Context ctx, CompletableFuture<T> future) {
    if (future.isDone()) {
      return future.join();
    }
    Duration interval = ctx.progressInterval();
    ScheduledExecutorService ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "patguard-progress");
              t.setDaemon(true);
              return t;
            });
    AtomicLong ticks = new AtomicLong();
    ticker.scheduleAtFixedRate(
        () -> {
          if (!future.isDone()) {
            long waited = ticks.incrementAndGet() * interval.toSeconds();
            ctx.output().note("still waiting for BRMS (" + waited + " s)\u2026");
          }
        },
        interval.toNanos(),
        interval.toNanos(),
        TimeUnit.NANOSECONDS);
    try {
      return future.join();
    } finally {
      ticker.shutdownNow();
    }
  }
}
