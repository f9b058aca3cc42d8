package dev.patguard;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Limits how many asynchronous tasks run at once, queueing a bounded number more and refusing the
 * rest at once. It protects BRMS: a flood of random tokens can keep at most {@code maxConcurrent}
 * lookups in flight, and costs the flood, not memory, when the queue is full.
 */
final class AsyncBulkhead {
  /** The bulkhead and its queue are full; the task was not started. */
  public static final class FullException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FullException(int running, int queued) {
      super("too many lookups in flight (" + running + " running, " + queued + " queued); shed");
    }
  }

  private final Executor handOff;
  private final int maxConcurrent;
  private final int maxQueued;
  private final Deque<Runnable> queue = new ArrayDeque<>();
  private int running;

  /**
   * @param handOff runs a queued task when a slot frees up; handing off (rather than running it on
   *     the thread that finished) keeps the stack flat when many queued tasks finish at once
   */
  public AsyncBulkhead(int maxConcurrent, int maxQueued, Executor handOff) {
    this.handOff = java.util.Objects.requireNonNull(handOff, "handOff must not be null");
    if (maxConcurrent < 1) {
      throw new IllegalArgumentException("maxConcurrent must be at least 1, got " + maxConcurrent);
    }
    if (maxQueued < 0) {
      throw new IllegalArgumentException("maxQueued must not be negative, got " + maxQueued);
    }
    this.maxConcurrent = maxConcurrent;
    this.maxQueued = maxQueued;
  }

  /**
   * Runs {@code task} now if fewer than {@code maxConcurrent} run, else queues it, else fails with
   * {@link FullException}. The returned future completes as the task's does.
   */
  public <T> CompletableFuture<T> submit(Supplier<CompletableFuture<T>> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Runnable start = () -> run(task, result);
    boolean startNow;
    synchronized (this) {
      if (running < maxConcurrent) {
        running++;
        startNow = true;
      } else if (queue.size() < maxQueued) {
        queue.addLast(start);
        startNow = false;
      } else {
        return CompletableFuture.failedFuture(new FullException(running, queue.size()));
      }
    }
    if (startNow) {
      start.run();
    }
    return result;
  }

  private <T> void run(Supplier<CompletableFuture<T>> task, CompletableFuture<T> result) {
    CompletableFuture<T> started;
    try {
      started = task.get();
    } catch (RuntimeException | Error e) {
      started = CompletableFuture.failedFuture(e);
    }
    started.whenComplete(
        (value, error) -> {
          release();
          if (error != null) {
            result.completeExceptionally(error);
          } else {
            result.complete(value);
          }
        });
  }

  private void release() {
    Runnable next;
    synchronized (this) {
      next = queue.pollFirst();
      if (next == null) {
        running--;
        return;
      }
    }
    // The slot passes straight to the next task; running stays the same.
    handOff.execute(next);
  }

  /** Tasks running now. */
  public synchronized int running() {
    return running;
  }

  /** Tasks waiting for a slot. */
  public synchronized int queued() {
    return queue.size();
  }
}
