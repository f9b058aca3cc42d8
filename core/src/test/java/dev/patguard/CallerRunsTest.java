package dev.patguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CallerRunsTest {
  private static final Duration GENEROUS = Duration.ofMinutes(5);

  private final AtomicInteger poolCalls = new AtomicInteger();

  private CompletableFuture<String> onPool() {
    poolCalls.incrementAndGet();
    return CompletableFuture.completedFuture("from the pool");
  }

  private static HttpTimeoutException timedOut() {
    return new HttpTimeoutException("taken back");
  }

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted(); // a failed assertion must not leave an interrupt to the next test
  }

  @Test
  void claimWhenNotLentThenNone() {
    assertNull(CallerRuns.claim());
  }

  @Test
  void claimWhenLentThenOnceOnly() {
    boolean[] claims =
        CallerRuns.lending(
            GENEROUS, () -> new boolean[] {CallerRuns.claim() != null, CallerRuns.claim() != null});

    assertTrue(claims[0], "the first call may run on the caller");
    assertFalse(claims[1], "the loan is for one call only");
    assertNull(CallerRuns.claim(), "no loan is left on the thread afterwards");
  }

  @Test
  void lendingWhenNestedThenStillOneLoan() {
    int claimed =
        CallerRuns.lending(
            GENEROUS,
            () ->
                CallerRuns.lending(
                    GENEROUS,
                    () -> {
                      int n = 0;
                      for (int i = 0; i < 3; i++) {
                        n += CallerRuns.claim() != null ? 1 : 0;
                      }
                      return n;
                    }));

    assertEquals(1, claimed);
  }

  @Test
  void lendingWhenWorkThrowsThenNoLoanLeftBehind() {
    assertThrows(
        IllegalStateException.class,
        () ->
            CallerRuns.lending(
                GENEROUS,
                () -> {
                  throw new IllegalStateException("the work failed");
                }));
    assertNull(CallerRuns.claim());
  }

  @Test
  void claimWhenOnAnotherThreadThanTheLenderThenNone() throws Exception {
    CallerRuns.Loan[] seen = new CallerRuns.Loan[1];
    CallerRuns.lending(
        GENEROUS,
        () -> {
          Thread other = new Thread(() -> seen[0] = CallerRuns.claim());
          other.start();
          try {
            other.join();
          } catch (InterruptedException e) {
            throw new AssertionError(e);
          }
          return "joined";
        });

    assertNull(seen[0]);
  }

  @Test
  void claimWhenThreadAlreadyInterruptedThenNoneAndTheInterruptKept() {
    Thread.currentThread().interrupt();

    CallerRuns.Loan loan = CallerRuns.lending(GENEROUS, CallerRuns::claim);

    assertNull(loan, "an interrupted thread would fail the call at once: the pool makes it");
    assertTrue(Thread.interrupted(), "the caller's interrupt is still theirs");
  }

  @Test
  void runWhenCallReturnsThenItsValueOnTheCallingThread() {
    String[] ranOn = new String[1];
    CompletableFuture<String> result =
        CallerRuns.lending(
            GENEROUS,
            () -> {
              CallerRuns.Loan loan = CallerRuns.claim();
              assertNotNull(loan);
              return loan.run(
                  () -> {
                    ranOn[0] = Thread.currentThread().getName();
                    return "answered";
                  },
                  this::onPool,
                  CallerRunsTest::timedOut);
            });

    assertEquals("answered", result.join());
    assertEquals(Thread.currentThread().getName(), ranOn[0]);
    assertEquals(0, poolCalls.get());
  }

  @Test
  void runWhenCallThrowsThenFailedWithIt() {
    CompletableFuture<String> result =
        CallerRuns.lending(
            GENEROUS,
            () ->
                CallerRuns.claim()
                    .run(
                        () -> {
                          throw new java.io.IOException("connection refused");
                        },
                        this::onPool,
                        CallerRunsTest::timedOut));

    CompletionException e = assertThrows(CompletionException.class, result::join);
    assertEquals("connection refused", e.getCause().getMessage());
    assertEquals(0, poolCalls.get());
  }

  @Test
  void runWhenCallOutlastsTheBoundThenTimedOutAndTheInterruptCleared() {
    CountDownLatch never = new CountDownLatch(1);

    CompletableFuture<String> result =
        CallerRuns.lending(
            Duration.ofMillis(50),
            () ->
                CallerRuns.claim()
                    .run(
                        () -> {
                          never.await(); // stands in for an HttpClient.send that will never return
                          // by itself
                          return "answered";
                        },
                        this::onPool,
                        CallerRunsTest::timedOut));

    CompletionException e = assertThrows(CompletionException.class, result::join);
    assertEquals("taken back", e.getCause().getMessage());
    assertFalse(
        Thread.currentThread().isInterrupted(), "the interrupt patguard caused is not left behind");
    assertEquals(0, poolCalls.get(), "a call that timed out is not made again");
  }

  @Test
  void runWhenInterruptedFromElsewhereThenThePoolMakesTheCallAndTheInterruptIsKept() {
    CompletableFuture<String> result =
        CallerRuns.lending(
            GENEROUS,
            () ->
                CallerRuns.claim()
                    .run(
                        () -> {
                          Thread.currentThread()
                              .interrupt(); // someone else's interrupt, arriving during the call
                          throw new InterruptedException();
                        },
                        this::onPool,
                        CallerRunsTest::timedOut));

    assertEquals("from the pool", result.join());
    assertEquals(1, poolCalls.get());
    assertTrue(Thread.interrupted(), "the caller's interrupt is still theirs");
  }

  @Test
  void boundWhenTheCallHasReturnedThenNoInterruptEverArrives() throws Exception {
    String done =
        CallerRuns.lending(
            Duration.ofMillis(20),
            () -> {
              CallerRuns.claim().run(() -> "quick", this::onPool, CallerRunsTest::timedOut).join();
              // Work after the call, on the lending thread, outlasts the bound: it must not be
              // interrupted.
              try {
                assertFalse(new CountDownLatch(1).await(200, TimeUnit.MILLISECONDS));
              } catch (InterruptedException e) {
                throw new AssertionError("work after the lent call was interrupted", e);
              }
              return "done";
            });

    assertSame("done", done);
    assertFalse(Thread.currentThread().isInterrupted());
  }

  @Test
  void boundWhenNothingIsClaimedThenNeverStarted() throws Exception {
    String done =
        CallerRuns.lending(
            Duration.ofMillis(20),
            () -> {
              try {
                assertFalse(new CountDownLatch(1).await(200, TimeUnit.MILLISECONDS));
              } catch (InterruptedException e) {
                throw new AssertionError("work that claimed no call was interrupted", e);
              }
              return "done";
            });

    assertSame("done", done);
  }
}
