package dev.patguard;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.patguard.decision.Grant;
import dev.patguard.decision.IndeterminateCause;
import dev.patguard.decision.PermissionModel;
import dev.patguard.spi.SharedTokenCache;
import dev.patguard.token.PersonalAccessToken;
import dev.patguard.token.SecretDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Caches what BRMS says about secrets, keyed by the secret's SHA-256 (the secret itself is never
 * stored).
 *
 * <ul>
 *   <li><b>Lifetime.</b> A grant lives min(TTL, {@code expiresAt} − now): an entry never outlives
 *       its token. The TTL (default 60 s) is also the <b>revocation window</b>: a token revoked in
 *       BRMS may still be served from cache for up to the TTL. Lower it if that is too long.
 *   <li><b>Coalescing.</b> Concurrent misses for one secret make one upstream lookup; every caller
 *       gets its result.
 *   <li><b>Negative caching.</b> Rejected secrets are remembered briefly (default 5 s) in a
 *       separate, bounded space (default 10 000), so a flood of random tokens neither reaches BRMS
 *       for each repeat nor evicts the grants of real callers.
 *   <li><b>Outages are never cached.</b> A failed lookup fails every caller that joined it, and the
 *       next call asks again. With stale-if-error (off by default) an outage is answered with the
 *       last grant for up to the grace period past its TTL, flagged stale.
 *   <li><b>Shared level (fleet mode).</b> With a {@link SharedTokenCache}, a miss asks it before
 *       BRMS (waiting at most the shared timeout), and what BRMS answers is written to it with the
 *       same lifetime rules: a grant for min(TTL, {@code expiresAt} − now), a rejection for the
 *       negative TTL, an outage never. An entry read from it lives locally only for what is left of
 *       the writer's lifetime. Whatever it fails with or answers that does not parse is a miss,
 *       counted and logged at a bounded rate. Invalidations go to it and come back from it (from
 *       every guard that shares it); when it says invalidations may have been lost, everything
 *       local is dropped.
 *   <li><b>Bulkhead.</b> At most {@code maxConcurrentLookups} (default 16) lookups run at once; up
 *       to {@code maxQueuedLookups} (default 1 024) wait; beyond that, lookups are shed at once.
 * </ul>
 *
 * Two sources of time, kept apart: entries age by a monotonic {@linkplain Builder#ticker ticker}
 * (default {@code System.nanoTime}), so a wall-clock step back never extends an entry; what the
 * facts mean ({@code expiresAt} − now) comes from the {@link Clock}. Tests move both fakes instead
 * of sleeping. Every instant and duration sum saturates: a token that expires in the year 9999 is
 * cached for the TTL.
 */
final class TokenCache {
  private static final System.Logger LOG = System.getLogger(TokenCache.class.getName());

  /** How often a guard waiting for another guard's lookup looks at the shared level. */
  private static final Duration LOCK_POLL = Duration.ofMillis(20);

  private final TokenLookup lookup;
  private final Clock clock;
  private final Duration ttl;
  private final Duration negativeTtl;
  private final Duration staleGrace;
  private final long ttlNanos;
  private final long negativeTtlNanos;
  private final Cache<SecretDigest, TokenFacts.Known> grants;
  private final Cache<SecretDigest, TokenFacts> rejections;
  private final @Nullable Cache<SecretDigest, TokenFacts.Known> stale;
  private final ConcurrentHashMap<SecretDigest, CompletableFuture<Answer>> inFlight =
      new ConcurrentHashMap<>();
  private final AsyncBulkhead bulkhead;
  private final @Nullable SharedTokenCache shared;
  private final @Nullable PermissionModel sharedModel;
  private final Duration sharedTimeout;
  private final Duration sharedLockWait;
  private final Executor lockPollExecutor;
  private final SharedTokenCache.@Nullable Subscription subscription;
  private final BoundedLog sharedLog = new BoundedLog(LOG);

  /**
   * Bumped by every invalidation: a load that started before one neither caches nor shares what it
   * found, since it may have asked BRMS before the revocation it was told about.
   */
  private final AtomicLong invalidations = new AtomicLong();

  private final LongAdder hits = new LongAdder();
  private final LongAdder negativeHits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder upstream = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder outages = new LongAdder();
  private final LongAdder staleServed = new LongAdder();
  private final LongAdder shed = new LongAdder();
  private final LongAdder sharedHits = new LongAdder();
  private final LongAdder sharedMisses = new LongAdder();
  private final LongAdder sharedErrors = new LongAdder();
  private final LongAdder sharedInvalidations = new LongAdder();
  private final LongAdder sharedResets = new LongAdder();

  private TokenCache(Builder b, TokenLookup lookup) {
    this.lookup = lookup;
    this.clock = b.clock;
    this.ttl = b.ttl;
    this.negativeTtl = b.negativeTtl;
    this.staleGrace = b.staleGrace;
    this.ttlNanos = TimeMath.toNanos(ttl);
    this.negativeTtlNanos = TimeMath.toNanos(negativeTtl);
    // Ages come from a monotonic ticker, never from the wall clock: an NTP step back must not
    // extend entries. The clock only says what the facts mean (expiresAt - now).
    LongSupplier nanoTime = b.ticker;
    Ticker ticker = nanoTime::getAsLong;
    this.grants =
        Caffeine.newBuilder()
            .maximumSize(b.maximumSize)
            .expireAfter(new GrantLifetime())
            .ticker(ticker)
            .executor(Runnable::run)
            .build();
    // Variable expiry, so that a rejection read from the shared level lives only what is left.
    Duration negative = negativeTtl;
    this.rejections =
        Caffeine.newBuilder()
            .maximumSize(b.negativeMaximumSize)
            .expireAfter(Expiry.<SecretDigest, TokenFacts>writing((k, v) -> negative))
            .ticker(ticker)
            .executor(Runnable::run)
            .build();
    this.stale =
        staleGrace.isZero()
            ? null
            : Caffeine.newBuilder()
                .maximumSize(b.maximumSize)
                .expireAfterWrite(ttl.plus(staleGrace))
                .ticker(ticker)
                .executor(Runnable::run)
                .<SecretDigest, TokenFacts.Known>build();
    this.bulkhead = new AsyncBulkhead(b.maxConcurrentLookups, b.maxQueuedLookups, b.executor);
    this.shared = b.shared;
    this.sharedModel = b.sharedModel;
    this.sharedTimeout = b.sharedTimeout;
    this.sharedLockWait = b.sharedLockWait;
    this.lockPollExecutor = b.executor;
    this.subscription = shared == null ? null : shared.subscribe(new Invalidations());
  }

  /** A cache in front of {@code lookup}; configure it with the returned builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Facts and where they came from.
   *
   * @param facts what is known about the secret
   * @param source where it came from; a caller that joined a lookup in flight gets that lookup's
   */
  record Answer(TokenFacts facts, DecisionEvent.FactsSource source) {
    /** What a lookup that reached BRMS (or tried to) settled on. */
    static Answer upstream(TokenFacts facts) {
      return new Answer(
          facts,
          facts instanceof TokenFacts.Unavailable
              ? DecisionEvent.FactsSource.NONE
              : DecisionEvent.FactsSource.BRMS);
    }
  }

  /**
   * What is known about {@code secret}: from the cache, or from one (possibly shared) lookup. The
   * future never fails: an outage is {@link TokenFacts.Unavailable} (answered with stale facts
   * instead when stale-if-error has them), a shed lookup {@code Unavailable(OVERLOADED)}.
   */
  public CompletableFuture<TokenFacts> get(String secret, SecretDigest digest) {
    return answer(secret, digest).thenApply(Answer::facts);
  }

  /** Like {@link #get}, saying where the facts came from (for the decision's event). */
  CompletableFuture<Answer> answer(String secret, SecretDigest digest) {
    Answer hit = local(digest);
    if (hit != null) {
      return CompletableFuture.completedFuture(hit);
    }
    misses.increment();
    CompletableFuture<Answer> mine = new CompletableFuture<>();
    CompletableFuture<Answer> running = inFlight.putIfAbsent(digest, mine);
    if (running == null) {
      load(secret, digest, mine);
      running = mine;
    }
    // Joiners share the owner's answer, source included: they waited for the same lookup.
    return running.thenApply(
        a -> a.facts() instanceof TokenFacts.Unavailable u ? staleOr(digest, u) : a);
  }

  /**
   * What this cache holds for {@code digest} now (a hit, counted as one), or null; a caller that
   * gets null goes on to {@link #answer}, which counts the miss.
   */
  @Nullable Answer local(SecretDigest digest) {
    TokenFacts.Known known = read(grants, digest);
    if (known != null) {
      hits.increment();
      return new Answer(known, DecisionEvent.FactsSource.LOCAL_CACHE);
    }
    TokenFacts negative = read(rejections, digest);
    if (negative != null) {
      negativeHits.increment();
      return new Answer(negative, DecisionEvent.FactsSource.LOCAL_CACHE);
    }
    return null;
  }

  /**
   * One read in this many is recorded for the size eviction policy ({@link #read}): enough for
   * W-TinyLFU to tell hot tokens from cold ones.
   */
  static final int RECORDED_READ_SAMPLE = 16;

  /**
   * Reads {@code key}, recording one read in {@value #RECORDED_READ_SAMPLE} for the eviction policy
   * and the others quietly. A recorded read goes through Caffeine's read buffer, and every few
   * reads the reader drains it (the executor is the caller), writing to the entry's links and the
   * frequency sketch; on a hot token every request of every thread reads the same entry, so that
   * was most of a hit's cost (JFR of the Spring benchmark: 2.2 % of Tomcat samples in the filter
   * app, more than the SHA-256). A quiet read still answers null for an expired entry; the TTL
   * never depends on reads ({@link GrantLifetime#expireAfterRead}).
   */
  private static <V> @Nullable V read(Cache<SecretDigest, V> cache, SecretDigest key) {
    return ThreadLocalRandom.current().nextInt(RECORDED_READ_SAMPLE) == 0
        ? cache.getIfPresent(key)
        : cache.policy().getIfPresentQuietly(key);
  }

  /** Runs the one lookup for {@code digest}; every caller that joined waits on {@code result}. */
  private void load(String secret, SecretDigest digest, CompletableFuture<Answer> result) {
    // A load that finished between our cache miss and taking ownership left its answer behind.
    TokenFacts settled = grants.getIfPresent(digest);
    if (settled == null) {
      settled = rejections.getIfPresent(digest);
    }
    if (settled != null) {
      inFlight.remove(digest, result);
      result.complete(new Answer(settled, DecisionEvent.FactsSource.LOCAL_CACHE));
      return;
    }
    long generation = invalidations.get();
    if (shared == null) {
      loadUpstream(secret, digest, result, generation, SharedTokenCache.Lock.NONE);
      return;
    }
    readShared(digest, generation, true)
        .whenComplete(
            (read, error) -> {
              if (read != null && read.facts() != null) {
                sharedHit(digest, result, read.facts());
              } else if (read != null && !read.fault() && !sharedLockWait.isZero()) {
                lockThenLoad(secret, digest, result, generation);
              } else {
                loadUpstream(secret, digest, result, generation, SharedTokenCache.Lock.NONE);
              }
            });
  }

  private void sharedHit(SecretDigest digest, CompletableFuture<Answer> result, TokenFacts facts) {
    sharedHits.increment();
    inFlight.remove(digest, result);
    result.complete(new Answer(facts, DecisionEvent.FactsSource.SHARED_CACHE));
  }

  /**
   * Both levels missed: take the fleet-wide lock and ask BRMS, or, if another guard holds it, wait
   * up to the lock wait for its answer to reach the shared level, then ask BRMS anyway.
   */
  private void lockThenLoad(
      String secret, SecretDigest digest, CompletableFuture<Answer> result, long generation) {
    SharedTokenCache level = Objects.requireNonNull(shared);
    CompletableFuture<Optional<SharedTokenCache.Lock>> lock;
    try {
      lock = level.tryLock(digest, sharedLockWait).copy();
    } catch (RuntimeException e) {
      lock = CompletableFuture.failedFuture(e);
    }
    lock.orTimeout(sharedTimeout.toNanos(), TimeUnit.NANOSECONDS)
        .whenComplete(
            (taken, error) -> {
              if (error != null) {
                sharedFault(digest, "could not be locked", error);
                loadUpstream(secret, digest, result, generation, SharedTokenCache.Lock.NONE);
              } else if (taken == null || taken.orElse(null) == SharedTokenCache.Lock.NONE) {
                // No answer, or a level that does not coalesce: nothing to wait for or look at.
                loadUpstream(secret, digest, result, generation, SharedTokenCache.Lock.NONE);
              } else if (taken.isEmpty()) {
                int polls = (int) Math.max(1, sharedLockWait.toNanos() / LOCK_POLL.toNanos());
                awaitOther(secret, digest, result, generation, polls);
              } else {
                loadHolding(secret, digest, result, generation, taken.get());
              }
            });
  }

  /**
   * This guard holds the lock: look at the shared level once more before asking BRMS. Another guard
   * may have written its answer and released the lock between our first read and our lock, and
   * without this second look a burst spread over many replicas costs a BRMS call per such race.
   */
  private void loadHolding(
      String secret,
      SecretDigest digest,
      CompletableFuture<Answer> result,
      long generation,
      SharedTokenCache.Lock lock) {
    readShared(digest, generation, false)
        .whenComplete(
            (read, error) -> {
              if (read != null && read.facts() != null) {
                release(lock);
                sharedHit(digest, result, read.facts());
              } else {
                loadUpstream(secret, digest, result, generation, lock);
              }
            });
  }

  /** Another guard is asking BRMS: look for its answer every {@link #LOCK_POLL}. */
  private void awaitOther(
      String secret,
      SecretDigest digest,
      CompletableFuture<Answer> result,
      long generation,
      int pollsLeft) {
    CompletableFuture.runAsync(
        () ->
            readShared(digest, generation, true)
                .whenComplete(
                    (read, error) -> {
                      if (read != null && read.facts() != null) {
                        sharedHit(digest, result, read.facts());
                      } else if (read != null && !read.fault() && pollsLeft > 1) {
                        awaitOther(secret, digest, result, generation, pollsLeft - 1);
                      } else {
                        // Waited long enough (the holder died or BRMS failed it): ask ourselves.
                        loadUpstream(
                            secret, digest, result, generation, SharedTokenCache.Lock.NONE);
                      }
                    }),
        CompletableFuture.delayedExecutor(
            LOCK_POLL.toNanos(), TimeUnit.NANOSECONDS, lockPollExecutor));
  }

  private void loadUpstream(
      String secret,
      SecretDigest digest,
      CompletableFuture<Answer> result,
      long generation,
      SharedTokenCache.Lock lock) {
    bulkhead
        .submit(
            () -> {
              upstream.increment();
              return lookup.find(secret, digest);
            })
        // A lookup answers outages as values; a failed future here is a shed lookup or a bug.
        .exceptionally(e -> TokenLookup.Found.of(TokenLookup.unavailable(e)))
        .whenComplete(
            (found, error) -> {
              // Leave the in-flight map before completing, so that later callers read the cache.
              TokenFacts answer =
                  error != null ? TokenLookup.unavailable(error) : store(digest, found, generation);
              inFlight.remove(digest, result);
              result.complete(Answer.upstream(answer));
              release(lock);
            });
  }

  private static void release(SharedTokenCache.Lock lock) {
    try {
      lock.release();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.DEBUG, "releasing a shared-cache lock failed", e);
    }
  }

  /** What a read of the shared level found: facts, nothing, or a fault. */
  private record SharedRead(@Nullable TokenFacts facts, boolean fault) {
    static final SharedRead MISS = new SharedRead(null, false);
    static final SharedRead FAULT = new SharedRead(null, true);
  }

  /**
   * Asks the shared level; completes with the facts it holds for {@code digest}, stored locally for
   * what is left of their lifetime, with a miss (counted unless {@code countMiss} is false: the
   * lock holder's second look is not a second miss), or with a (counted) fault. Never fails.
   */
  private CompletableFuture<SharedRead> readShared(
      SecretDigest digest, long generation, boolean countMiss) {
    SharedTokenCache level = Objects.requireNonNull(shared);
    CompletableFuture<Optional<byte[]>> read;
    try {
      // A copy, so that the timeout completes our future and not one the implementation kept.
      read = level.get(digest).copy();
    } catch (RuntimeException e) {
      read = CompletableFuture.failedFuture(e);
    }
    return read.orTimeout(sharedTimeout.toNanos(), TimeUnit.NANOSECONDS)
        .handle(
            (bytes, error) -> {
              if (error != null) {
                sharedFault(digest, "could not be read", error);
                return SharedRead.FAULT;
              }
              if (bytes == null || bytes.isEmpty()) {
                if (countMiss) {
                  sharedMisses.increment();
                }
                return SharedRead.MISS;
              }
              return fromShared(digest, bytes.get(), generation, countMiss);
            });
  }

  private SharedRead fromShared(
      SecretDigest digest, byte[] bytes, long generation, boolean countMiss) {
    SharedFacts.Decoded decoded;
    try {
      decoded = SharedFacts.decode(bytes, Objects.requireNonNull(sharedModel), digest);
    } catch (SharedFacts.GarbageException | RuntimeException e) {
      sharedErrors.increment();
      sharedLog.warn(
          "the shared cache ("
              + Objects.requireNonNull(shared).name()
              + ") holds an entry for token "
              + digest.fingerprint()
              + " that core cannot read ("
              + e.getMessage()
              + "): treated as a miss");
      return SharedRead.FAULT;
    }
    Duration left = Duration.between(clock.instant(), decoded.until());
    if (left.isNegative() || left.isZero() || invalidations.get() != generation) {
      // Expired by the writer's lifetime, or invalidated while we read: ask BRMS.
      if (countMiss) {
        sharedMisses.increment();
      }
      return SharedRead.MISS;
    }
    TokenFacts facts = decoded.facts();
    if (facts instanceof TokenFacts.Known known) {
      Duration local = min(left, grantLifetime(known));
      grants.policy().expireVariably().orElseThrow().put(digest, known, local);
      if (stale != null) {
        stale.put(digest, new TokenFacts.Known(known.grant(), true));
      }
    } else {
      rejections.policy().expireVariably().orElseThrow().put(digest, facts, min(left, negativeTtl));
    }
    return new SharedRead(facts, false);
  }

  private void sharedFault(SecretDigest digest, String what, Throwable error) {
    sharedFault("token " + digest.fingerprint(), what, error);
  }

  private void sharedFault(String subject, String what, Throwable error) {
    sharedErrors.increment();
    Throwable cause = error;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    String detail =
        cause instanceof TimeoutException
            ? "no answer within " + sharedTimeout
            : cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    sharedLog.warn(
        "the shared cache ("
            + Objects.requireNonNull(shared).name()
            + ") "
            + what
            + " for "
            + subject
            + " ("
            + detail
            + "); deciding from the local cache and BRMS");
  }

  private TokenFacts store(SecretDigest digest, TokenLookup.Found found, long generation) {
    TokenFacts facts = found.facts();
    if (!(facts instanceof TokenFacts.Unavailable) && invalidations.get() != generation) {
      // Invalidated while we asked: BRMS may have answered from before the revocation.
      return facts;
    }
    if (facts instanceof TokenFacts.Known known) {
      grants.put(digest, known);
      if (stale != null) {
        stale.put(digest, new TokenFacts.Known(known.grant(), true));
      }
      Instant now = clock.instant();
      Instant expiresAt = known.grant().expiresAt().orElse(null);
      // An expired token's facts are not shared: they deny at once, and live briefly here.
      if (shared != null
          && !found.candidates().isEmpty()
          && (expiresAt == null || now.isBefore(expiresAt))) {
        Duration life = grantLifetime(known);
        writeShared(
            digest,
            SharedFacts.known(found.candidates(), TimeMath.plus(now, life)),
            life,
            tokenIds(found.candidates()));
      }
    } else if (facts instanceof TokenFacts.Unavailable u) {
      // Never cached: the next call asks again.
      if (u.cause() == IndeterminateCause.OVERLOADED) {
        shed.increment();
      } else {
        outages.increment();
      }
    } else {
      rejected.increment();
      rejections.put(digest, facts);
      if (shared != null) {
        Instant until = TimeMath.plus(clock.instant(), negativeTtl);
        writeShared(digest, SharedFacts.denied(facts, until), negativeTtl, Set.of());
      }
    }
    return facts;
  }

  private void writeShared(SecretDigest digest, byte[] value, Duration life, Set<UUID> tokenIds) {
    SharedTokenCache level = Objects.requireNonNull(shared);
    CompletableFuture<Void> put;
    try {
      put = level.put(digest, value, life, tokenIds);
    } catch (RuntimeException e) {
      put = CompletableFuture.failedFuture(e);
    }
    put.whenComplete(
        (ok, error) -> {
          if (error != null) {
            sharedFault(digest, "could not be written", error);
          }
        });
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** How long a grant may live from now: min(TTL, expiresAt − now), as {@link GrantLifetime}. */
  private Duration grantLifetime(TokenFacts.Known known) {
    Instant expiresAt = known.grant().expiresAt().orElse(null);
    if (expiresAt == null) {
      return ttl;
    }
    Duration left = Duration.between(clock.instant(), expiresAt);
    if (left.isNegative() || left.isZero()) {
      return min(ttl, negativeTtl);
    }
    return min(left, ttl);
  }

  private Answer staleOr(SecretDigest digest, TokenFacts.Unavailable outage) {
    if (stale != null && outage.cause() != IndeterminateCause.OVERLOADED) {
      TokenFacts.Known old = stale.getIfPresent(digest);
      if (old != null) {
        staleServed.increment();
        LOG.log(
            System.Logger.Level.DEBUG,
            () ->
                "serving stale facts for token "
                    + digest.fingerprint()
                    + " after: "
                    + outage.detail());
        return new Answer(old, DecisionEvent.FactsSource.STALE);
      }
    }
    return new Answer(outage, DecisionEvent.FactsSource.NONE);
  }

  /**
   * Forgets everything about {@code secret}: its grant, its rejection and its stale copy, here and
   * (with a shared level) in the shared level and every guard that shares it.
   *
   * @return completes when every level knows; fails if the shared level could not be told
   */
  public CompletableFuture<Void> invalidate(String secret) {
    SecretDigest digest = SecretDigest.of(secret);
    invalidateLocal(digest);
    if (shared == null) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> sent;
    try {
      sent = shared.invalidate(digest).copy();
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    sent.whenComplete(
        (ok, error) -> {
          if (error != null) {
            sharedFault(digest, "could not invalidate", error);
          }
        });
    return sent;
  }

  private void invalidateLocal(SecretDigest digest) {
    invalidations.incrementAndGet();
    grants.invalidate(digest);
    rejections.invalidate(digest);
    if (stale != null) {
      stale.invalidate(digest);
    }
  }

  /**
   * Forgets every grant whose facts name BRMS token {@code tokenId} (exact, or as a candidate of an
   * ambiguous lookup), here and (with a shared level) in the shared level and every guard that
   * shares it. Rejections name no token and are kept.
   *
   * @return completes when every level knows; fails if the shared level could not be told
   */
  public CompletableFuture<Void> invalidateToken(UUID tokenId) {
    Objects.requireNonNull(tokenId, "tokenId must not be null");
    invalidateTokenLocal(tokenId);
    if (shared == null) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> sent;
    try {
      sent = shared.invalidateToken(tokenId).copy();
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    sent.whenComplete(
        (ok, error) -> {
          if (error != null) {
            sharedFault("token id " + tokenId, "could not invalidate", error);
          }
        });
    return sent;
  }

  /**
   * Drops the local grants naming {@code tokenId}. The generation bump makes every lookup in flight
   * neither cache nor share its answer, whichever token it finds: its answer may name the id, and
   * which it names is known only once it lands (the same guard as for a secret's invalidation).
   */
  private void invalidateTokenLocal(UUID tokenId) {
    invalidations.incrementAndGet();
    grants.asMap().values().removeIf(known -> names(known.grant(), tokenId));
    if (stale != null) {
      stale.asMap().values().removeIf(known -> names(known.grant(), tokenId));
    }
  }

  /** Whether {@code grant} is about token {@code tokenId}, exactly or as one of its candidates. */
  static boolean names(Grant grant, UUID tokenId) {
    if (tokenId.equals(grant.subject().tokenId())) {
      return true;
    }
    for (Grant candidate : grant.candidates()) {
      if (tokenId.equals(candidate.subject().tokenId())) {
        return true;
      }
    }
    return false;
  }

  private static Set<UUID> tokenIds(java.util.List<PersonalAccessToken> candidates) {
    Set<UUID> ids = new HashSet<>();
    for (PersonalAccessToken t : candidates) {
      ids.add(t.id());
    }
    return Set.copyOf(ids);
  }

  /** Forgets everything held locally (the shared level keeps its entries). */
  public void invalidateAll() {
    invalidations.incrementAndGet();
    grants.invalidateAll();
    rejections.invalidateAll();
    if (stale != null) {
      stale.invalidateAll();
    }
  }

  /** Stops listening to the shared level's invalidations. */
  public void close() {
    if (subscription != null) {
      subscription.close();
    }
  }

  /** What the shared level tells this cache. */
  private final class Invalidations implements SharedTokenCache.Listener {
    @Override
    public void onInvalidated(SecretDigest digest) {
      invalidateLocal(digest);
      // Counted once done, so that whoever sees the count also sees the entry gone.
      sharedInvalidations.increment();
    }

    @Override
    public void onTokenInvalidated(UUID tokenId) {
      invalidateTokenLocal(tokenId);
      sharedInvalidations.increment();
    }

    @Override
    public void onReset() {
      // A lost message may have named any entry, whether it came from the shared level or from
      // BRMS directly: drop them all, so the revocation window stays what it was.
      invalidateAll();
      sharedResets.increment();
    }
  }

  /** The counters so far. */
  public CacheStats stats() {
    grants.cleanUp();
    return new CacheStats(
        hits.sum(),
        negativeHits.sum(),
        misses.sum(),
        upstream.sum(),
        rejected.sum(),
        outages.sum(),
        staleServed.sum(),
        shed.sum(),
        grants.estimatedSize(),
        sharedHits.sum(),
        sharedMisses.sum(),
        sharedErrors.sum(),
        sharedInvalidations.sum(),
        sharedResets.sum());
  }

  /** The TTL, which is also the revocation window. */
  public Duration ttl() {
    return ttl;
  }

  @Override
  public String toString() {
    return "TokenCache["
        + lookup.name()
        + ", ttl="
        + ttl
        + ", negativeTtl="
        + negativeTtl
        + ", staleIfError="
        + staleGrace
        + ", size="
        + grants.estimatedSize()
        + (shared == null ? "" : ", shared=" + shared.name())
        + "]";
  }

  /** min(TTL, expiresAt − now); facts that already say "expired" live as briefly as a rejection. */
  private final class GrantLifetime implements Expiry<SecretDigest, TokenFacts.Known> {
    @Override
    public long expireAfterCreate(SecretDigest key, TokenFacts.Known value, long currentTime) {
      Instant expiresAt = value.grant().expiresAt().orElse(null);
      if (expiresAt == null) {
        return ttlNanos;
      }
      // Duration.between never overflows for two instants; its nanoseconds may (a token that
      // expires in the year 9999), so compare with the TTL before converting.
      Duration left = Duration.between(clock.instant(), expiresAt);
      if (left.isNegative() || left.isZero()) {
        return Math.min(ttlNanos, negativeTtlNanos);
      }
      return left.compareTo(ttl) >= 0 ? ttlNanos : left.toNanos();
    }

    @Override
    public long expireAfterUpdate(
        SecretDigest key, TokenFacts.Known value, long currentTime, long currentDuration) {
      return expireAfterCreate(key, value, currentTime);
    }

    @Override
    public long expireAfterRead(
        SecretDigest key, TokenFacts.Known value, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }

  /** Configures a cache; each setting is checked as it is made. */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private LongSupplier ticker = System::nanoTime;
    private Duration ttl = Duration.ofSeconds(60);
    private Duration negativeTtl = Duration.ofSeconds(5);
    private Duration staleGrace = Duration.ZERO;
    private long maximumSize = 10_000;
    private long negativeMaximumSize = 10_000;
    private int maxConcurrentLookups = 16;
    private int maxQueuedLookups = 1024;
    private Executor executor = ForkJoinPool.commonPool();
    private @Nullable SharedTokenCache shared;
    private @Nullable PermissionModel sharedModel;
    private Duration sharedTimeout = Duration.ofMillis(250);
    private Duration sharedLockWait = Duration.ofMillis(500);

    private Builder() {}

    /**
     * A second level shared with other guards (default: none); grants read from it are compiled
     * under {@code model}.
     */
    public Builder shared(SharedTokenCache shared, PermissionModel model) {
      this.shared = Objects.requireNonNull(shared, "sharedCache must not be null");
      this.sharedModel = Objects.requireNonNull(model, "model must not be null");
      return this;
    }

    /**
     * How long a guard that missed both levels waits for another guard's lookup of the same secret
     * before asking BRMS itself (default 500 ms; zero: never wait, take no lock).
     */
    public Builder sharedLockWait(Duration wait) {
      Objects.requireNonNull(wait, "sharedLockWait must not be null");
      if (wait.isNegative()) {
        throw new IllegalArgumentException("sharedLockWait must not be negative, got " + wait);
      }
      this.sharedLockWait = wait;
      return this;
    }

    /** The longest a miss waits for the shared level before asking BRMS (default 250 ms). */
    public Builder sharedTimeout(Duration timeout) {
      this.sharedTimeout = positive(timeout, "sharedCacheTimeout");
      return this;
    }

    /**
     * Where "now" comes from for the facts, such as how long a token has left (default: system
     * UTC).
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock must not be null");
      return this;
    }

    /**
     * A monotonic nanosecond source that entries age by (default {@link System#nanoTime}).
     * Wall-clock steps (NTP, a VM resumed) do not move it, so they neither extend nor cut entries
     * short.
     */
    public Builder ticker(LongSupplier nanoTime) {
      this.ticker = Objects.requireNonNull(nanoTime, "ticker must not be null");
      return this;
    }

    /** The longest a grant is served from cache, and so the revocation window (default 60 s). */
    public Builder ttl(Duration ttl) {
      this.ttl = positive(ttl, "ttl");
      return this;
    }

    /** How long a rejected secret is remembered (default 5 s). */
    public Builder negativeTtl(Duration negativeTtl) {
      this.negativeTtl = positive(negativeTtl, "negativeTtl");
      return this;
    }

    /**
     * Stale-if-error grace past the TTL (default zero: off). Serving stale facts widens the
     * revocation window.
     */
    public Builder staleIfError(Duration grace) {
      Objects.requireNonNull(grace, "staleIfError must not be null");
      if (grace.isNegative()) {
        throw new IllegalArgumentException("staleIfError must not be negative, got " + grace);
      }
      this.staleGrace = grace;
      return this;
    }

    /** Most grants kept (default 10 000). */
    public Builder maximumSize(long size) {
      this.maximumSize = atLeastOne(size, "maximumSize");
      return this;
    }

    /** Most rejections kept (default 10 000). */
    public Builder negativeMaximumSize(long size) {
      this.negativeMaximumSize = atLeastOne(size, "negativeMaximumSize");
      return this;
    }

    /** Most lookups in flight at once (default 16). */
    public Builder maxConcurrentLookups(int max) {
      this.maxConcurrentLookups = (int) atLeastOne(max, "maxConcurrentLookups");
      return this;
    }

    /** Most lookups waiting for a slot before new ones are shed (default 1 024; 0: never wait). */
    public Builder maxQueuedLookups(int max) {
      if (max < 0) {
        throw new IllegalArgumentException("maxQueuedLookups must not be negative, got " + max);
      }
      this.maxQueuedLookups = max;
      return this;
    }

    /** Runs queued lookups when a slot frees up (default: the common pool). */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor must not be null");
      return this;
    }

    public TokenCache build(TokenLookup lookup) {
      return new TokenCache(this, Objects.requireNonNull(lookup, "lookup must not be null"));
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name + " must not be null");
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + d);
      }
      return d;
    }

    private static long atLeastOne(long value, String name) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be at least 1, got " + value);
      }
      return value;
    }
  }
}
