package dev.patguard.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import org.jspecify.annotations.Nullable;

/**
 * Collects a response body up to a byte limit, and cancels the transfer (closing the connection)
 * as soon as the limit is passed, so that a 50 MiB answer costs at most the limit in memory.
 * It can also refuse a body outright (a wrong content type), reading nothing.
 */
public final class CappedBodySubscriber implements HttpResponse.BodySubscriber<byte[]> {
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

    BodyRefusedException(String reason) {
      super(reason);
    }
  }

  private final long cap;
  private final @Nullable String refusal;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private Flow.@Nullable Subscription subscription;

  private CappedBodySubscriber(long cap, @Nullable String refusal) {
    this.cap = cap;
    this.refusal = refusal;
  }

  /** Reads at most {@code cap} bytes. */
  public static CappedBodySubscriber capped(long cap) {
    return new CappedBodySubscriber(cap, null);
  }

  /** Reads nothing and fails with {@code reason}. */
  public static CappedBodySubscriber refusing(String reason) {
    return new CappedBodySubscriber(0, reason);
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    this.subscription = s;
    if (refusal != null) {
      s.cancel();
      result.completeExceptionally(new BodyRefusedException(refusal));
      return;
    }
    s.request(1);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
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

  @Override
  public void onError(Throwable throwable) {
    result.completeExceptionally(throwable);
  }

  @Override
  public void onComplete() {
    result.complete(buffer.toByteArray());
  }
}
