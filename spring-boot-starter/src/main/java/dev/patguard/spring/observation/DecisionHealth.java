package dev.patguard.spring.observation;

import dev.patguard.DecisionEvent;
import dev.patguard.DecisionListener;
import dev.patguard.decision.Decision;
import dev.patguard.decision.IndeterminateCause;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * What recent decisions say about BRMS, for health checks that must not call BRMS on each probe: a
 * {@link DecisionListener} that remembers the last decision BRMS (or the cache) answered and the
 * last one it could not.
 *
 * <ul>
 *   <li>{@link State#OUTAGE}: the latest decision within the window was an {@code Indeterminate}
 *       for an outage (BRMS unavailable, timeout, malformed answer, refused admin credential);
 *   <li>{@link State#OVERLOADED}: it was an {@code Indeterminate(OVERLOADED)}: lookups are shed;
 *   <li>{@link State#OK}: otherwise (no decision yet, or an answer since the last failure, or the
 *       failure is older than the window). An internal error is not blamed on BRMS.
 * </ul>
 *
 * <p>Thread-safe; one instance per guard, registered as its listener.
 */
public final class DecisionHealth implements DecisionListener {
  /** How healthy recent decisions say BRMS is. */
  public enum State {
    /** Answers are coming. */
    OK,
    /** The latest decision failed for an outage. */
    OUTAGE,
    /** The latest decision was shed. */
    OVERLOADED
  }

  /**
   * The latest failure.
   *
   * @param cause why the decision was indeterminate
   * @param at when, by the clock
   */
  public record Failure(IndeterminateCause cause, Instant at) {
    /**
     * Checks both.
     *
     * @param cause the cause; not null
     * @param at when; not null
     * @throws NullPointerException if either is null
     */
    public Failure {
      Objects.requireNonNull(cause, "cause must not be null");
      Objects.requireNonNull(at, "at must not be null");
    }
  }

  private final Clock clock;
  private final Duration window;
  private final AtomicReference<@Nullable Failure> lastFailure = new AtomicReference<>();
  private final AtomicReference<@Nullable Instant> lastAnswer = new AtomicReference<>();

  /**
   * Remembers decisions by {@code clock}; a failure counts for {@code window}.
   *
   * @param clock the clock failures are timed by (the guard's, so tests can move it)
   * @param window how long a failure with no answer since keeps the state unhealthy, positive
   * @throws IllegalArgumentException if {@code window} is not positive
   */
  public DecisionHealth(Clock clock, Duration window) {
    this.clock = Objects.requireNonNull(clock, "clock must not be null");
    Objects.requireNonNull(window, "window must not be null");
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive, got " + window);
    }
    this.window = window;
  }

  @Override
  public void onDecision(DecisionEvent event) {
    Decision d = event.decision();
    if (d instanceof Decision.Indeterminate i) {
      if (i.cause() != IndeterminateCause.INTERNAL_ERROR) {
        lastFailure.set(new Failure(i.cause(), event.decidedAt()));
      }
    } else {
      lastAnswer.set(event.decidedAt());
    }
  }

  /**
   * The state now.
   *
   * @return {@code OUTAGE} or {@code OVERLOADED} while the latest failure is newer than the latest
   *     answer and within the window; {@code OK} otherwise
   */
  public State state() {
    Failure f = lastFailure.get();
    if (f == null || f.at().plus(window).isBefore(clock.instant())) {
      return State.OK;
    }
    Instant answer = lastAnswer.get();
    if (answer != null && answer.isAfter(f.at())) {
      return State.OK;
    }
    return f.cause() == IndeterminateCause.OVERLOADED ? State.OVERLOADED : State.OUTAGE;
  }

  /**
   * The latest failure, however old.
   *
   * @return the cause and time of the latest indeterminate decision BRMS is blamed for
   */
  public Optional<Failure> lastFailure() {
    return Optional.ofNullable(lastFailure.get());
  }

  /**
   * The latest answered decision.
   *
   * @return when the latest permit or deny was made
   */
  public Optional<Instant> lastAnswer() {
    return Optional.ofNullable(lastAnswer.get());
  }

  @Override
  public String toString() {
    return "DecisionHealth[" + state() + ", window=" + window + "]";
  }
}
