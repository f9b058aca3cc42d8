package dev.patguard.internal;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Canonical instances of equal values, held weakly: {@link #intern} returns the instance already
 * interned that {@linkplain Object#equals equals} its argument, or interns the argument. A value is
 * forgotten once nothing else refers to it. Values must be immutable, with {@code equals} and
 * {@code hashCode} over all their state: interning merges exactly the values {@code equals} calls
 * equal.
 *
 * <p>Why not Caffeine's {@code Interner.newWeakInterner()}: measured with {@code MemoryMain}, it
 * costs about 85 bytes per distinct live value (a {@code ConcurrentHashMap} node, Caffeine's node
 * and a weak key reference), this one about 50 (a 40-byte weak reference carrying its hash and
 * chain link, and its share of the table). Grants intern an owner and each project per token, so
 * for tokens whose owner and projects are their own the difference is about 100 bytes per cached
 * entry.
 *
 * <p>Thread-safe, with one lock: values are interned when a grant is compiled, on the lookup path
 * after a BRMS round trip, never while deciding. Cleared references are dropped on the next call.
 *
 * @param <T> the type of the values
 */
public final class WeakInterner<T> {
  private static final int MIN_CAPACITY = 16;

  private final ReferenceQueue<T> queue = new ReferenceQueue<>();
  private @Nullable Ref<T>[] table = newTable(MIN_CAPACITY);
  private int size;

  /** The canonical instance equal to {@code value}: an earlier one still alive, else {@code value} itself. */
  public T intern(T value) {
    Objects.requireNonNull(value, "value must not be null");
    int hash = spread(value.hashCode());
    synchronized (this) {
      expungeStale();
      @Nullable Ref<T>[] tab = table;
      int i = hash & (tab.length - 1);
      for (Ref<T> r = tab[i]; r != null; r = r.chain) {
        if (r.hash == hash) {
          T existing = r.get();
          if (existing != null && existing.equals(value)) {
            return existing;
          }
        }
      }
      tab[i] = new Ref<>(value, queue, hash, tab[i]);
      size++;
      if (size > tab.length - (tab.length >>> 2)) {
        resize(tab.length << 1);
      }
      return value;
    }
  }

  /** How many values are interned, counting any whose reference was cleared but not yet dropped. */
  public synchronized int size() {
    expungeStale();
    return size;
  }

  /** The table's length: for tests, which check that it shrinks again. */
  synchronized int capacity() {
    return table.length;
  }

  /**
   * Clears and enqueues every reference, as a collection would once nothing else refers to the
   * values: for tests, which must not wait on the garbage collector.
   */
  synchronized void clearAllForTesting() {
    for (Ref<T> head : table) {
      for (Ref<T> r = head; r != null; r = r.chain) {
        r.enqueue();
      }
    }
  }

  private void expungeStale() {
    boolean dropped = false;
    for (Reference<? extends T> polled; (polled = queue.poll()) != null; ) {
      @SuppressWarnings("unchecked")
      Ref<T> stale = (Ref<T>) polled;
      int i = stale.hash & (table.length - 1);
      @Nullable Ref<T> previous = null;
      for (Ref<T> r = table[i]; r != null; previous = r, r = r.chain) {
        if (r == stale) {
          if (previous == null) {
            table[i] = r.chain;
          } else {
            previous.chain = r.chain;
          }
          r.chain = null;
          size--;
          dropped = true;
          break;
        }
      }
    }
    if (dropped) {
      int capacity = table.length;
      while (capacity > MIN_CAPACITY && size < capacity >>> 3) {
        capacity >>>= 1;
      }
      if (capacity != table.length) {
        resize(capacity);
      }
    }
  }

  private void resize(int capacity) {
    @Nullable Ref<T>[] resized = newTable(capacity);
    for (Ref<T> head : table) {
      for (Ref<T> r = head; r != null; ) {
        Ref<T> next = r.chain;
        int i = r.hash & (capacity - 1);
        r.chain = resized[i];
        resized[i] = r;
        r = next;
      }
    }
    table = resized;
  }

  @SuppressWarnings("unchecked")
  private static <T> @Nullable Ref<T>[] newTable(int capacity) {
    return (Ref<T>[]) new Ref<?>[capacity];
  }

  private static int spread(int h) {
    return h ^ (h >>> 16);
  }

  @Override
  public String toString() {
    return "WeakInterner[size=" + size() + "]";
  }

  /** One interned value: the weak reference itself is the table entry. */
  private static final class Ref<T> extends WeakReference<T> {
    final int hash;
    @Nullable Ref<T> chain;

    Ref(T value, ReferenceQueue<T> queue, int hash, @Nullable Ref<T> chain) {
      super(value, queue);
      this.hash = hash;
      this.chain = chain;
    }
  }
}
