package dev.patguard.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class CallerRunsTest {
  private static final Duration GENEROUS = Duration.ofMinutes(5);

  private final Executor pool = task -> {
    throw new AssertionError("the pool is only compared, never used here");
  };

  @Test
  void claimWhenNotLentThenThePool() {
    assertSame(pool, CallerRuns.claim(pool));
  }

  @Test
  void claimWhenLentThenTheCallerOnceThenThePool() {
    List<Executor> claimed = CallerRuns.lending(GENEROUS, () -> {
      List<Executor> out = new ArrayList<>();
      out.add(CallerRuns.claim(pool));
      out.add(CallerRuns.claim(pool));
      return out;
    }).orElseThrow();

    assertNotSame(pool, claimed.get(0), "the first call runs on the caller");
    assertSame(pool, claimed.get(1), "the loan is for one call only");
    List<String> ranOn = new ArrayList<>();
    claimed.get(0).execute(() -> ranOn.add(Thread.currentThread().getName()));
    assertEquals(List.of(Thread.currentThread().getName()), ranOn, "runs in place, on the calling thread");
  }

  @Test
  void lendingWhenNestedThenStillOneLoan() {
    int callerRuns = CallerRuns.lending(GENEROUS, () -> CallerRuns.lending(GENEROUS, () -> {
      int n = 0;
      for (int i = 0; i < 3; i++) {
        n += CallerRuns.claim(pool) != pool ? 1 : 0;
      }
      return n;
    }).orElseThrow()).orElseThrow();

    assertEquals(1, callerRuns);
  }

  @Test
  void lendingWhenOverThenNoLoanLeftOnTheThread() {
    assertEquals(Optional.of("unclaimed"), CallerRuns.lending(GENEROUS, () -> "unclaimed"));
    assertSame(pool, CallerRuns.claim(pool));

    assertThrows(IllegalStateException.class, () -> CallerRuns.lending(GENEROUS, () -> {
      throw new IllegalStateException("the work failed");
    }));
    assertSame(pool, CallerRuns.claim(pool), "a failed piece of work leaves no loan behind either");
  }

  @Test
  void claimWhenOnAnotherThreadThanTheLenderThenThePool() {
    Executor[] seen = new Executor[1];
    CallerRuns.lending(GENEROUS, () -> {
      Thread other = new Thread(() -> seen[0] = CallerRuns.claim(pool));
      other.start();
      try {
        other.join();
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      return "joined";
    });

    assertSame(pool, seen[0]);
  }

  @Test
  void lendingWhenWorkOutlastsTheBoundThenInterruptedTakenBackAndTheFlagCleared() {
    CountDownLatch never = new CountDownLatch(1);
    boolean[] interrupted = new boolean[1];

    Optional<String> result = CallerRuns.lending(Duration.ofMillis(50), () -> {
      try {
        never.await(); // stands in for an HttpClient.send that will never return by itself
        return "answered";
      } catch (InterruptedException e) {
        interrupted[0] = true;
        Thread.currentThread().interrupt(); // as BrmsClient.send does
        return "interrupted";
      }
    });

    assertTrue(interrupted[0], "the blocked work was interrupted");
    assertEquals(Optional.empty(), result, "the caller learns the bound passed");
    assertFalse(Thread.currentThread().isInterrupted(), "the interrupt patguard caused is not left behind");
  }

  @Test
  void lendingWhenWorkReturnsInTimeThenNoInterruptEverArrives() throws Exception {
    assertEquals(Optional.of(1), CallerRuns.lending(Duration.ofMillis(20), () -> 1));

    // Had the timer not been cancelled it would fire within 20 ms; give it ample time to misfire.
    CountDownLatch never = new CountDownLatch(1);
    assertFalse(never.await(200, java.util.concurrent.TimeUnit.MILLISECONDS));
    assertFalse(Thread.currentThread().isInterrupted());
  }
}
