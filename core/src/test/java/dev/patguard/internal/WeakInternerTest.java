package dev.patguard.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class WeakInternerTest {

  /** A value whose hash is chosen, to force collisions; equal when both fields are. */
  record Colliding(int hash, String name) {
    @Override
    public int hashCode() {
      return hash;
    }
  }

  @Test
  void internWhenEqualValueInternedBeforeThenReturnsTheFirstInstance() {
    WeakInterner<String> interner = new WeakInterner<>();
    String first = new String("releases:deploy");
    String second = new String("releases:deploy");
    assertNotSame(first, second);

    assertSame(first, interner.intern(first));
    assertSame(first, interner.intern(second));
    assertEquals(1, interner.size());
  }

  @Test
  void internWhenHashesCollideThenUnequalValuesStayApart() {
    WeakInterner<Colliding> interner = new WeakInterner<>();
    Colliding a = new Colliding(7, "a");
    Colliding b = new Colliding(7, "b");
    Colliding c = new Colliding(7 + (1 << 20), "c");

    assertSame(a, interner.intern(a));
    assertSame(b, interner.intern(b));
    assertSame(c, interner.intern(c));
    assertSame(a, interner.intern(new Colliding(7, "a")));
    assertSame(b, interner.intern(new Colliding(7, "b")));
    assertEquals(3, interner.size());
  }

  @Test
  void internWhenManyValuesThenTheTableGrowsAndEveryValueStaysCanonical() {
    WeakInterner<String> interner = new WeakInterner<>();
    List<String> firsts = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      firsts.add(interner.intern("value-" + i));
    }

    for (int i = 0; i < 10_000; i++) {
      assertSame(firsts.get(i), interner.intern("value-" + i));
    }
    assertEquals(10_000, interner.size());
  }

  @Test
  void internWhenReferencesWereClearedThenTheyAreDroppedTheTableShrinksAndAnEqualValueIsInternedAnew() {
    WeakInterner<String> interner = new WeakInterner<>();
    List<String> firsts = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      firsts.add(interner.intern("value-" + i));
    }
    int grown = interner.capacity();

    interner.clearAllForTesting();

    assertEquals(0, interner.size());
    assertEquals(16, interner.capacity(), "shrunk from " + grown);
    String again = new String("value-1");
    assertSame(again, interner.intern(again), "the earlier instance is no longer the canonical one");
    assertNotSame(firsts.get(1), interner.intern("value-1"));
    assertEquals(1, interner.size());
  }

  @Test
  void internWhenNullThenRefused() {
    NullPointerException e = assertThrows(NullPointerException.class, () -> new WeakInterner<String>().intern(null));
    assertEquals("value must not be null", e.getMessage());
  }

  @Test
  void internWhenThreadsInternEqualValuesAtOnceThenAllGetOneInstance() throws Exception {
    WeakInterner<String> interner = new WeakInterner<>();
    int threads = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<String>>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        results.add(pool.submit(() -> {
          start.await();
          List<String> out = new ArrayList<>();
          for (int i = 0; i < 2_000; i++) {
            out.add(interner.intern(new String("shared-" + i)));
          }
          return out;
        }));
      }
      start.countDown();
      List<String> reference = results.get(0).get();
      for (Future<List<String>> f : results) {
        List<String> mine = f.get();
        for (int i = 0; i < reference.size(); i++) {
          assertSame(reference.get(i), mine.get(i));
        }
      }
      assertEquals(2_000, interner.size());
    } finally {
      pool.shutdownNow();
    }
  }
}
