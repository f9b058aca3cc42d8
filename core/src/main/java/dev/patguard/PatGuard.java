package dev.patguard;

import dev.patguard.decision.Authorizer;
import dev.patguard.decision.Decision;
import dev.patguard.decision.DenyReason;
import dev.patguard.decision.Grant;
import dev.patguard.decision.IndeterminateCause;
import dev.patguard.decision.PermissionModel;
import dev.patguard.decision.Requirement;
import dev.patguard.decision.TokenSubject;
import dev.patguard.decision.Warning;
import dev.patguard.spi.SharedTokenCache;
import dev.patguard.token.PersonalAccessToken;
import dev.patguard.token.SecretDigest;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether a presented BRMS personal access token may do a thing.
 *
 * <pre>{@code
 * PatGuard guard = PatGuard.builder()
 *     .baseUrl("https://acme.us1.gorules.io")
 *     .cacheTtl(Duration.ofSeconds(30))          // also the revocation window
 *     .build();
 * Decision d = guard.decideBlocking(secret, Requirement.parse("releases:deploy@web-shop"));
 * if (d.isPermit()) { ... }                      // Deny and Indeterminate both stop here
 * }</pre>
 *
 * <p>The flow: the secret's SHA-256 keys a {@link TokenCache}; on a miss the configured {@link
 * LookupStrategy} asks BRMS (at most once per secret for concurrent misses); the facts are compiled
 * into a {@link Grant}; the {@link Authorizer} decides. Outages, timeouts, malformed answers, shed
 * lookups and bugs all become {@link Decision.Indeterminate} with a cause: no method here throws
 * for them, and none of them is ever a permit. Every decision goes to the {@link DecisionListener}.
 * Instances are thread-safe; build one per BRMS instance and share it.
 */
