package dev.patguard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CappedBodySubscriberTest {

  /** Counts what the subscriber asks of its publisher. */
  private static final class RecordingSubscription implements Flow.Subscription {
    long requested;
    boolean cancelled;

    @Override
    public synchronized void request(long n) {
      requested += n;
    }

    @Override
    public synchronized void cancel() {
      cancelled = true;
    }
  }

  private static long in(long millis) {
    return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
  }

  private static Throwable failureOf(CappedBodySubscriber body) throws Exception {
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () -> body.getBody().toCompletableFuture().get(10, TimeUnit.SECONDS));
    return e.getCause();
  }

  @Test
  void bodyWhenCompleteWithinDeadlineAndCapThenCollected() throws Exception {
    CappedBodySubscriber body = CappedBodySubscriber.capped(16, in(60_000));
    RecordingSubscription s = new RecordingSubscription();

    body.onSubscribe(s);
    body.onNext(List.of(ByteBuffer.wrap("[{\"a\"".getBytes(StandardCharsets.UTF_8))));
    body.onNext(List.of(ByteBuffer.wrap(":1}]".getBytes(StandardCharsets.UTF_8))));
    body.onComplete();

    assertArrayEquals(
        "[{\"a\":1}]".getBytes(StandardCharsets.UTF_8),
        body.getBody().toCompletableFuture().get(10, TimeUnit.SECONDS));
    assertEquals(3, s.requested, "one item at a time");
  }

  @Test
  void bodyWhenLargerThanCapThenCancelledAndFailed() throws Exception {
    CappedBodySubscriber body = CappedBodySubscriber.capped(4, in(60_000));
    RecordingSubscription s = new RecordingSubscription();

    body.onSubscribe(s);
    body.onNext(List.of(ByteBuffer.wrap(new byte[5])));

    assertInstanceOf(CappedBodySubscriber.BodyTooLargeException.class, failureOf(body));
    assertTrue(s.cancelled);
  }

  @Test
  void bodyWhenDeadlineAlreadyPassedAtSubscribeThenCancelledWithoutRequesting() throws Exception {
    CappedBodySubscriber body = CappedBodySubscriber.capped(1024, System.nanoTime() - 1);
    RecordingSubscription s = new RecordingSubscription();

    body.onSubscribe(s);

    assertInstanceOf(HttpTimeoutException.class, failureOf(body));
    assertTrue(s.cancelled);
    assertEquals(0, s.requested);
  }

  @Test
  void bodyWhenStalledPastDeadlineThenCancelledAndTimedOutNamingBytesRead() throws Exception {
    CappedBodySubscriber body = CappedBodySubscriber.capped(1024, in(50));
    RecordingSubscription s = new RecordingSubscription();
    body.onSubscribe(s);
    body.onNext(List.of(ByteBuffer.wrap(new byte[3])));
    // ...and then nothing more arrives.

    Throwable failure = failureOf(body);

    assertInstanceOf(HttpTimeoutException.class, failure);
    assertTrue(failure.getMessage().contains("3 bytes read"), failure.getMessage());
    assertTrue(s.cancelled);
  }

  @Test
  void bodyWhenItemsArriveAfterTheTimeoutThenIgnored() throws Exception {
    CappedBodySubscriber body = CappedBodySubscriber.capped(1024, System.nanoTime() - 1);
    RecordingSubscription s = new RecordingSubscription();
    body.onSubscribe(s);

    body.onNext(List.of(ByteBuffer.wrap(new byte[3])));
    body.onComplete();

    assertInstanceOf(HttpTimeoutException.class, failureOf(body), "the first outcome stands");
    assertEquals(0, s.requested);
  }

  @Test
  void refusingWhenSubscribedThenCancelsAndFailsWithTheReason() throws Exception {
    CappedBodySubscriber body =
        CappedBodySubscriber.refusing("BRMS answered 200 with content type \"text/html\"");
    RecordingSubscription s = new RecordingSubscription();

    body.onSubscribe(s);

    Throwable failure = failureOf(body);
    assertInstanceOf(CappedBodySubscriber.BodyRefusedException.class, failure);
    assertEquals("BRMS answered 200 with content type \"text/html\"", failure.getMessage());
    assertTrue(s.cancelled);
  }
}
