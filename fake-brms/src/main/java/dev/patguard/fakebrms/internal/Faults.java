package dev.patguard.fakebrms.internal;

import dev.patguard.fakebrms.Endpoint;
import dev.patguard.fakebrms.Fault;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * Injected faults, a queue per endpoint: each request takes the oldest injection; one with a count
 * is dropped when used up, one without stays until cleared (and so hides those behind it).
 */
public final class Faults {

  private final Map<Endpoint, Deque<Injection>> queues = new EnumMap<>(Endpoint.class);

  /**
   * Adds a fault for an endpoint.
   *
   * @param endpoint the endpoint
   * @param fault the fault
   * @param times how many requests it applies to; 0 or less means until cleared
   */
  public synchronized void inject(Endpoint endpoint, Fault fault, int times) {
    Objects.requireNonNull(endpoint, "endpoint must not be null");
    Objects.requireNonNull(fault, "fault must not be null");
    queues.computeIfAbsent(endpoint, e -> new ArrayDeque<>()).add(new Injection(fault, times));
  }

  /** Removes every fault. */
  public synchronized void clear() {
    queues.clear();
  }

  /**
   * Removes the faults of one endpoint.
   *
   * @param endpoint the endpoint
   */
  public synchronized void clear(Endpoint endpoint) {
    queues.remove(Objects.requireNonNull(endpoint, "endpoint must not be null"));
  }

  /**
   * Copies the queues as they stand: each injection with the requests it has left and, for {@link
   * Fault.Randomly}, where its seeded sequence stands.
   *
   * @return the copy
   */
  public synchronized State snapshot() {
    return new State(copy(queues));
  }

  /**
   * Puts the queues back as they were in a snapshot; the snapshot stays as it is, so it can be
   * restored again.
   *
   * @param state from {@link #snapshot()}
   */
  public synchronized void restore(State state) {
    Objects.requireNonNull(state, "state must not be null");
    queues.clear();
    queues.putAll(copy(state.queues));
  }

  private static Map<Endpoint, Deque<Injection>> copy(Map<Endpoint, Deque<Injection>> from) {
    Map<Endpoint, Deque<Injection>> to = new EnumMap<>(Endpoint.class);
    from.forEach(
        (endpoint, queue) -> {
          Deque<Injection> copied = new ArrayDeque<>(queue.size());
          queue.forEach(injection -> copied.add(injection.copy()));
          to.put(endpoint, copied);
        });
    return to;
  }

  /** Injected faults as they stood at a {@link #snapshot()}; opaque and never changed. */
  public static final class State {
    private final Map<Endpoint, Deque<Injection>> queues;

    private State(Map<Endpoint, Deque<Injection>> queues) {
      this.queues = queues;
    }

    /**
     * Returns how many injections are queued.
     *
     * @return the number, all endpoints together
     */
    public int size() {
      return queues.values().stream().mapToInt(Deque::size).sum();
    }

    @Override
    public String toString() {
      return "Faults.State" + List.copyOf(queues.keySet());
    }
  }

  /** Takes the fault for the next request, resolved to a concrete one, or null for none. */
  synchronized @Nullable Fault next(Endpoint endpoint) {
    Deque<Injection> queue = queues.get(endpoint);
    Injection head = queue == null ? null : queue.peek();
    if (head == null) {
      return null;
    }
    if (head.remaining > 0 && --head.remaining == 0) {
      queue.poll();
    }
    return head.resolve();
  }

  /** One injection; {@code remaining} is 0 or less for an unlimited one. */
  private static final class Injection {
    private final Fault fault;
    private final @Nullable Random random;
    private int remaining;

    /** How many requests this injection has resolved, to replay a random one's sequence. */
    private long resolved;

    Injection(Fault fault, int times) {
      this.fault = fault;
      this.remaining = Math.max(times, 0);
      this.random = fault instanceof Fault.Randomly r ? new Random(r.seed()) : null;
    }

    /** A copy that goes on exactly as this one would: same requests left, same next outcomes. */
    Injection copy() {
      Injection copy = new Injection(fault, remaining);
      if (random != null) {
        for (long i = 0; i < resolved; i++) {
          copy.resolve();
        }
      }
      copy.resolved = resolved;
      return copy;
    }

    @Nullable Fault resolve() {
      resolved++;
      if (!(fault instanceof Fault.Randomly r) || random == null) {
        return fault;
      }
      if (random.nextDouble() >= r.probability()) {
        return null;
      }
      return r.choices().get(random.nextInt(r.choices().size()));
    }
  }
}
