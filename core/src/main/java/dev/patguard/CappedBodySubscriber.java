package dev.patguard;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Collects a response body up to a byte limit, and cancels the transfer (closing the connection) as
 * soon as the limit is passed, so that a 50 MiB answer costs at most the limit in memory. It can
 * also refuse a body outright (a wrong content type), reading nothing.
 *
 * <p>It also holds the body to a deadline. The JDK client's request timeout is only specified up to
 * the response headers (JDK-8208693), so without one a server that stalls mid-body could hold the
 * calling thread and the connection for as long as it liked.
 */
final class CappedBodySubscriber implements HttpResponse.BodySubscriber<byte[]> {
  /** Raised when the body is larger than the cap. */
  public static final class BodyTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    BodyTooLargeException(long cap) {
      super("response body exceeds the " + cap + "-byte limit");
    }
  }

  /** Raised when the body was refused before reading (the reason is the message). */
  public static final class BodyRefusedException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Whether the content type was the reason. */
    private final boolean notJson;

    BodyRefusedException(String reason, boolean notJson) {
      super(reason);
      this.notJson = notJson;
    }

    /** Whether the body was refused for its content type, which BRMS never sends. */
    public boolean notJson() {
      return notJson;
    }
  }

  private final long cap;
  private final @Nullable String refusal;
  private final boolean refusedAsNotJson;
  private final long deadlineNanos;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();

  /** Guards the subscription: the deadline cancels it from another thread than onNext's. */
  private final Object lock = new Object();

  private Flow.@Nullable Subscription subscription;

  private CappedBodySubscriber(
      long cap, @Nullable String refusal, boolean refusedAsNotJson, long deadlineNanos) {
    this.cap = cap;
    this.refusal = refusal;
    this.refusedAsNotJson = refusedAsNotJson;
    this.deadlineNanos = deadlineNanos;
  }

  /**
   * Reads at most {@code cap} bytes, and fails with an {@link HttpTimeoutException} (cancelling the
   * transfer) if the whole body has not arrived by {@code deadlineNanos} ({@link
   * System#nanoTime()}).
   */
  public static CappedBodySubscriber capped(long cap, long deadlineNanos) {
    return new CappedBodySubscriber(cap, null, false, deadlineNanos);
  }

  /** Reads nothing and fails with {@code reason}. */
  public static CappedBodySubscriber refusing(String reason) {
    return new CappedBodySubscriber(0, reason, false, 0);
  }

  /** Reads nothing and fails with {@code reason}, marked as a body that is not JSON. */
  public static CappedBodySubscriber refusingNotJson(String reason) {
    return new CappedBodySubscriber(0, reason, true, 0);
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    synchronized (lock) {
      this.subscription = s;
      if (refusal != null) {
        s.cancel();
        result.completeExceptionally(new BodyRefusedException(refusal, refusedAsNotJson));
        return;
      }
    }
    long remaining = deadlineNanos - System.nanoTime();
    if (remaining <= 0) {
      timeOut();
      return;
    }
    // orTimeout's timer is cancelled as soon as the watchdog completes, i.e. when the body ends.
    CompletableFuture<Void> watchdog = new CompletableFuture<>();
    watchdog
        .orTimeout(remaining, TimeUnit.NANOSECONDS)
        .whenComplete(
            (ignored, error) -> {
              if (error != null) {
                timeOut();
              }
            });
    result.whenComplete((body, error) -> watchdog.complete(null));
    synchronized (lock) {
      if (!result.isDone()) {
        s.request(1);
      }
    }
  }

  private void timeOut() {
    synchronized (lock) {
      if (result.isDone()) {
        return;
      }
      Flow.Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
      result.completeExceptionally(
          new HttpTimeoutException(
              "the response body did not arrive in time (" + buffer.size() + " bytes read)"));
    }
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    synchronized (lock) {
      Flow.Subscription s = subscription;
      if (result.isDone() || s == null) {
        return;
      }
      for (ByteBuffer b : items) {
        if (buffer.size() + (long) b.remaining() > cap) {
          s.cancel();
          result.completeExceptionally(new BodyTooLargeException(cap));
          return;
        }
        byte[] chunk = new byte[b.remaining()];
        b.get(chunk);
        buffer.write(chunk, 0, chunk.length);
      }
      s.request(1);
    }
  }

  @Override
  public void onError(Throwable throwable) {
    result.completeExceptionally(throwable);
  }

  @Override
  public void onComplete() {
    synchronized (lock) {
      result.complete(buffer.toByteArray());
    }
  }
}
