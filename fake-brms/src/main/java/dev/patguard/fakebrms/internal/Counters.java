package dev.patguard.fakebrms.internal;

import dev.patguard.fakebrms.Endpoint;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Request counts, in-flight requests and peak concurrency, per endpoint and overall. */
public final class Counters {

  private static final int ALL = Endpoint.values().length;

  private final AtomicLong[] counts = new AtomicLong[ALL + 1];
  private final AtomicInteger[] inFlight = new AtomicInteger[ALL + 1];
  private final AtomicInteger[] peaks = new AtomicInteger[ALL + 1];

  /** Creates zeroed counters. */
  public Counters() {
    for (int i = 0; i <= ALL; i++) {
      counts[i] = new AtomicLong();
      inFlight[i] = new AtomicInteger();
      peaks[i] = new AtomicInteger();
    }
  }

  void begin(Endpoint endpoint) {
    for (int i : new int[] {endpoint.ordinal(), ALL}) {
      counts[i].incrementAndGet();
      int now = inFlight[i].incrementAndGet();
      peaks[i].accumulateAndGet(now, Math::max);
    }
  }

  void end(Endpoint endpoint) {
    inFlight[endpoint.ordinal()].decrementAndGet();
    inFlight[ALL].decrementAndGet();
  }

  /**
   * Returns the number of requests to an endpoint since start or the last reset.
   *
   * @param endpoint the endpoint
   * @return the count
   */
  public long count(Endpoint endpoint) {
    return counts[index(endpoint)].get();
  }

  /**
   * Returns the number of requests to all endpoints.
   *
   * @return the count
   */
  public long total() {
    return counts[ALL].get();
  }

  /**
   * Returns the most requests to an endpoint served at once.
   *
   * @param endpoint the endpoint
   * @return the peak
   */
  public int peak(Endpoint endpoint) {
    return peaks[index(endpoint)].get();
  }

  /**
   * Returns the most requests served at once, all endpoints together.
   *
   * @return the peak
   */
  public int peak() {
    return peaks[ALL].get();
  }

  /**
   * Returns the requests being served now.
   *
   * @param endpoint the endpoint
   * @return the number
   */
  public int inFlight(Endpoint endpoint) {
    return inFlight[index(endpoint)].get();
  }

  /**
   * Returns the requests being served now, all endpoints together.
   *
   * @return the number
   */
  public int inFlight() {
    return inFlight[ALL].get();
  }

  /** Zeroes counts; peaks restart from the requests in flight now. */
  public void reset() {
    for (int i = 0; i <= ALL; i++) {
      counts[i].set(0);
      peaks[i].set(inFlight[i].get());
    }
  }

  private static int index(Endpoint endpoint) {
    return Objects.requireNonNull(endpoint, "endpoint must not be null").ordinal();
  }
}
