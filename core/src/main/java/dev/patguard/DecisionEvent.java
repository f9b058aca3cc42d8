package dev.patguard;

import dev.patguard.decision.Decision;
import dev.patguard.decision.Requirement;
import java.time.Instant;
import java.util.Objects;

/**
 * One decision, as a {@link DecisionListener} sees it.
 *
 * @param decision the decision (its subject names the token by fingerprint, never by secret)
 * @param requirement what was asked
 * @param decidedAt when, by the injected clock
 * @param lookup the lookup strategy's name ({@code self}, {@code indexed}, {@code by-id})
 * @param factsSource where the facts the decision rests on came from (cache hit or miss)
 */
public record DecisionEvent(
    Decision decision,
    Requirement requirement,
    Instant decidedAt,
    String lookup,
    FactsSource factsSource) {

  /**
   * Where the facts a decision rests on came from: a bounded set, safe as a metric tag. A caller
   * that joined a lookup already in flight for the same secret (coalescing) gets that lookup's
   * source, since it waited for the same answer: {@link #BRMS} when that lookup asked BRMS, {@link
   * #SHARED_CACHE} when it found the facts in the shared level.
   */
  public enum FactsSource {
    /** A hit in this guard's own cache: a grant, or a rejection remembered for the negative TTL. */
    LOCAL_CACHE,
    /**
     * A miss of this guard's cache answered by the shared second level ({@link
     * PatGuard.Builder#sharedCache fleet mode}) without asking BRMS.
     */
    SHARED_CACHE,
    /**
     * Asked BRMS, which answered (a grant, a rejection, a refused self lookup); also every answer
     * of {@link PatGuard#decideById}, which is never cached.
     */
    BRMS,
    /**
     * BRMS failed and the last grant was served past its TTL under stale-if-error ({@link
     * PatGuard.Builder#staleIfError}); the decision carries a stale-facts warning.
     */
    STALE,
    /**
     * No facts: nothing was presented, the guard is closed, or BRMS could not answer (outage,
     * timeout, malformed answer, shed lookup) and nothing stale was served. Also what the
     * four-argument constructor says, for events built outside {@link PatGuard}.
     */
    NONE
  }

  /**
   * Checks that no component is null.
   *
   * @param decision the decision (its subject names the token by fingerprint, never by secret)
   * @param requirement what was asked
   * @param decidedAt when, by the injected clock
   * @param lookup the lookup strategy's name ({@code self}, {@code indexed}, {@code by-id})
   * @param factsSource where the facts the decision rests on came from
   * @throws NullPointerException if a component is null
   */
  public DecisionEvent {
    Objects.requireNonNull(decision, "decision must not be null");
    Objects.requireNonNull(requirement, "requirement must not be null");
    Objects.requireNonNull(decidedAt, "decidedAt must not be null");
    Objects.requireNonNull(lookup, "lookup must not be null");
    Objects.requireNonNull(factsSource, "factsSource must not be null");
  }

  /**
   * An event that does not say where its facts came from ({@link FactsSource#NONE}), as built
   * before the source was recorded.
   *
   * @param decision the decision (its subject names the token by fingerprint, never by secret)
   * @param requirement what was asked
   * @param decidedAt when, by the injected clock
   * @param lookup the lookup strategy's name ({@code self}, {@code indexed}, {@code by-id})
   * @throws NullPointerException if a component is null
   */
  public DecisionEvent(
      Decision decision, Requirement requirement, Instant decidedAt, String lookup) {
    this(decision, requirement, decidedAt, lookup, FactsSource.NONE);
  }
}
