package dev.patguard.spi;

import dev.patguard.token.SecretDigest;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
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
   * Like {@link #put}, naming the BRMS token ids the entry's facts are about, so that {@link
   * #invalidateToken} can find the entry by any of them: one id for an exact lookup, every
   * candidate's for an ambiguous one, none for a rejection. Core calls this one.
   *
   * <p>The default ignores the ids and calls {@link #put}: an implementation that does not index
   * entries by token id need not change, and answers {@link #invalidateToken} with a failure.
   *
   * @param digest the secret's digest
   * @param value the bytes to store, as core wrote them
   * @param ttl how long the store may keep them, positive
   * @param tokenIds the token ids the facts name; empty for a rejection
   * @return completes when stored; a failed future is counted and otherwise ignored
   */
  default CompletableFuture<Void> put(
      SecretDigest digest, byte[] value, Duration ttl, Set<UUID> tokenIds) {
    return put(digest, value, ttl);
  }

  /**
   * Deletes the entry for {@code digest} and tells every subscribed guard, in this process and in
   * others, to drop it from its own cache ({@link Listener#onInvalidated}).
   *
   * @param digest the secret's digest
   * @return completes when the entry is deleted and the invalidation sent; fails otherwise
   */
  CompletableFuture<Void> invalidate(SecretDigest digest);

  /**
   * Deletes every entry whose facts name BRMS token {@code tokenId} (as given to {@link
   * #put(SecretDigest, byte[], Duration, Set)}), keeps them from being written again for a while,
   * and tells every subscribed guard to drop the entries naming that id from its own cache ({@link
   * Listener#onTokenInvalidated}). For an operator who knows which token was revoked but not its
   * secret.
   *
   * <p>The default fails with {@link UnsupportedOperationException}: an implementation must index
   * its entries by token id to do this.
   *
   * @param tokenId the BRMS token id
   * @return completes when the entries are deleted and the invalidation sent; fails otherwise
   */
  default CompletableFuture<Void> invalidateToken(UUID tokenId) {
    return CompletableFuture.failedFuture(
        new UnsupportedOperationException(
            "the shared cache " + name() + " cannot invalidate by token id"));
  }

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
     * Some guard invalidated BRMS token {@code tokenId}: drop every local entry whose facts name
     * it, exact or as one candidate of an ambiguous lookup.
     *
     * <p>The default drops everything ({@link #onReset}), which is never wrong, only costly.
     *
     * @param tokenId the BRMS token id
     */
    default void onTokenInvalidated(UUID tokenId) {
      onReset();
    }

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
