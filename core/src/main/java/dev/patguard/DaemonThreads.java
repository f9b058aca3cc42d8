package dev.patguard;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Thread pools whose threads never keep the JVM alive and say whose they are. */
final class DaemonThreads {
  private DaemonThreads() {}

  /**
   * A cached pool: threads are made as needed, named {@code prefix-N}, daemon, and end after 30 s
   * idle. Concurrency is bounded by the callers (the cache's bulkhead), not by the pool.
   */
  public static ExecutorService cachedPool(String prefix) {
    AtomicInteger count = new AtomicInteger();
    ThreadFactory factory =
        task -> {
          Thread t = new Thread(task, prefix + "-" + count.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    return new ThreadPoolExecutor(
        0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), factory);
  }
}
