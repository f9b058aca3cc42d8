package dev.patguard.servlet;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.patguard.PatGuard;
import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.MintedToken;
import dev.patguard.servlet.support.MutableClock;
import dev.patguard.servlet.support.ServletContainer;
import dev.patguard.servlet.support.TestServlet;
import jakarta.servlet.DispatcherType;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** fake-brms, a guard and a container running the filter under {@code test-policy.yaml}. */
final class GuardedApp implements AutoCloseable {
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T12:00:00Z"));
  final FakeBrms brms;
  final PatGuard guard;
  final ServletContainer container;
  final List<EnforcementEvent> events = new CopyOnWriteArrayList<>();

  GuardedApp(ServletContainer.Factory factory, boolean reportOnly) throws Exception {
    brms = FakeBrms.builder().clock(clock).start();
    guard = PatGuard.builder().baseUrl(brms.baseUrl()).clock(clock)
        .requestTimeout(Duration.ofSeconds(5)).maxRetries(0).decisionTimeout(Duration.ofSeconds(8)).build();
    PatGuardFilter filter = PatGuardFilter.builder().guard(guard).policy(policy()).realm("acme")
        .reportOnly(reportOnly).recheckDispatchTypes(DispatcherType.FORWARD).listener(events::add).build();
    container = factory.start(filter, Map.of(), new TestServlet());
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
