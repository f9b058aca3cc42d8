package dev.patguard.servlet;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.patguard.PatGuard;
import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.MintedToken;
import dev.patguard.fakebrms.MutableClock;
import dev.patguard.servlet.support.Deployment;
import dev.patguard.servlet.support.ServletContainer;
import dev.patguard.servlet.support.TestServlet;
import jakarta.servlet.DispatcherType;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/** fake-brms, a guard and a container running the filter under {@code test-policy.yaml}. */
final class GuardedApp implements AutoCloseable {
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T12:00:00Z"));
  final FakeBrms brms;
  final PatGuard guard;
  final ServletContainer container;
  final List<EnforcementEvent> events = new CopyOnWriteArrayList<>();

  GuardedApp(ServletContainer.Factory factory, boolean reportOnly) throws Exception {
    this(factory, Duration.ofSeconds(8), f -> f.reportOnly(reportOnly), d -> d);
  }

  /**
   * An app whose guard gives up after {@code decisionTimeout}, whose filter is the default one
   * (realm {@code acme}, FORWARD re-checked, events recorded) changed by {@code filterSettings},
   * deployed as {@code deployment} makes it.
   */
  GuardedApp(
      ServletContainer.Factory factory,
      Duration decisionTimeout,
      Consumer<PatGuardFilter.Builder> filterSettings,
      UnaryOperator<Deployment> deployment)
      throws Exception {
    brms = FakeBrms.builder().clock(clock).start();
    guard =
        PatGuard.builder()
            .baseUrl(brms.baseUrl())
            .clock(clock)
            .ticker(clock.ticker())
            .requestTimeout(Duration.ofSeconds(5))
            .maxRetries(0)
            .decisionTimeout(decisionTimeout)
            .build();
    PatGuardFilter.Builder filter =
        PatGuardFilter.builder()
            .guard(guard)
            .policy(policy())
            .realm("acme")
            .recheckDispatchTypes(DispatcherType.FORWARD)
            .listener(events::add);
    try {
      filterSettings.accept(filter);
      container =
          factory.start(
              deployment.apply(Deployment.of(filter.build(), Map.of(), new TestServlet())));
    } catch (Exception | Error e) {
      guard.close();
      brms.close();
      throw e;
    }
  }

  static RoutePolicy policy() throws Exception {
    try (InputStream in = GuardedApp.class.getResourceAsStream("/test-policy.yaml")) {
      return RoutePolicy.read(in, RoutePolicy.Format.YAML, "test-policy.yaml");
    }
  }

  MintedToken deployer(String project) {
    return brms.mint(t -> t.permissions("releases:deploy").projects(project).allProjects(false));
  }

  static void assertNoSecret(String secret, String wholeResponse) {
    assertFalse(wholeResponse.contains(secret), "the response contains the secret");
  }

  @Override
  public void close() {
    container.close();
    guard.close();
    brms.close();
  }
}
