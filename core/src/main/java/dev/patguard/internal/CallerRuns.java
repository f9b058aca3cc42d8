package dev.patguard.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Lets a caller that is about to block for an answer lend its own thread to the one BRMS call
 * that answer needs, instead of handing the call to a pool thread and waiting for it to come
 * back: on a cold lookup that saves two thread wake-ups, which cost more than the parse.
 *
 * <p>The loan is for one call only: the first {@link #claim} on the thread takes it, so work that
 * happens to complete on the lending thread afterwards (another caller's continuation, a retry)
 * goes to the pool as usual. And the loan is bounded: if the work has not returned when the bound
 * passes, the thread is interrupted (which aborts a blocking {@code HttpClient.send}), so the
 * caller is back in time whatever the call is stuck on — a stalled server, or an HTTP client
 * whose executor was shut down under it.
 */
public final class CallerRuns {
  private static final ThreadLocal<Boolean> LENT = new ThreadLocal<>();
  private static final Executor ON_CALLER = Runnable::run;

  private CallerRuns() {}

  /**
   * Runs {@code work} with this thread on loan to the first BRMS call it makes, for at most
   * {@code bound}.
   *
   * @return the work's result, or empty if the bound passed first; the interrupt that took the
   *     thread back has then been cleared (an interrupt from elsewhere in that window is cleared
   *     with it; the caller reports a timeout either way)
   */
  public static <T> Optional<T> lending(Duration bound, Supplier<T> work) {
    if (LENT.get() != null) {
      return Optional.of(work.get()); // already lent further up this stack, under its bound
    }
    Loan loan = new Loan(Thread.currentThread());
    // orTimeout's timer is cancelled as soon as the watchdog completes (when the work returns).
    CompletableFuture<Void> watchdog = new CompletableFuture<>();
    watchdog.orTimeout(bound.toNanos(), TimeUnit.NANOSECONDS).whenComplete((ignored, error) -> {
      if (error != null) {
        loan.takeBack();
      }
    });
    LENT.set(Boolean.TRUE);
    T result;
    try {
      result = work.get();
    } finally {
      LENT.remove();
      watchdog.complete(null);
    }
    return loan.end() ? Optional.of(result) : Optional.empty();
  }

  /**
   * The executor for a call: the calling thread if it was lent and the loan is still unclaimed
   * (claiming it), else {@code pool}.
   */
  public static Executor claim(Executor pool) {
    if (LENT.get() == Boolean.TRUE) {
      LENT.set(Boolean.FALSE);
      return ON_CALLER;
    }
    return pool;
  }

  /** Whether the loan ended by itself or was taken back; decided once, under the lock. */
  private static final class Loan {
    private final Thread borrower;
    private boolean over;
    private boolean takenBack;

    Loan(Thread borrower) {
      this.borrower = borrower;
    }

    /** Interrupts the borrower unless the loan is over; the interrupt lands before the lock is released. */
    synchronized void takeBack() {
      if (!over) {
        over = true;
        takenBack = true;
        borrower.interrupt();
      }
    }

    /** Ends the loan on the borrower; false (and the interrupt cleared) if it was taken back. */
    synchronized boolean end() {
      over = true;
      if (takenBack) {
        Thread.interrupted();
        return false;
      }
      return true;
    }
  }
}
