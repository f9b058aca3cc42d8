package dev.patguard.spi;

import dev.patguard.token.SecretDigest;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A second cache level shared by several guards, between each guard's own cache and BRMS.
 *
 * <p>Entries are keyed by the secret's {@link SecretDigest} (never the secret) and hold opaque
 * bytes that only core writes and reads: a versioned serialization of what BRMS said, with its own
 * validity. Core decides every lifetime: it never asks for an entry to live longer than its cache
 * TTL or the token's expiry (a rejection: its negative TTL), and it never stores an outage.
 *
 * <p>The shared store is a trust boundary. An implementation backed by a store others can reach
 * should key entries by a keyed hash of the digest (an HMAC under a fleet key, never the digest or
 * a plain hash of it) and seal the values with an AEAD bound to the key, so that whoever can write
 * to the store but lacks the fleet key can neither forge nor move an entry.
 *
 * <p><b>Fail closed.</b> Every method may fail, time out or answer garbage: core treats each such
 * answer as a miss (counted in {@code CacheStats}, logged at a bounded rate) and goes on to its own
 * lookup. A fault of the shared level is never a permit and never an {@code Indeterminate} on its
 * own. Implementations should still answer fast (a short command timeout, a circuit breaker), since
 * core waits for {@link #get} before asking BRMS, up to its shared-cache timeout.
 *
 * <p>Implementations must be thread-safe; one instance may serve several guards.
 */
public interface SharedTokenCache {

  /**
   * Reads the entry for {@code digest}.
   *
   * @param digest the secret's digest
   * @return the bytes core stored, or empty if there is no live entry; a failed future is a miss
   */
  CompletableFuture<Optional<byte[]>> get(SecretDigest digest);

  /**
   * Stores an entry that must not outlive {@code ttl}; replaces any entry for the digest.
   *
   * @param digest the secret's digest
   * @param value the bytes to store, as core wrote them
   * @param ttl how long the store may keep them, positive
   * @return completes when stored; a failed future is counted and otherwise ignored
   */
  CompletableFuture<Void> put(SecretDigest digest, byte[] value, Duration ttl);

  /**
   * Deletes the entry for {@code digest} and tells every subscribed guard, in this process and in
   * others, to drop it from its own cache ({@link Listener#onInvalidated}).
   *
   * @param digest the secret's digest
   * @return completes when the entry is deleted and the invalidation sent; fails otherwise
   */
  CompletableFuture<Void> invalidate(SecretDigest digest);

  /**
   * Tries to take the short lock that makes this guard the one, across every guard sharing this
   * level, that asks BRMS about {@code digest} after a miss of both levels; the others wait a
   * bounded time for its answer to appear here, then ask BRMS themselves. The lock must expire by
   * itself after {@code lease}, so that a guard that died holding it delays no one for longer.
   *
   * <p>The default takes no lock: every guard asks BRMS itself.
   *
   * @param digest the secret's digest
   * @param lease how long the lock may be held at most, positive
   * @return the lock if taken; empty if another guard holds it; a failed future makes the guard ask
   *     BRMS itself
   */
  default CompletableFuture<Optional<Lock>> tryLock(SecretDigest digest, Duration lease) {
    return CompletableFuture.completedFuture(Optional.of(Lock.NONE));
  }

  /**
   * Registers a guard's cache for invalidations. A guard subscribes once, when it is built, and
   * cancels when it is closed.
   *
   * @param listener told about invalidations and about lost subscriptions
   * @return the registration, to cancel
   */
  Subscription subscribe(Listener listener);

  /**
   * A short name for logs, such as {@code redis}.
   *
   * @return the name
   */
  String name();

  /** What a shared level tells the guards that use it. Calls may come from any thread. */
  interface Listener {
    /**
     * Some guard invalidated {@code digest}: drop it from the local cache.
     *
     * @param digest the secret's digest
     */
    void onInvalidated(SecretDigest digest);

    /**
     * Invalidations may have been lost (the subscription dropped and came back, or was never
     * confirmed): drop everything that the shared level could have invalidated since.
     */
    void onReset();
  }

  /** A lock taken by {@link #tryLock}. */
  interface Lock {
    /** The lock of an implementation that does not coalesce: releasing it does nothing. */
    Lock NONE = () -> {};

    /** Releases the lock if this guard still holds it (best effort: it expires anyway). */
    void release();
  }

  /** A listener's registration. */
  interface Subscription extends AutoCloseable {
    /** Stops the listener's calls; idempotent. */
    @Override
    void close();
  }
}
