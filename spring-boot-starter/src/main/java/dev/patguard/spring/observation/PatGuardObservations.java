package dev.patguard.spring.observation;

import dev.patguard.DecisionEvent;
import dev.patguard.DecisionListener;
import dev.patguard.decision.Decision;
import dev.patguard.decision.Warning;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Objects;

/**
 * One Micrometer {@link Observation} named {@value #NAME} per patguard decision, as a {@link
 * DecisionListener}.
 *
 * <p>Low-cardinality keys (bounded sets, safe as metric tags): {@value #OUTCOME} ({@code permit},
 * {@code deny}, {@code indeterminate}), {@value #REASON} (the first deny reason code, the
 * indeterminate cause, or {@code none}), {@value #LOOKUP} ({@code self}, {@code indexed}, {@code
 * by-id}), {@value #STALE} (whether stale-if-error facts decided) and {@value #CACHE} (where the
 * facts came from: {@code hit}, {@code shared}, {@code miss}, {@code stale} or {@code none}, see
 * {@link #cacheValue}). High-cardinality keys (traces only): {@value #TOKEN} (the fingerprint,
 * never the secret) and {@value #PROJECT}.
 *
 * <p>A listener hears of a decision once it is made, so the observation marks the decision: its
 * timer counts decisions by outcome, reason and cache result, and its duration is not the lookup's.
 */
public final class PatGuardObservations implements DecisionListener {
  /** The observation name. */
  public static final String NAME = "patguard.decisions";

  /** Key: {@code permit}, {@code deny} or {@code indeterminate}. */
  public static final String OUTCOME = "patguard.outcome";

  /** Key: the first deny reason code, the indeterminate cause, or {@code none}. */
  public static final String REASON = "patguard.reason";

  /** Key: the lookup strategy's name. */
  public static final String LOOKUP = "patguard.lookup";

  /** Key: whether facts kept past their TTL (stale-if-error) decided. */
  public static final String STALE = "patguard.stale";

  /**
   * Key: where the decision's facts came from: {@code hit}, {@code shared}, {@code miss}, {@code
   * stale} or {@code none}.
   */
  public static final String CACHE = "patguard.cache";

  /** High-cardinality key: the token's fingerprint, or {@code unknown}. */
  public static final String TOKEN = "patguard.token";

  /** High-cardinality key: the requirement's project, or {@code none}. */
  public static final String PROJECT = "patguard.project";

  private final ObservationRegistry registry;

  /**
   * Observes into {@code registry}.
   *
   * @param registry where observations go; a no-op registry makes this listener do nothing
   * @throws NullPointerException if {@code registry} is null
   */
  public PatGuardObservations(ObservationRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry must not be null");
  }

  @Override
  public void onDecision(DecisionEvent event) {
    if (registry.isNoop()) {
      return;
    }
    Decision d = event.decision();
    String outcome;
    String reason;
    if (d instanceof Decision.Permit) {
      outcome = "permit";
      reason = "none";
    } else if (d instanceof Decision.Deny deny) {
      outcome = "deny";
      reason = deny.reasons().isEmpty() ? "none" : deny.reasons().get(0).code().name();
    } else {
      outcome = "indeterminate";
      reason = ((Decision.Indeterminate) d).cause().name();
    }
    boolean stale = d.warnings().stream().anyMatch(w -> w.code() == Warning.Code.STALE_FACTS);
    Observation.createNotStarted(NAME, registry)
        .contextualName("patguard decision")
        .lowCardinalityKeyValue(OUTCOME, outcome)
        .lowCardinalityKeyValue(REASON, reason)
        .lowCardinalityKeyValue(LOOKUP, event.lookup())
        .lowCardinalityKeyValue(STALE, Boolean.toString(stale))
        .lowCardinalityKeyValue(CACHE, cacheValue(event.factsSource()))
        .highCardinalityKeyValue(TOKEN, d.subject().fingerprintIfKnown().orElse("unknown"))
        .highCardinalityKeyValue(
            PROJECT, event.requirement().project().map(Object::toString).orElse("none"))
        .observe(() -> {});
  }

  /**
   * The {@value #CACHE} value for a facts source: {@code hit} (this guard's cache, a remembered
   * rejection included), {@code shared} (the shared level, fleet mode), {@code miss} (asked BRMS;
   * also callers that joined a lookup in flight, and decisions by id), {@code stale} (served past
   * the TTL under stale-if-error while BRMS failed), {@code none} (no facts: no token, a closed
   * guard, or BRMS could not answer).
   *
   * @param source where the facts came from
   * @return the key's value
   */
  public static String cacheValue(DecisionEvent.FactsSource source) {
    return switch (source) {
      case LOCAL_CACHE -> "hit";
      case SHARED_CACHE -> "shared";
      case BRMS -> "miss";
      case STALE -> "stale";
      case NONE -> "none";
    };
  }

  @Override
  public String toString() {
    return "PatGuardObservations[" + NAME + "]";
  }
}
