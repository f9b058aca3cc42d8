package dev.patguard.testing;

import dev.patguard.spi.SharedTokenCache;
import dev.patguard.token.SecretDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A shared level in memory, for several guards in one test: entries expire by an injected ticker,
 * invalidations reach every subscribed guard at once, and faults can be switched on. A real class
 * with real behaviour, not a mock: what the guards see of it is what they would see of a store.
 */
public final class InMemorySharedCache implements SharedTokenCache {

  /** How the store answers reads and writes. */
  public enum Mode {
    /** As a store should. */
    WORKING,
    /** Every call throws at once. */
    THROWING,
    /** Every call returns a failed future. */
    FAILING,
    /** Every call returns a future that never completes. */
    HANGING,
    /** Entries are kept past their TTL, as a store someone tampered with might. */
    KEEPING_FOREVER
  }

  private record Entry(byte[] value, long expiresAtNanos, Duration ttl) {}

  private final LongSupplier ticker;
  private final Map<SecretDigest, Entry> entries = new ConcurrentHashMap<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final Map<UUID, Set<SecretDigest>> byTokenId = new ConcurrentHashMap<>();
  private final Map<SecretDigest, Long> locks = new ConcurrentHashMap<>();
  private final AtomicLong lockAttempts = new AtomicLong();
  private final AtomicLong gets = new AtomicLong();
  private final AtomicLong puts = new AtomicLong();
  private volatile Mode mode = Mode.WORKING;
  private final java.util.concurrent.atomic.AtomicInteger readsToMiss =
      new java.util.concurrent.atomic.AtomicInteger();

  public InMemorySharedCache(LongSupplier ticker) {
    this.ticker = ticker;
  }

  /**
   * The next {@code reads} reads find nothing, whatever is stored: as reads that ran just before
   * another replica's write landed.
   */
  public void missNextReads(int reads) {
    readsToMiss.set(reads);
  }

  public void mode(Mode mode) {
    this.mode = mode;
  }

  /** Writes raw bytes for {@code digest}, as someone with access to the store could. */
  public void write(SecretDigest digest, byte[] value) {
    entries.put(digest, new Entry(value.clone(), Long.MAX_VALUE, Duration.ofDays(1)));
  }

  /** The bytes held for {@code digest}, even past their TTL. */
  public Optional<byte[]> raw(SecretDigest digest) {
    Entry e = entries.get(digest);
    return e == null ? Optional.empty() : Optional.of(e.value().clone());
  }

  /** The TTL the last write for {@code digest} asked for. */
  public Optional<Duration> ttlOf(SecretDigest digest) {
    Entry e = entries.get(digest);
    return e == null ? Optional.empty() : Optional.of(e.ttl());
  }

  /** Every value held. */
  public List<byte[]> values() {
    return entries.values().stream().map(e -> e.value().clone()).toList();
  }

  public int size() {
    return entries.size();
  }

  public long gets() {
    return gets.get();
  }

  public long puts() {
    return puts.get();
  }

  /** Tells every guard that invalidations may have been lost, as after a reconnect. */
  public void reset() {
    listeners.forEach(Listener::onReset);
  }

  private <T> CompletableFuture<T> fault() {
    switch (mode) {
      case THROWING:
        throw new IllegalStateException("the in-memory store is broken");
      case FAILING:
        return CompletableFuture.failedFuture(new IllegalStateException("the store is down"));
      case HANGING:
        return new CompletableFuture<>();
      default:
        return null;
    }
  }

  @Override
  public CompletableFuture<Optional<byte[]>> get(SecretDigest digest) {
    gets.incrementAndGet();
    CompletableFuture<Optional<byte[]>> f = fault();
    if (f != null) {
      return f;
    }
    Entry e = entries.get(digest);
    if (e == null || readsToMiss.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    if (mode != Mode.KEEPING_FOREVER && ticker.getAsLong() - e.expiresAtNanos() >= 0) {
      entries.remove(digest, e);
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return CompletableFuture.completedFuture(Optional.of(e.value().clone()));
  }

  @Override
  public CompletableFuture<Void> put(SecretDigest digest, byte[] value, Duration ttl) {
    CompletableFuture<Void> f = fault();
    if (f != null) {
      return f;
    }
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive, got " + ttl);
    }
    puts.incrementAndGet();
    entries.put(digest, new Entry(value.clone(), ticker.getAsLong() + ttl.toNanos(), ttl));
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> put(
      SecretDigest digest, byte[] value, Duration ttl, Set<UUID> tokenIds) {
    CompletableFuture<Void> stored = put(digest, value, ttl);
    for (UUID id : tokenIds) {
      byTokenId.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(digest);
    }
    return stored;
  }

  /** The token ids the entries written so far were indexed under. */
  public Set<UUID> indexedTokenIds() {
    return Set.copyOf(byTokenId.keySet());
  }

  @Override
  public CompletableFuture<Void> invalidateToken(UUID tokenId) {
    CompletableFuture<Void> f = fault();
    if (f != null) {
      return f;
    }
    Set<SecretDigest> named = byTokenId.remove(tokenId);
    if (named != null) {
      named.forEach(entries::remove);
    }
    listeners.forEach(l -> l.onTokenInvalidated(tokenId));
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> invalidate(SecretDigest digest) {
    CompletableFuture<Void> f = fault();
    if (f != null) {
      return f;
    }
    entries.remove(digest);
    listeners.forEach(l -> l.onInvalidated(digest));
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Optional<Lock>> tryLock(SecretDigest digest, Duration lease) {
    lockAttempts.incrementAndGet();
    CompletableFuture<Optional<Lock>> f = fault();
    if (f != null) {
      return f;
    }
    long now = ticker.getAsLong();
    long until = now + lease.toNanos();
    Long[] mine = new Long[1];
    locks.compute(
        digest,
        (d, held) -> {
          if (held != null && held - now > 0) {
            return held;
          }
          mine[0] = until;
          return until;
        });
    if (mine[0] == null) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    Long token = mine[0];
    return CompletableFuture.completedFuture(Optional.of(() -> locks.remove(digest, token)));
  }

  /** Takes the lock for {@code digest} as a guard that then dies would: never released. */
  public void holdLock(SecretDigest digest) {
    locks.put(digest, Long.MAX_VALUE);
  }

  public long lockAttempts() {
    return lockAttempts.get();
  }

  public boolean isLocked(SecretDigest digest) {
    return locks.containsKey(digest);
  }

  @Override
  public Subscription subscribe(Listener listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  public int subscribers() {
    return listeners.size();
  }

  @Override
  public String name() {
    return "in-memory";
  }
}
