package dev.patguard.junit;

import dev.patguard.PatGuard;
import dev.patguard.TokenFacts;
import dev.patguard.decision.Grant;
import dev.patguard.fakebrms.Endpoint;
import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.Fault;
import dev.patguard.fakebrms.MintedToken;
import dev.patguard.fakebrms.MutableClock;
import dev.patguard.fakebrms.TokenSpec;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A running fake BRMS, its clock and the system properties it set (as layers of the run's {@link
 * SystemProperties}); {@link #close()} stops the server and its guard and removes the layers. The
 * extension store that holds it closes it; closing again does nothing. {@link #checkpoint()} and
 * {@link #rewind} put a shared server back between tests. Thread-safe: the tests of a class may use
 * their server concurrently.
 */
// Both close interfaces: JUnit 5.13 and later close AutoCloseable store values, 5.10 to 5.12 only
// CloseableResource ones (deprecated since 5.13); each version calls close() once.
@SuppressWarnings("deprecation")
final class FakeBrmsHandle
    implements FakeBrmsServer, AutoCloseable, ExtensionContext.Store.CloseableResource {
  private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** Past the guard's own deadline: only a bug would make a read wait this long. */
  private static final Duration MARGIN = Duration.ofSeconds(5);

  /**
   * What a test may change and the next must not see: the fake's data and faults, where the clock
   * stood, and how many system properties this handle had set (those set later are undone).
   */
  record Checkpoint(FakeBrms.Snapshot data, Instant clock, int properties) {}

  private final FakeBrms fake;
  private final MutableClock clock;
  private final SystemProperties properties;

  /** The layers this handle set, latest first. */
  private final Deque<SystemProperties.Layer> saved = new ArrayDeque<>();

  private @Nullable PatGuard guard;
  private boolean closed;

  private FakeBrmsHandle(FakeBrms fake, MutableClock clock, SystemProperties properties) {
    this.fake = fake;
    this.clock = clock;
    this.properties = properties;
  }

  /**
   * Starts a server whose clock stands at the system's now (to the millisecond, as BRMS shows it)
   * and sets {@code patguard.brms.url} to its URL.
   */
  static FakeBrmsHandle start(SystemProperties properties) {
    MutableClock clock =
        new MutableClock(Clock.systemUTC().instant().truncatedTo(ChronoUnit.MILLIS));
    FakeBrmsHandle h =
        new FakeBrmsHandle(FakeBrms.builder().clock(clock).start(), clock, properties);
    h.setProperty(PatGuardTestConfig.BRMS_URL, h.baseUrl().toString());
    return h;
  }

  /** Records the state to {@link #rewind} to. */
  synchronized Checkpoint checkpoint() {
    return new Checkpoint(fake.snapshot(), clock.instant(), saved.size());
  }

  /**
   * Puts the server back to a checkpoint: data and faults, the clock, and the system properties set
   * since (removed, latest first). Counters are not part of it; see {@link #resetCounters()}.
   */
  synchronized void rewind(Checkpoint checkpoint) {
    fake.restore(checkpoint.data());
    clock.set(checkpoint.clock());
    restoreProperties(checkpoint.properties());
  }

  /** Zeroes the request counters. */
  void resetCounters() {
    fake.resetCounters();
  }

  private synchronized void setProperty(String key, String value) {
    saved.push(properties.set(key, value));
  }

  @Override
  public URI baseUrl() {
    return fake.baseUrl();
  }

  @Override
  public MintedToken mint(Consumer<TokenSpec> spec) {
    return fake.mint(spec);
  }

  @Override
  public MintedToken mintAs(String variable, Consumer<TokenSpec> spec) {
    Objects.requireNonNull(variable, "variable must not be null");
    if (!VARIABLE.matcher(variable).matches()) {
      throw new IllegalArgumentException(
          "\"" + variable + "\" is not an environment variable name");
    }
    MintedToken t = fake.mint(spec);
    setProperty(PatGuardTestConfig.ENV_PREFIX + variable, t.secret());
    setProperty(
        PatGuardTestConfig.ENV_PREFIX + variable + PatGuardTestConfig.USER_ID_SUFFIX,
        t.userId().toString());
    setProperty(
        PatGuardTestConfig.ENV_PREFIX + variable + PatGuardTestConfig.PAT_ID_SUFFIX,
        t.id().toString());
    return t;
  }

  @Override
  public Grant grantOf(MintedToken token) {
    Objects.requireNonNull(token, "token must not be null");
    PatGuard g = guard();
    String secret = token.secret();
    g.invalidate(secret); // one call, one request: never an answer cached by an earlier call
    TokenFacts facts;
    try {
      facts =
          g.facts(secret).get(g.decisionTimeout().plus(MARGIN).toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the grant of " + token, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "could not read the grant of " + token + " from the fake BRMS at " + baseUrl() + ": " + e,
          e);
    }
    if (facts instanceof TokenFacts.Unavailable u) {
      throw new IllegalStateException(
          "could not read the grant of "
              + token
              + " from the fake BRMS at "
              + baseUrl()
              + ": "
              + u.cause()
              + ": "
              + u.detail());
    }
    if (!(facts instanceof TokenFacts.Known found)) {
      throw new IllegalStateException(
          "the fake BRMS at "
              + baseUrl()
              + " refused "
              + token
              + ": "
              + (facts instanceof TokenFacts.Forbidden ? Findings.FORBIDDEN : Findings.REJECTED));
    }
    Grant grant = found.grant();
    // The owner's other live tokens make the lookup ambiguous; the minted token is one of them.
    List<Grant> candidates = grant.isAmbiguous() ? grant.candidates() : List.of(grant);
    return candidates.stream()
        .filter(c -> token.id().equals(c.subject().tokenId()))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "the fake BRMS at "
                        + baseUrl()
                        + " did not list "
                        + token
                        + " among its owner's live tokens"));
  }

  /**
   * The guard {@link #grantOf} reads through, built on first use: the fake's clock and ticker, and
   * no retries, so that a fault injected on the self-list endpoint (counted or not) fails the call
   * rather than being retried away, and each call is exactly one request.
   */
  private synchronized PatGuard guard() {
    if (closed) {
      throw new IllegalStateException("this fake BRMS is closed");
    }
    PatGuard g = guard;
    if (g == null) {
      g =
          PatGuard.builder()
              .baseUrl(baseUrl())
              .clock(clock)
              .ticker(clock.ticker())
              .maxRetries(0)
              .build();
      guard = g;
    }
    return g;
  }

  @Override
  public MutableClock clock() {
    return clock;
  }

  @Override
  public void inject(Endpoint endpoint, Fault fault) {
    fake.inject(endpoint, fault);
  }

  @Override
  public void clearFaults() {
    fake.clearFaults();
  }

  @Override
  public FakeBrms fake() {
    return fake;
  }

  boolean isClosed() {
    synchronized (this) {
      return closed;
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (guard != null) {
        guard.close();
      }
      fake.close();
    } finally {
      restoreProperties(0);
    }
  }

  /** Removes the layers set after the first {@code keep}, latest first. */
  private synchronized void restoreProperties(int keep) {
    while (saved.size() > keep) {
      properties.remove(saved.pop());
    }
  }

  @Override
  public String toString() {
    return "FakeBrmsServer[" + baseUrl() + (isClosed() ? ", closed" : "") + "]";
  }
}
