package dev.patguard.fakebrms.internal;

import dev.patguard.fakebrms.Endpoint;
import dev.patguard.fakebrms.Fault;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
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

        Injection(Fault fault, int times) {
            this.fault = fault;
            this.remaining = Math.max(times, 0);
            this.random = fault instanceof Fault.Randomly r ? new Random(r.seed()) : null;
        }

        @Nullable Fault resolve() {
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
