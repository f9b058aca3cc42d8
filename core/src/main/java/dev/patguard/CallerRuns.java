package dev.patguard;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Lets a caller that is about to block for an answer lend its own thread to the one BRMS call that
 * answer needs, instead of handing the call to a pool thread and waiting for it to come back: on a
 * cold lookup that saves two thread wake-ups.
 *
 * <p>The loan covers one blocking call and nothing else: the first {@link #claim} on the thread
 * takes it, and it ends when that call returns, so what runs before and after on the lending thread
 * (parsing, other callers' continuations, a retry) is never interrupted by it. It is bounded: if
 * the call has not returned when the bound passes, the thread is interrupted (which aborts a
 * blocking {@code HttpClient.send}), the interrupt is cleared, and the call fails as timed out —
 * whatever it was stuck on, a stalled server or an HTTP client whose executor was shut down under
 * it. A thread that is already interrupted is never lent, and an interrupt from elsewhere during
 * the call hands the call to the pool and keeps the interrupt for the caller, as if the thread had
 * never been lent.
 */
final class CallerRuns {
  private static final ThreadLocal<Loan> LENT = new ThreadLocal<>();

  private CallerRuns() {}

  /** A blocking call that may be interrupted. */
  @FunctionalInterface
  public interface BlockingCall<T> {
    T call() throws Exception;
  }

  /**
   * Runs {@code work} with this thread on loan to the first blocking call it claims, for at most
   * {@code bound}.
   */
  public static <T> T lending(Duration bound, Supplier<T> work) {
    if (LENT.get() != null || Thread.currentThread().isInterrupted()) {
      return work.get(); // lent further up this stack, or not lendable at all
    }
    Loan loan = new Loan(Thread.currentThread(), bound);
    LENT.set(loan);
    try {
      return work.get();
    } finally {
      LENT.remove();
      loan.end();
    }
  }

  /**
   * Takes this thread's loan for one blocking call, starting its bound: the loan if the thread was
   * lent, the loan is unclaimed and the thread is not interrupted; else null (use the pool).
   */
  public static @Nullable Loan claim() {
    Loan loan = LENT.get();
    if (loan == null || loan.claimed || Thread.currentThread().isInterrupted()) {
      return null;
    }
    loan.claimed = true;
    loan.arm();
    return loan;
  }

  /** One thread's loan; {@link #run} makes the one call it covers. */
  public static final class Loan {
    private final Thread borrower;
    private final Duration bound;

    /**
     * orTimeout's timer, cancelled as soon as the watchdog completes, when the loan ends. Made only
     * when the loan is claimed: a cache hit claims nothing and should cost nothing.
     */
    private @Nullable CompletableFuture<Void> watchdog;

    private boolean claimed; // the borrower's own
    private boolean over;
    private boolean takenBack;
    private boolean interruptCleared;

    private Loan(Thread borrower, Duration bound) {
      this.borrower = borrower;
      this.bound = bound;
    }

    private synchronized void arm() {
      CompletableFuture<Void> timer = new CompletableFuture<>();
      watchdog = timer;
      timer
          .orTimeout(bound.toNanos(), TimeUnit.NANOSECONDS)
          .whenComplete(
              (ignored, error) -> {
                if (error != null) {
                  takeBack();
                }
              });
    }

    /**
     * Runs {@code call} on the lending thread and ends the loan when it returns. If the bound
     * interrupted it, the result fails with {@code timedOut}'s exception; if the interrupt came
     * from elsewhere, it is kept and {@code onPool} makes the call instead. Any other exception
     * fails the result, as {@code supplyAsync} would.
     */
    public <T> CompletableFuture<T> run(
        BlockingCall<T> call,
        Supplier<CompletableFuture<T>> onPool,
        Supplier<? extends Exception> timedOut) {
      try {
        return CompletableFuture.completedFuture(call.call());
      } catch (InterruptedException e) {
        if (end()) {
          return CompletableFuture.failedFuture(timedOut.get());
        }
        Thread.currentThread().interrupt(); // the caller's own interrupt: theirs to see
        return onPool.get();
      } catch (Exception e) {
        return CompletableFuture.failedFuture(e);
      } finally {
        end();
      }
    }

    /**
     * Interrupts the borrower unless the loan is over; the interrupt lands before the lock is
     * released.
     */
    private synchronized void takeBack() {
      if (!over) {
        over = true;
        takenBack = true;
        borrower.interrupt();
      }
    }

    /**
     * Ends the loan (on the borrower; again is harmless) and disarms the bound. True if the bound
     * took the thread back; the interrupt it caused is cleared here, once.
     */
    private boolean end() {
      if (!claimed) {
        return false; // never armed, so never taken back: nothing to disarm or clear
      }
      return endClaimed();
    }

    private synchronized boolean endClaimed() {
      over = true;
      CompletableFuture<Void> timer = watchdog;
      if (timer != null) {
        timer.complete(null);
      }
      if (takenBack && !interruptCleared) {
        interruptCleared = true;
        Thread.interrupted();
      }
      return takenBack;
    }
  }
}
