package dev.patguard;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.patguard.decision.IndeterminateCause;
import dev.patguard.token.SecretDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
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
  private final ConcurrentHashMap<SecretDigest, CompletableFuture<TokenFacts>> inFlight =
      new ConcurrentHashMap<>();
  private final AsyncBulkhead bulkhead;

  private final LongAdder hits = new LongAdder();
  private final LongAdder negativeHits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder upstream = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder outages = new LongAdder();
  private final LongAdder staleServed = new LongAdder();
  private final LongAdder shed = new LongAdder();

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
    this.rejections =
        Caffeine.newBuilder()
            .maximumSize(b.negativeMaximumSize)
            .expireAfterWrite(negativeTtl)
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
  }

  /** A cache in front of {@code lookup}; configure it with the returned builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * What is known about {@code secret}: from the cache, or from one (possibly shared) lookup. The
   * future never fails: an outage is {@link TokenFacts.Unavailable} (answered with stale facts
   * instead when stale-if-error has them), a shed lookup {@code Unavailable(OVERLOADED)}.
   */
  public CompletableFuture<TokenFacts> get(String secret, SecretDigest digest) {
    TokenFacts.Known known = grants.getIfPresent(digest);
    if (known != null) {
      hits.increment();
      return CompletableFuture.completedFuture(known);
    }
    TokenFacts negative = rejections.getIfPresent(digest);
    if (negative != null) {
      negativeHits.increment();
      return CompletableFuture.completedFuture(negative);
    }
    misses.increment();
    CompletableFuture<TokenFacts> mine = new CompletableFuture<>();
    CompletableFuture<TokenFacts> running = inFlight.putIfAbsent(digest, mine);
    if (running == null) {
      load(secret, digest, mine);
      running = mine;
    }
    return running.thenApply(
        facts -> facts instanceof TokenFacts.Unavailable u ? staleOr(digest, u) : facts);
  }

  /** Runs the one lookup for {@code digest}; every caller that joined waits on {@code result}. */
  private void load(String secret, SecretDigest digest, CompletableFuture<TokenFacts> result) {
    // A load that finished between our cache miss and taking ownership left its answer behind.
    TokenFacts settled = grants.getIfPresent(digest);
    if (settled == null) {
      settled = rejections.getIfPresent(digest);
    }
    if (settled != null) {
      inFlight.remove(digest, result);
      result.complete(settled);
      return;
    }
    bulkhead
        .submit(
            () -> {
              upstream.increment();
              return lookup.lookup(secret, digest);
            })
        // A lookup answers outages as values; a failed future here is a shed lookup or a bug.
        .exceptionally(TokenLookup::unavailable)
        .whenComplete(
            (facts, error) -> {
              // Leave the in-flight map before completing, so that later callers read the cache.
              TokenFacts answer =
                  error != null ? TokenLookup.unavailable(error) : store(digest, facts);
              inFlight.remove(digest, result);
              result.complete(answer);
            });
  }

  private TokenFacts store(SecretDigest digest, TokenFacts facts) {
    if (facts instanceof TokenFacts.Known known) {
      grants.put(digest, known);
      if (stale != null) {
        stale.put(digest, new TokenFacts.Known(known.grant(), true));
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
    }
    return facts;
  }

  private TokenFacts staleOr(SecretDigest digest, TokenFacts.Unavailable outage) {
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
        return old;
      }
    }
    return outage;
  }

  /** Forgets everything about {@code secret}: its grant, its rejection and its stale copy. */
  public void invalidate(String secret) {
    SecretDigest digest = SecretDigest.of(secret);
    grants.invalidate(digest);
    rejections.invalidate(digest);
    if (stale != null) {
      stale.invalidate(digest);
    }
  }

  /** Forgets everything. */
  public void invalidateAll() {
    grants.invalidateAll();
    rejections.invalidateAll();
    if (stale != null) {
      stale.invalidateAll();
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
        grants.estimatedSize());
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

    private Builder() {}

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
