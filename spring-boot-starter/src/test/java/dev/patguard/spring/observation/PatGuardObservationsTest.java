package dev.patguard.spring.observation;

import static dev.patguard.spring.SecretScan.assertNoSecret;
import static org.assertj.core.api.Assertions.assertThat;

import dev.patguard.DecisionEvent;
import dev.patguard.PatGuard;
import dev.patguard.decision.Requirement;
import dev.patguard.fakebrms.Endpoint;
import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.Fault;
import dev.patguard.fakebrms.MintedToken;
import dev.patguard.fakebrms.MutableClock;
import dev.patguard.token.SecretDigest;
import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Observations and health from real decisions against fake-brms, outside Spring. */
class PatGuardObservationsTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T12:00:00Z"));
  private final FakeBrms brms = FakeBrms.builder().clock(clock).start();
  private final List<Observation.Context> seen = new CopyOnWriteArrayList<>();
  private final ObservationRegistry registry = ObservationRegistry.create();
  private final DecisionHealth health = new DecisionHealth(clock, Duration.ofSeconds(60));
  private final PatGuard guard;

  PatGuardObservationsTest() {
    registry
        .observationConfig()
        .observationHandler(
            new ObservationHandler<>() {
              @Override
              public void onStop(Observation.Context context) {
                seen.add(context);
              }

              @Override
              public boolean supportsContext(Observation.Context context) {
                return true;
              }
            });
    PatGuardObservations observations = new PatGuardObservations(registry);
    guard =
        PatGuard.builder()
            .baseUrl(brms.baseUrl())
            .clock(clock)
            .ticker(clock.ticker())
            .maxRetries(0)
            .listener(
                e -> {
                  observations.onDecision(e);
                  health.onDecision(e);
                })
            .build();
  }

  @AfterEach
  void stop() {
    guard.close();
    brms.close();
  }

  private static Map<String, String> low(Observation.Context c) {
    return c.getLowCardinalityKeyValues().stream()
        .collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
  }

  private static Map<String, String> high(Observation.Context c) {
    return c.getHighCardinalityKeyValues().stream()
        .collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
  }

  @Test
  void onDecisionWhenPermitDenyAndIndeterminateThenOneObservationEachWithBoundedKeys() {
    MintedToken t = brms.mint(s -> s.permissions("releases:deploy").projects("web-shop"));
    guard.decideBlocking(t.secret(), Requirement.parse("releases:deploy@web-shop"));
    guard.decideBlocking(t.secret(), Requirement.parse("environments:manage@web-shop"));
    MintedToken fresh = brms.mint(s -> s.permissions("releases:deploy").projects("web-shop"));
    brms.inject(Endpoint.SELF_LIST, Fault.status(503));
    guard.decideBlocking(fresh.secret(), Requirement.parse("releases:deploy@web-shop"));

    assertThat(seen).hasSize(3);
    assertThat(seen).allSatisfy(c -> assertThat(c.getName()).isEqualTo(PatGuardObservations.NAME));
    assertThat(low(seen.get(0)))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                PatGuardObservations.OUTCOME, "permit",
                PatGuardObservations.REASON, "none",
                PatGuardObservations.LOOKUP, "self",
                PatGuardObservations.STALE, "false",
                PatGuardObservations.CACHE, "miss"));
    assertThat(low(seen.get(1)))
        .containsEntry(PatGuardObservations.OUTCOME, "deny")
        .containsEntry(PatGuardObservations.REASON, "PERMISSION_MISSING")
        .containsEntry(PatGuardObservations.CACHE, "hit");
    assertThat(low(seen.get(2)))
        .containsEntry(PatGuardObservations.OUTCOME, "indeterminate")
        .containsEntry(PatGuardObservations.REASON, "BRMS_UNAVAILABLE")
        .containsEntry(PatGuardObservations.CACHE, "none");
    assertThat(high(seen.get(0)))
        .containsEntry(PatGuardObservations.TOKEN, SecretDigest.fingerprintOf(t.secret()))
        .containsEntry(PatGuardObservations.PROJECT, "web-shop");
    for (Observation.Context c : seen) {
      String all = c.getAllKeyValues().toString() + c;
      assertNoSecret(all, "an observation", t.secret(), fresh.secret());
    }
  }

  @Test
  void onDecisionWhenBrmsFailsPastTheTtlWithStaleIfErrorThenCacheStale() {
    PatGuardObservations observations = new PatGuardObservations(registry);
    PatGuard staleGuard =
        PatGuard.builder()
            .baseUrl(brms.baseUrl())
            .clock(clock)
            .ticker(clock.ticker())
            .maxRetries(0)
            .cacheTtl(Duration.ofSeconds(60))
            .staleIfError(Duration.ofSeconds(30))
            .listener(observations)
            .build();
    try {
      MintedToken t = brms.mint(s -> s.permissions("releases:deploy").projects("web-shop"));
      staleGuard.decideBlocking(t.secret(), Requirement.authenticated());
      clock.advance(Duration.ofSeconds(61));
      brms.inject(Endpoint.SELF_LIST, Fault.status(503));
      staleGuard.decideBlocking(t.secret(), Requirement.authenticated());
    } finally {
      staleGuard.close();
    }
    assertThat(seen).hasSize(2);
    assertThat(low(seen.get(0))).containsEntry(PatGuardObservations.CACHE, "miss");
    assertThat(low(seen.get(1)))
        .containsEntry(PatGuardObservations.OUTCOME, "permit")
        .containsEntry(PatGuardObservations.STALE, "true")
        .containsEntry(PatGuardObservations.CACHE, "stale");
  }

  @Test
  void cacheValueWhenEverySourceThenDistinctBoundedValues() {
    Map<DecisionEvent.FactsSource, String> values = new EnumMap<>(DecisionEvent.FactsSource.class);
    for (DecisionEvent.FactsSource source : DecisionEvent.FactsSource.values()) {
      values.put(source, PatGuardObservations.cacheValue(source));
    }
    assertThat(values)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                DecisionEvent.FactsSource.LOCAL_CACHE, "hit",
                DecisionEvent.FactsSource.SHARED_CACHE, "shared",
                DecisionEvent.FactsSource.BRMS, "miss",
                DecisionEvent.FactsSource.STALE, "stale",
                DecisionEvent.FactsSource.NONE, "none"));
  }

  @Test
  void onDecisionWhenRegistryIsNoopThenNothingRecordedAndNoFailure() {
    PatGuardObservations noop = new PatGuardObservations(ObservationRegistry.NOOP);
    PatGuard quiet = PatGuard.builder().baseUrl(brms.baseUrl()).listener(noop).build();
    try {
      quiet.decideBlocking("", Requirement.authenticated());
    } finally {
      quiet.close();
    }
    assertThat(seen).isEmpty();
  }

  @Test
  void stateWhenOutageThenOutageUntilAnAnswerOrTheWindowPasses() {
    assertThat(health.state()).isEqualTo(DecisionHealth.State.OK);
    MintedToken a = brms.mint(s -> s.permissions("releases:deploy").projects("web-shop"));
    brms.inject(Endpoint.SELF_LIST, Fault.status(503));
    guard.decideBlocking(a.secret(), Requirement.authenticated());
    assertThat(health.state()).isEqualTo(DecisionHealth.State.OUTAGE);
    assertThat(health.lastFailure().orElseThrow().cause().name()).isEqualTo("BRMS_UNAVAILABLE");
    clock.advance(Duration.ofSeconds(61));
    assertThat(health.state()).isEqualTo(DecisionHealth.State.OK);

    guard.decideBlocking(a.secret(), Requirement.authenticated());
    assertThat(health.state()).isEqualTo(DecisionHealth.State.OUTAGE);
    brms.clearFaults();
    clock.advance(Duration.ofSeconds(1));
    guard.decideBlocking(a.secret(), Requirement.authenticated());
    assertThat(health.state()).isEqualTo(DecisionHealth.State.OK);
  }

  @Test
  void stateWhenLookupsAreShedThenOverloaded() {
    PatGuard tiny =
        PatGuard.builder()
            .baseUrl(brms.baseUrl())
            .clock(clock)
            .maxConcurrentLookups(1)
            .maxQueuedLookups(0)
            .listener(health)
            .build();
    try {
      brms.inject(Endpoint.SELF_LIST, Fault.latency(Duration.ofMillis(500)), 1);
      MintedToken slow = brms.mint(s -> s.permissions("releases:deploy").projects("web-shop"));
      MintedToken shed = brms.mint(s -> s.permissions("releases:deploy").projects("web-shop"));
      var pending = tiny.decide(slow.secret(), Requirement.authenticated());
      tiny.decideBlocking(shed.secret(), Requirement.authenticated());
      assertThat(health.state()).isEqualTo(DecisionHealth.State.OVERLOADED);
      clock.advance(Duration.ofSeconds(1)); // the slow lookup answers after the shed one
      pending.join();
      assertThat(health.state()).isEqualTo(DecisionHealth.State.OK);
    } finally {
      tiny.close();
    }
  }

  @Test
  void cacheMetersWhenAMissThenAHitThenCountersSayOneEach() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    new PatGuardCacheMeters(guard).bindTo(meters);
    MintedToken t = brms.mint(s -> s.permissions("releases:deploy").projects("web-shop"));
    guard.decideBlocking(t.secret(), Requirement.authenticated());
    guard.decideBlocking(t.secret(), Requirement.authenticated());
    assertThat(
            meters.get("patguard.cache.requests").tag("result", "miss").functionCounter().count())
        .isEqualTo(1.0);
    assertThat(meters.get("patguard.cache.requests").tag("result", "hit").functionCounter().count())
        .isEqualTo(1.0);
    assertThat(meters.get("patguard.cache.lookups").functionCounter().count()).isEqualTo(1.0);
    assertThat(meters.get("patguard.cache.size").gauge().value()).isEqualTo(1.0);
    assertNoSecret(meters.getMetersAsString(), "the meters", t.secret());
  }
}