public final class PatGuard implements Decider, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(PatGuard.class.getName());
  private static final long OUTAGE_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final ExecutorService threads;
  private final BrmsClient client;
  private final TokenLookup lookup;
  private final TokenCache cache;
  private final Authorizer authorizer;
  private final PermissionModel model;
  private final Clock clock;
  private final DecisionListener listener;
  private final Duration decisionTimeout;

  /** Whether one BRMS call, bounded by the request timeout, fits in the decision timeout. */
  private final boolean lendCallerThread;

  private volatile boolean closed;
  private final AtomicBoolean credentialProblemLogged = new AtomicBoolean();
  private final AtomicBoolean listenerFailureLogged = new AtomicBoolean();
  private final AtomicLong lastOutageLog =
      new AtomicLong(System.nanoTime() - OUTAGE_LOG_INTERVAL_NANOS);

  private PatGuard(Builder b) {
    // One pool for BRMS calls, retry delays and queued lookups; close() stops it.
    this.threads = DaemonThreads.cachedPool("patguard-brms");
    this.client = b.client.executor(threads).build();
    this.model = b.model;
    this.clock = b.clock;
    this.authorizer = b.authorizer;
    this.listener = b.listener;
    LookupStrategy strategy = b.lookup;
    this.lookup =
        strategy.indexFile() == null
            ? TokenLookup.self(client, clock, b.expirySkew, model)
            : TokenLookup.indexed(client, strategy.indexFile(), model);
    if (b.shared != null) {
      b.cache.shared(b.shared, model);
    }
    this.cache = b.cache.clock(clock).ticker(b.ticker).executor(threads).build(lookup);
    this.decisionTimeout =
        b.decisionTimeout != null ? b.decisionTimeout : b.requestTimeout.plusSeconds(1);
    this.lendCallerThread = b.requestTimeout.compareTo(decisionTimeout) <= 0;
    // Said at start-up, where an operator looks; the first failed lookup says it again, precisely.
    new BaseUrlDiagnosis(client.baseUrl())
        .startupWarnings()
        .forEach(w -> LOG.log(System.Logger.Level.WARNING, w));
  }

  /**
   * Starts configuring a guard; only the base URL is required.
   *
   * @return a new builder holding every default
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Decides {@code requirement} for the token {@code secret}. The future always completes normally
   * — with an {@code Indeterminate} decision when no decision could be reached — and within the
   * decision timeout.
   */
  @Override
  public CompletableFuture<Decision> decide(String secret, Requirement requirement) {
    Objects.requireNonNull(requirement, "requirement must not be null");
    if (secret == null || secret.isEmpty()) {
      return CompletableFuture.completedFuture(noToken(requirement));
    }
    SecretDigest digest = SecretDigest.of(secret);
    if (closed) {
      return CompletableFuture.completedFuture(closedDecision(digest, requirement));
    }
    TokenCache.Answer hit = localAnswer(digest);
    if (hit != null) {
      return CompletableFuture.completedFuture(settle(hit, digest, requirement));
    }
    return lookUpAndDecide(secret, digest, requirement);
  }

  private Decision noToken(Requirement requirement) {
    return notify(Decision.deny(TokenSubject.unknown(), DenyReason.tokenInvalid()), requirement);
  }

  private Decision closedDecision(SecretDigest digest, Requirement requirement) {
    return notify(
        Decision.indeterminate(
            TokenSubject.fingerprintOnly(digest.fingerprint()),
            IndeterminateCause.INTERNAL_ERROR,
            "this PatGuard is closed"),
        requirement);
  }

  /** The decision once the cache has answered, which may take a lookup; within the timeout. */
  private CompletableFuture<Decision> lookUpAndDecide(
      String secret, SecretDigest digest, Requirement requirement) {
    CompletableFuture<TokenCache.Answer> facts = answerOf(secret, digest);
    if (facts.isDone()) {
      // Settled between the local read and now (or a bug, answered as Unavailable): no timeout.
      return CompletableFuture.completedFuture(settle(facts.join(), digest, requirement));
    }
    return facts
        .completeOnTimeout(
            new TokenCache.Answer(
                new TokenFacts.Unavailable(
                    IndeterminateCause.TIMEOUT, "no decision within " + decisionTimeout),
                DecisionEvent.FactsSource.NONE),
            TimeMath.toNanos(decisionTimeout),
            TimeUnit.NANOSECONDS)
        .thenApply(a -> settle(a, digest, requirement));
  }

  /**
   * The cache-hit path: what this guard's cache holds now, or null (then a lookup is needed). A bug
   * in the cache is left to {@link #answerOf}, which answers it as Unavailable.
   */
  private TokenCache.@Nullable Answer localAnswer(SecretDigest digest) {
    try {
      return cache.local(digest);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The cache's answer; a bug in it is an {@code Unavailable(INTERNAL_ERROR)}, never a throw. */
  private CompletableFuture<TokenCache.Answer> answerOf(String secret, SecretDigest digest) {
    try {
      return cache.answer(secret, digest);
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(
          new TokenCache.Answer(TokenLookup.unavailable(e), DecisionEvent.FactsSource.NONE));
    }
  }

  /** The cache's facts; a bug in it is an {@code Unavailable(INTERNAL_ERROR)}, never a throw. */
  private CompletableFuture<TokenFacts> factsOf(String secret, SecretDigest digest) {
    try {
      return cache.get(secret, digest);
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(TokenLookup.unavailable(e));
    }
  }

  /**
   * Like {@link #decide} but waits for the decision, at most the decision timeout. Never throws for
   * outages or timeouts; an interrupt restores the flag and returns an {@code Indeterminate}.
   *
   * <p>On a cache miss the calling thread makes the BRMS call itself (the first attempt; retries
   * run on patguard's pool), since it would only wait for a pool thread otherwise. That is skipped
   * when the request timeout exceeds the decision timeout or the thread is already interrupted; if
   * the call has not returned by the decision timeout, the thread is interrupted to take it back,
   * the interrupt is cleared, and the call fails as a timeout ({@code Indeterminate(TIMEOUT)}). An
   * interrupt from elsewhere during the call moves the call to the pool and is kept for the caller.
   */
  @Override
  public Decision decideBlocking(String secret, Requirement requirement) {
    Objects.requireNonNull(requirement, "requirement must not be null");
    if (secret == null || secret.isEmpty()) {
      return noToken(requirement);
    }
    SecretDigest digest = SecretDigest.of(secret);
    if (closed) {
      return closedDecision(digest, requirement);
    }
    TokenCache.Answer hit = localAnswer(digest);
    if (hit != null) {
      // Nothing to wait for: no loan of this thread, no future.
      return settle(hit, digest, requirement);
    }
    // This thread waits anyway: on a miss it makes the BRMS call itself rather than wake a pool
    // thread and be woken by it, unless that call could outlast the decision timeout.
    CompletableFuture<Decision> future =
        lendCallerThread
            ? CallerRuns.lending(
                decisionTimeout, () -> lookUpAndDecide(secret, digest, requirement))
            : lookUpAndDecide(secret, digest, requirement);
    try {
      // The future completes by itself within the timeout; the margin only guards against bugs.
      return future.get(TimeMath.toNanos(decisionTimeout.plusSeconds(1)), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return indeterminate(
          secret, IndeterminateCause.TIMEOUT, "interrupted while waiting for a decision");
    } catch (TimeoutException e) {
      return indeterminate(
          secret, IndeterminateCause.TIMEOUT, "no decision within " + decisionTimeout);
    } catch (ExecutionException e) {
      return indeterminate(secret, IndeterminateCause.INTERNAL_ERROR, String.valueOf(e.getCause()));
    }
  }

  private Decision indeterminate(String secret, IndeterminateCause cause, String detail) {
    TokenSubject subject =
        secret == null || secret.isEmpty()
            ? TokenSubject.unknown()
            : TokenSubject.fingerprintOnly(SecretDigest.fingerprintOf(secret));
    return Decision.indeterminate(subject, cause, detail);
  }

  private Decision settle(TokenCache.Answer answer, SecretDigest digest, Requirement requirement) {
    // One clock read per decision: the decision's "now" is also the event's decidedAt.
    Instant now = clock.instant();
    Decision decision;
    DecisionEvent.FactsSource source = answer.source();
    try {
      decision = decision(answer.facts(), digest, requirement, now);
    } catch (RuntimeException e) {
      decision = decision(TokenLookup.unavailable(e), digest, requirement, now);
      source = DecisionEvent.FactsSource.NONE;
    }
    return notify(decision, requirement, now, source);
  }

  /**
   * The one place where what is known about a token becomes a decision. {@code digest} names the
   * token when nothing else does (null: read by id); the subject is built only then, never on a
   * permit's path.
   */
  private Decision decision(
      TokenFacts facts, @Nullable SecretDigest digest, Requirement requirement, Instant now) {
    if (facts instanceof TokenFacts.Known known) {
      Decision d = authorizer.decide(known.grant(), requirement, now);
      return known.stale() ? withWarning(d, Warning.staleFacts()) : d;
    }
    return refusal(facts, digest);
  }

  /**
   * No grant to decide on: a deny naming the token by fingerprint, or an Indeterminate. Kept out of
   * {@link #decision} so that the permit path stays small enough to inline (no "now" escapes).
   */
  private Decision refusal(TokenFacts facts, @Nullable SecretDigest digest) {
    TokenSubject unknownToken =
        digest == null
            ? TokenSubject.unknown()
            : TokenSubject.fingerprintOnly(digest.fingerprint());
    if (facts instanceof TokenFacts.Forbidden) {
      return Decision.deny(unknownToken, DenyReason.lookupForbidden());
    }
    if (facts instanceof TokenFacts.Rejected) {
      return Decision.deny(unknownToken, DenyReason.tokenInvalid());
    }
    TokenFacts.Unavailable outage = (TokenFacts.Unavailable) facts;
    logFailure(outage);
    return Decision.indeterminate(unknownToken, outage.cause(), outage.detail());
  }

  private static Decision withWarning(Decision d, Warning w) {
    List<Warning> warnings = new ArrayList<>(d.warnings());
    warnings.add(w);
    if (d instanceof Decision.Permit p) {
      return Decision.permit(p.subject(), warnings);
    }
    if (d instanceof Decision.Deny deny) {
      return Decision.deny(deny.subject(), deny.reasons(), warnings);
    }
    Decision.Indeterminate i = (Decision.Indeterminate) d;
    return new Decision.Indeterminate(i.subject(), i.cause(), i.detail(), warnings);
  }

  private void logFailure(TokenFacts.Unavailable outage) {
    IndeterminateCause cause = outage.cause();
    String detail = outage.detail();
    if (cause == IndeterminateCause.CREDENTIAL_REFUSED) {
      if (credentialProblemLogged.compareAndSet(false, true)) {
        LOG.log(
            System.Logger.Level.ERROR,
            "BRMS refused patguard's admin credential: every decision that needs"
                + " it is Indeterminate until an operator fixes it. "
                + detail
                + " (Logged once.)");
      }
      return;
    }
    if (cause == IndeterminateCause.INTERNAL_ERROR) {
      return; // logged with its stack trace where it was caught (TokenLookup.unavailable)
    }
    long now = System.nanoTime();
    long last = lastOutageLog.get();
    if (now - last < OUTAGE_LOG_INTERVAL_NANOS || !lastOutageLog.compareAndSet(last, now)) {
      LOG.log(System.Logger.Level.DEBUG, () -> "BRMS lookup failed (" + cause + "): " + detail);
      return;
    }
    if (cause == IndeterminateCause.MISCONFIGURED) {
      LOG.log(
          System.Logger.Level.ERROR,
          "patguard's BRMS base URL looks wrong: "
              + detail
              + ". Every decision is Indeterminate (fail closed) until an operator fixes the"
              + " configuration. Logged at most every 30 s.");
      return;
    }
    LOG.log(
        System.Logger.Level.WARNING,
        "BRMS lookup failed ("
            + cause
            + "): "
            + detail
            + "; decisions are Indeterminate (fail closed). Further failures are logged at most every 30 s.");
  }

  /** Tells the listener of a decision that needed no facts, or found none. */
  private Decision notify(Decision decision, Requirement requirement) {
    return notify(decision, requirement, null, DecisionEvent.FactsSource.NONE);
  }

  /** Tells the listener, if there is one ({@code decidedAt} null: read the clock now). */
  private Decision notify(
      Decision decision,
      Requirement requirement,
      @Nullable Instant decidedAt,
      DecisionEvent.FactsSource source) {
    if (listener == DecisionListener.NONE) {
      return decision; // nobody listens: no event, no clock read
    }
    try {
      listener.onDecision(
          new DecisionEvent(
              decision,
              requirement,
              decidedAt != null ? decidedAt : clock.instant(),
              lookup.name(),
              source));
    } catch (RuntimeException e) {
      if (listenerFailureLogged.compareAndSet(false, true)) {
        LOG.log(
            System.Logger.Level.WARNING,
            "a DecisionListener threw; the decision stands. (Logged once.)",
            e);
      }
    }
    return decision;
  }

  /**
   * What is known about the token {@code secret}, read through the same cache and lookup as {@link
   * #decide} (so a decision followed by this call makes one BRMS lookup): its compiled grant, or
   * why there is none. For an ambiguous self lookup the grant is the conservative one over every
   * candidate ({@link Grant#isAmbiguous()}). The future never fails and completes within the
   * decision timeout ({@code Unavailable(TIMEOUT)} after it).
   *
   * <p>Use it to explain or review a grant (least-privilege checks, the CLI's {@code explain}),
   * never to authorise: {@link #decide} is the only door to a permit.
   *
   * @param secret the presented secret; an empty one is {@code Rejected} without a lookup
   * @return the facts; {@code Unavailable} when the guard is closed or BRMS could not answer
   * @throws NullPointerException if {@code secret} is null
   */
  public CompletableFuture<TokenFacts> facts(String secret) {
    Objects.requireNonNull(secret, "secret must not be null");
    if (secret.isEmpty()) {
      return CompletableFuture.completedFuture(new TokenFacts.Rejected("no token was presented"));
    }
    if (closed) {
      return CompletableFuture.completedFuture(
          new TokenFacts.Unavailable(IndeterminateCause.INTERNAL_ERROR, "this PatGuard is closed"));
    }
    SecretDigest digest = SecretDigest.of(secret);
    TokenCache.Answer hit = localAnswer(digest);
    if (hit != null) {
      return CompletableFuture.completedFuture(hit.facts());
    }
    return factsOf(secret, digest)
        .completeOnTimeout(
            new TokenFacts.Unavailable(
                IndeterminateCause.TIMEOUT, "no answer within " + decisionTimeout),
            TimeMath.toNanos(decisionTimeout),
            TimeUnit.NANOSECONDS);
  }

  /**
   * What is known about the token with these ids, read with the admin credential (CI tests, the
   * CLI): no secret involved, never cached. A token BRMS does not have is {@code Rejected}; a
   * refused admin credential is {@code Unavailable(CREDENTIAL_REFUSED)}. The future never fails.
   *
   * @param userId the owner's id, a UUID in either case
   * @param patId the token's id, a UUID in either case
   * @return the facts; when {@code Known}, {@link TokenFacts.Known#token()} holds the token read.
   *     Bounded by the request timeout (retries included), not by the decision timeout
   * @throws IllegalArgumentException if an id is not a UUID (quoting it), before any request
   */
  public CompletableFuture<TokenFacts> factsById(String userId, String patId) {
    BrmsClient.checkId(userId, "userId");
    BrmsClient.checkId(patId, "patId");
    CompletableFuture<PersonalAccessToken> token;
    try {
      token = client.getServiceUserToken(userId, patId);
    } catch (RuntimeException e) {
      token = CompletableFuture.failedFuture(e);
    }
    return token.handle(
        (t, error) -> {
          if (error == null) {
            return new TokenFacts.Known(Grant.compile(t, model), false, t);
          }
          Throwable cause =
              error instanceof CompletionException && error.getCause() != null
                  ? error.getCause()
                  : error;
          if (cause instanceof NotFoundException) {
            return new TokenFacts.Rejected(
                "BRMS has no token " + patId + " of user " + userId + " (404)");
          }
          return TokenLookup.unavailable(cause);
        });
  }

  /**
   * Decides {@code requirement} for the token with these ids, read with the admin credential, as
   * {@link #factsById} reads it: never cached. The listener sees the decision with lookup {@code
   * by-id}.
   *
   * @param userId the owner's id, a UUID in either case
   * @param patId the token's id, a UUID in either case
   * @param requirement what the token should be allowed to do
   * @return the decision; the future never fails, and an id that is not a UUID is {@code
   *     Indeterminate(INTERNAL_ERROR)}, quoting it
   * @throws NullPointerException if {@code requirement} is null
   */
  public CompletableFuture<Decision> decideById(
      String userId, String patId, Requirement requirement) {
    Objects.requireNonNull(requirement, "requirement must not be null");
    CompletableFuture<TokenFacts> facts;
    try {
      facts = factsById(userId, patId);
    } catch (IllegalArgumentException e) {
      facts =
          CompletableFuture.completedFuture(
              new TokenFacts.Unavailable(IndeterminateCause.INTERNAL_ERROR, e.getMessage()));
    }
    return facts.thenApply(
        f -> {
          Instant now = clock.instant();
          Decision d = decision(f, null, requirement, now);
          try {
            // Never cached: what BRMS answered, or nothing when it could not.
            DecisionEvent.FactsSource source =
                f instanceof TokenFacts.Unavailable
                    ? DecisionEvent.FactsSource.NONE
                    : DecisionEvent.FactsSource.BRMS;
            listener.onDecision(new DecisionEvent(d, requirement, now, "by-id", source));
          } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "a DecisionListener threw", e);
          }
          return d;
        });
  }

  /**
   * Forgets what the cache knows about {@code secret} (e.g. after revoking it): the next decision
   * for it asks BRMS. Without a {@linkplain Builder#sharedCache shared level}, other guards' caches
   * are not touched; with one, the shared entry is deleted and every guard sharing it is told to
   * drop the secret too, in the background ({@link #invalidateAsync} says when that is done).
   *
   * @param secret the secret whose grant or rejection to drop; not null
   * @throws NullPointerException if {@code secret} is null
   */
  public void invalidate(String secret) {
    cache.invalidate(Objects.requireNonNull(secret, "secret must not be null"));
  }

  /**
   * Like {@link #invalidate}, with a future that says when every level knows: at once without a
   * shared level; with one, when it has deleted its entry and sent the invalidation to every guard
   * that shares it.
   *
   * @param secret the secret whose grant or rejection to drop; not null
   * @return completes normally once done; exceptionally, with the shared level's failure, if the
   *     shared level could not be told (this guard's own cache is dropped either way)
   * @throws NullPointerException if {@code secret} is null
   */
  public CompletableFuture<Void> invalidateAsync(String secret) {
    return cache.invalidate(Objects.requireNonNull(secret, "secret must not be null"));
  }

  /**
   * Forgets every grant about BRMS token {@code tokenId} (e.g. after revoking it in BRMS when the
   * secret is not at hand): the next decision for any secret whose lookup named that token asks
   * BRMS. A grant names the token when the lookup found exactly it, or when it was one of the
   * candidates of an ambiguous lookup (those grants are dropped too). Rejections name no token and
   * are kept. Without a {@linkplain Builder#sharedCache shared level}, only this guard's cache is
   * touched; with one, the shared entries naming the token are deleted and every guard sharing it
   * is told to drop its own, in the background ({@link #invalidateTokenAsync} says when that is
   * done).
   *
   * @param tokenId the token's id ({@code patId}); not null
   * @throws NullPointerException if {@code tokenId} is null
   */
  public void invalidateToken(UUID tokenId) {
    cache.invalidateToken(Objects.requireNonNull(tokenId, "tokenId must not be null"));
  }

  /**
   * Like {@link #invalidateToken}, with a future that says when every level knows: at once without
   * a shared level; with one, when it has deleted the entries naming the token and sent the
   * invalidation to every guard that shares it.
   *
   * @param tokenId the token's id ({@code patId}); not null
   * @return completes normally once done; exceptionally, with the shared level's failure, if the
   *     shared level could not be told (an {@link UnsupportedOperationException} if it cannot
   *     invalidate by token id; this guard's own cache is dropped either way)
   * @throws NullPointerException if {@code tokenId} is null
   */
  public CompletableFuture<Void> invalidateTokenAsync(UUID tokenId) {
    return cache.invalidateToken(Objects.requireNonNull(tokenId, "tokenId must not be null"));
  }

  /**
   * The cache's counters.
   *
   * @return a snapshot of the counters since the guard was built
   */
  public CacheStats cacheStats() {
    return cache.stats();
  }

  /**
   * The BRMS base URL.
   *
   * @return the URL as configured, path prefix included
   */
  public URI baseUrl() {
    return client.baseUrl();
  }

  /**
   * The authorizer decisions are made by.
   *
   * @return the configured authorizer ({@link Authorizer#standard()} unless set)
   */
  public Authorizer authorizer() {
    return authorizer;
  }

  /**
   * The permission model grants are compiled under.
   *
   * @return the configured model ({@link PermissionModel#strict()} unless set)
   */
  public PermissionModel permissionModel() {
    return model;
  }

  /**
   * The clock "now" comes from.
   *
   * @return the configured clock (system UTC unless set)
   */
  public Clock clock() {
    return clock;
  }

  /**
   * The lookup strategy's name.
   *
   * @return {@code self} or {@code indexed}
   */
  public String lookupName() {
    return lookup.name();
  }

  /** The longest {@link #decide} takes before it answers {@code Indeterminate(TIMEOUT)}. */
  @Override
  public Duration decisionTimeout() {
    return decisionTimeout;
  }

  /**
   * Drops the cache and stops patguard's threads; decisions asked for afterwards are {@code
   * Indeterminate}. (The JDK HTTP client's selector thread ends once the guard is unreachable.)
   */
  @Override
  public void close() {
    closed = true;
    cache.close();
    cache.invalidateAll();
    client.close();
    threads.shutdownNow();
  }

  @Override
  public String toString() {
    return "PatGuard[" + client.baseUrl() + ", lookup=" + lookup.name() + ", " + cache + "]";
  }

  /** Configures a {@link PatGuard}; each setting is checked as it is made. */
  public static final class Builder {
    private final BrmsClient.Builder client = BrmsClient.builder();
    private final TokenCache.Builder cache = TokenCache.builder();
    private boolean baseUrlSet;
    private LookupStrategy lookup = LookupStrategy.self();
    private PermissionModel model = PermissionModel.strict();
    private Authorizer authorizer = Authorizer.standard();
    private Clock clock = Clock.systemUTC();
    private LongSupplier ticker = System::nanoTime;
    private Duration expirySkew = Duration.ofMinutes(5);
    private DecisionListener listener = DecisionListener.NONE;
    private Duration requestTimeout = Duration.ofSeconds(5);
    private @Nullable Duration decisionTimeout;
    private @Nullable SharedTokenCache shared;
    private Duration sharedLockWait = Duration.ofMillis(500);

    private Builder() {}

    /**
     * Fleet mode: a second cache level shared with the other replicas of the app (default: none),
     * such as {@code patguard-redis}'s. A miss of this guard's own cache asks it before BRMS; what
     * BRMS answers is written to it under the same lifetime rules (a grant never beyond the cache
     * TTL nor the token's expiry, a rejection for the negative TTL, an outage never); invalidations
     * reach every guard that shares it. Anything it fails with, or answers that does not parse, is
     * a miss: never a permit, never an {@code Indeterminate} on its own. The guard does not close
     * it.
     *
     * @param sharedCache the shared level
     * @return this builder
     */
    public Builder sharedCache(SharedTokenCache sharedCache) {
      this.shared = Objects.requireNonNull(sharedCache, "sharedCache must not be null");
      return this;
    }

    /**
     * The longest a miss waits for the shared level before asking BRMS (default 250 ms). The shared
     * level's own command timeout should be shorter.
     *
     * @param timeout the wait, positive
     * @return this builder
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public Builder sharedCacheTimeout(Duration timeout) {
      cache.sharedTimeout(timeout);
      return this;
    }

    /**
     * Coalescing across guards: after a miss of both levels, a guard takes a short lock in the
     * shared level for that secret and asks BRMS; the others wait up to this long for its answer to
     * reach the shared level, then ask BRMS themselves, so a guard that died holding the lock
     * delays them by this much at most (default 500 ms; zero turns coalescing off). It must be
     * shorter than the decision timeout.
     *
     * @param wait the longest wait for another guard's lookup, zero or more
     * @return this builder
     * @throws IllegalArgumentException if {@code wait} is negative
     */
    public Builder sharedLockWait(Duration wait) {
      cache.sharedLockWait(wait);
      this.sharedLockWait = wait;
      return this;
    }

    /**
     * The BRMS base URL, such as {@code https://acme.us1.gorules.io} (required).
     *
     * @param baseUrl an absolute http or https URL without query, fragment or user info; a path
     *     prefix is kept, surrounding white space is ignored
     * @return this builder
     * @throws IllegalArgumentException if {@code baseUrl} is not such a URL
     */
    public Builder baseUrl(String baseUrl) {
      client.baseUrl(baseUrl);
      baseUrlSet = true;
      return this;
    }

    /**
     * The BRMS base URL (required).
     *
     * @param baseUrl an absolute http or https URL without query, fragment or user info; a path
     *     prefix is kept
     * @return this builder
     * @throws IllegalArgumentException if {@code baseUrl} is not such a URL
     */
    public Builder baseUrl(URI baseUrl) {
      client.baseUrl(baseUrl);
      baseUrlSet = true;
      return this;
    }

    /**
     * How secrets become facts (default {@link LookupStrategy#self()}).
     *
     * @param lookup the strategy; {@link LookupStrategy#indexed} also needs an {@linkplain
     *     #adminCredential admin credential}
     * @return this builder
     */
    public Builder lookup(LookupStrategy lookup) {
      this.lookup = Objects.requireNonNull(lookup, "lookup must not be null");
      return this;
    }

    /**
     * The admin credential, read at each use so it can rotate; needed by the indexed and by-id
     * lookups.
     *
     * @param credential supplies the admin token at each call, such as {@code () ->
     *     System.getenv("BRMS_ADMIN_TOKEN")}; a null, blank or unsendable answer makes that lookup
     *     {@code Indeterminate(CREDENTIAL_REFUSED)}. It never appears in any message
     * @return this builder
     */
    public Builder adminCredential(Supplier<String> credential) {
      client.adminCredential(credential);
      return this;
    }

    /**
     * Which permissions imply which (default {@link PermissionModel#strict()}).
     *
     * @param model the model grants are compiled under
     * @return this builder
     */
    public Builder permissionModel(PermissionModel model) {
      this.model = Objects.requireNonNull(model, "permissionModel must not be null");
      return this;
    }

    /**
     * The expiry-warning horizon and accepted owner statuses (default {@link
     * Authorizer#standard()}).
     *
     * @param authorizer what turns a grant and a requirement into a decision
     * @return this builder
     */
    public Builder authorizer(Authorizer authorizer) {
      this.authorizer = Objects.requireNonNull(authorizer, "authorizer must not be null");
      return this;
    }

    /**
     * Where "now" comes from for the facts: whether a token has expired, how long it has left, and
     * so how long its entry may live (default system UTC). Cache entries age by the {@linkplain
     * #ticker ticker}, not by this clock.
     *
     * @param clock the wall clock for token expiry and for {@code decidedAt}
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock must not be null");
      return this;
    }

    /**
     * The monotonic nanosecond source cache entries age by (default {@link System#nanoTime}). A
     * wall-clock step (NTP, a resumed VM) does not move it, so it neither extends nor cuts short
     * what is cached. Tests pass a fake and move it with their fake {@link #clock}.
     *
     * @param nanoTime a monotonic source of nanoseconds; only differences between its readings
     *     count
     * @return this builder
     */
    public Builder ticker(LongSupplier nanoTime) {
      this.ticker = Objects.requireNonNull(nanoTime, "ticker must not be null");
      return this;
    }

    /**
     * How long after its {@code expiresAt} a token of the presenting owner is still a candidate in
     * the self lookup (default 5 minutes). BRMS may accept a secret that our clock already sees as
     * expired (its clock behind ours, or lazy expiry); the presented token may then be exactly that
     * one, so it stays a candidate that denies ({@code TOKEN_EXPIRED}) rather than being dropped
     * and letting the owner's other tokens decide. Tokens expired longer ago than this are dropped:
     * this assumes BRMS refuses a token once it is this far past its expiry by our clock.
     *
     * @param margin how long past its expiry a token stays a candidate, zero or more
     * @return this builder
     * @throws IllegalArgumentException if {@code margin} is negative
     */
    public Builder expirySkew(Duration margin) {
      Objects.requireNonNull(margin, "expirySkew must not be null");
      if (margin.isNegative()) {
        throw new IllegalArgumentException("expirySkew must not be negative, got " + margin);
      }
      this.expirySkew = margin;
      return this;
    }

    /**
     * Receives every decision (default: none).
     *
     * @param listener called once per decision; what it throws is logged and cannot change the
     *     decision
     * @return this builder
     */
    public Builder listener(DecisionListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener must not be null");
      return this;
    }

    /**
     * TCP/TLS connect timeout (default 2 s).
     *
     * @param timeout the longest a connection may take to open, positive
     * @return this builder
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public Builder connectTimeout(Duration timeout) {
      client.connectTimeout(timeout);
      return this;
    }

    /**
     * Overall deadline of one BRMS call, retries included (default 5 s). Unless set, the decision
     * timeout is this plus 1 s.
     *
     * @param timeout the deadline, positive
     * @return this builder
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public Builder requestTimeout(Duration timeout) {
      client.requestTimeout(timeout);
      this.requestTimeout = timeout;
      return this;
    }

    /**
     * Retries of 408/429/5xx/I/O errors within the deadline (default 2).
     *
     * @param retries retries after the first attempt, 0 (no retries) to 10
     * @return this builder
     * @throws IllegalArgumentException if {@code retries} is outside 0 to 10
     */
    public Builder maxRetries(int retries) {
      client.maxRetries(retries);
      return this;
    }

    /**
     * Largest BRMS response accepted (default 1 MiB); a larger body is a malformed answer.
     *
     * @param bytes the body limit in bytes, 1 KiB to 64 MiB
     * @return this builder
     * @throws IllegalArgumentException if {@code bytes} is outside 1 KiB to 64 MiB
     */
    public Builder maxResponseBytes(long bytes) {
      client.maxResponseBytes(bytes);
      return this;
    }

    /**
     * How long a decision may take in all, queueing included (default: request timeout + 1 s).
     *
     * @param timeout the longest {@link PatGuard#decide} takes before it is {@code
     *     Indeterminate(TIMEOUT)}, positive
     * @return this builder
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public Builder decisionTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "decisionTimeout must not be null");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("decisionTimeout must be positive, got " + timeout);
      }
      this.decisionTimeout = timeout;
      return this;
    }

    /**
     * Longest a grant is cached: also the revocation window (default 60 s).
     *
     * @param ttl how long a grant is served without asking BRMS again, positive
     * @return this builder
     * @throws IllegalArgumentException if {@code ttl} is zero or negative
     */
    public Builder cacheTtl(Duration ttl) {
      cache.ttl(ttl);
      return this;
    }

    /**
     * How long a rejected secret is remembered (default 5 s).
     *
     * @param ttl how long a rejection is served without asking BRMS again, positive
     * @return this builder
     * @throws IllegalArgumentException if {@code ttl} is zero or negative
     */
    public Builder negativeCacheTtl(Duration ttl) {
      cache.negativeTtl(ttl);
      return this;
    }

    /**
     * Most grants cached (default 10 000).
     *
     * @param size the entry limit, at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code size} is less than 1
     */
    public Builder cacheMaximumSize(long size) {
      cache.maximumSize(size);
      return this;
    }

    /**
     * Most rejections cached (default 10 000).
     *
     * @param size the entry limit, at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code size} is less than 1
     */
    public Builder negativeCacheMaximumSize(long size) {
      cache.negativeMaximumSize(size);
      return this;
    }

    /**
     * Stale-if-error grace past the TTL (default off). Widens the revocation window by as much.
     *
     * @param grace how long past its TTL a grant may still serve while BRMS fails; zero turns it
     *     off
     * @return this builder
     * @throws IllegalArgumentException if {@code grace} is negative
     */
    public Builder staleIfError(Duration grace) {
      cache.staleIfError(grace);
      return this;
    }

    /**
     * Most BRMS lookups in flight at once (default 16).
     *
     * @param max the limit, at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code max} is less than 1
     */
    public Builder maxConcurrentLookups(int max) {
      cache.maxConcurrentLookups(max);
      return this;
    }

    /**
     * Most lookups waiting for a slot before more are shed as {@code OVERLOADED} (default 1 024).
     *
     * @param max the queue limit; 0 sheds every lookup that finds no free slot
     * @return this builder
     * @throws IllegalArgumentException if {@code max} is negative
     */
    public Builder maxQueuedLookups(int max) {
      cache.maxQueuedLookups(max);
      return this;
    }

    /**
     * Builds the guard. It owns a thread pool for BRMS calls, so close it ({@link
     * PatGuard#close()}) when done.
     *
     * @return a new guard
     * @throws IllegalStateException if no base URL was set
     * @throws IllegalArgumentException if the shared lock wait is not shorter than the decision
     *     timeout, or the indexed lookup has no admin credential, or its index file does not exist
     *     or cannot be read
     */
    public PatGuard build() {
      if (!baseUrlSet) {
        throw new IllegalStateException(
            "baseUrl must be set: PatGuard.builder().baseUrl(\"https://…\")");
      }
      Duration timeout = decisionTimeout != null ? decisionTimeout : requestTimeout.plusSeconds(1);
      if (shared != null && sharedLockWait.compareTo(timeout) >= 0) {
        throw new IllegalArgumentException(
            "sharedLockWait ("
                + sharedLockWait
                + ") must be shorter than the decision timeout ("
                + timeout
                + "), or a guard waiting for another's lookup would always time out");
      }
      return new PatGuard(this);
    }
  }
}
