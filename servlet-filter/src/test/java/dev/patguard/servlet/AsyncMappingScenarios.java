package dev.patguard.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patguard.decision.Requirement;
import dev.patguard.fakebrms.Endpoint;
import dev.patguard.fakebrms.Fault;
import dev.patguard.fakebrms.MintedToken;
import dev.patguard.servlet.support.Await;
import dev.patguard.servlet.support.Deployment;
import dev.patguard.servlet.support.ServletContainer;
import dev.patguard.token.SecretDigest;
import jakarta.servlet.DispatcherType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests whose decision completes after the filter suspended them, with the filter mapped for
 * REQUEST only (a common misconfiguration: the container then runs the filter's own ASYNC dispatch
 * without it) and for REQUEST and ASYNC as the README asks. Either way a refusal is answered and
 * the application never runs; without the ASYNC mapping a permitted request reaches the application
 * with the decision, principal and project attributes but without {@code getUserPrincipal()}, and
 * the filter logs one error naming the mapping. Run once per container.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AsyncMappingScenarios {
  private static final String DEPLOY = "/app/api/projects/%s/releases/deploy";

  /** Long enough that the decision is never complete when the filter first asks. */
  private static final Duration SLOW_LOOKUP = Duration.ofMillis(200);

  private static final Logger FILTER_LOG = Logger.getLogger(PatGuardFilter.class.getName());
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private GuardedApp requestOnly;
  private GuardedApp requestAndAsync;

  abstract ServletContainer.Factory factory();

  private static Deployment requestOnly(Deployment d) {
    return d.withDispatcherTypes(DispatcherType.REQUEST);
  }

  private static Deployment requestAndAsync(Deployment d) {
    return d.withDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
  }

  @BeforeAll
  void start() throws Exception {
    requestOnly =
        new GuardedApp(
            factory(), Duration.ofSeconds(8), f -> {}, AsyncMappingScenarios::requestOnly);
    requestAndAsync =
        new GuardedApp(
            factory(), Duration.ofSeconds(8), f -> {}, AsyncMappingScenarios::requestAndAsync);
  }

  @AfterAll
  void stop() {
    requestOnly.close();
    requestAndAsync.close();
  }

  /** The two shared apps, by the dispatcher types their filter is mapped for. */
  static Stream<String> mappings() {
    return Stream.of("REQUEST only", "REQUEST and ASYNC");
  }

  private GuardedApp app(String mapping) {
    return mapping.equals("REQUEST only") ? requestOnly : requestAndAsync;
  }

  /** The two mappings, for tests that deploy an app of their own (JUnit closes it after each). */
  static Stream<Arguments> deployments() {
    return Stream.of(
        Arguments.of(
            "REQUEST only", (UnaryOperator<Deployment>) AsyncMappingScenarios::requestOnly),
        Arguments.of(
            "REQUEST and ASYNC",
            (UnaryOperator<Deployment>) AsyncMappingScenarios::requestAndAsync));
  }

  private static HttpRequest.Builder deploy(GuardedApp app, String project) {
    return HttpRequest.newBuilder(URI.create(app.container.origin() + DEPLOY.formatted(project)))
        .timeout(Duration.ofSeconds(20));
  }

  private HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** A deploy request with {@code secret} whose lookup is slow, so that the filter suspends it. */
  private HttpResponse<String> sendSuspended(GuardedApp app, String project, String secret)
      throws Exception {
    app.brms.inject(Endpoint.SELF_LIST, Fault.latency(SLOW_LOOKUP), 1);
    HttpResponse<String> r =
        send(
            deploy(app, project)
                .header("Authorization", "Bearer " + secret)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    GuardedApp.assertNoSecret(secret, r.headers().map() + r.body());
    return r;
  }

  private static void assertProblem(HttpResponse<String> r, int status, String type) {
    assertEquals(status, r.statusCode(), r.body());
    assertEquals(
        "application/problem+json",
        r.headers().firstValue("Content-Type").orElse("").replaceAll(";.*", ""));
    assertTrue(
        r.body().contains("\"type\":\"https://patguard.dev/problems/" + type + "\""), r.body());
    assertFalse(r.body().contains("ok path="), "the app ran: " + r.body());
  }

  private static long eventsOn(GuardedApp app, String project, int status) {
    String path = DEPLOY.formatted(project).substring(ServletContainer.CONTEXT.length());
    return app.events.stream().filter(e -> e.path().equals(path) && e.status() == status).count();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mappings")
  void doFilterWhenSuspendedAndDeniedThen403AndAppNeverRuns(String mapping) throws Exception {
    GuardedApp app = app(mapping);
    MintedToken t = app.deployer("proj-1");
    HttpResponse<String> r = sendSuspended(app, "proj-2", t.secret());
    assertProblem(r, 403, "insufficient-scope");
    assertEquals(
        "Bearer realm=\"acme\", error=\"insufficient_scope\", error_description=\"the token lacks a"
            + " permission or project this route needs\", scope=\"releases:deploy\"",
        r.headers().firstValue("WWW-Authenticate").orElse(""));
    assertTrue(
        r.body().contains("\"token\":\"" + SecretDigest.fingerprintOf(t.secret()) + "\""),
        r.body());
    assertEquals(1, eventsOn(app, "proj-2", 403), "one refusal reported");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mappings")
  void doFilterWhenNoTokenThen401(String mapping) throws Exception {
    GuardedApp app = app(mapping);
    HttpResponse<String> r =
        send(deploy(app, "proj-1").POST(HttpRequest.BodyPublishers.noBody()).build());
    assertProblem(r, 401, "missing-credentials");
    assertEquals("Bearer realm=\"acme\"", r.headers().firstValue("WWW-Authenticate").orElse(""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mappings")
  void doFilterWhenSuspendedAndBrmsDownThen503WithRetryAfter(String mapping) throws Exception {
    GuardedApp app = app(mapping);
    MintedToken t = app.deployer("proj-1");
    app.brms.inject(Endpoint.SELF_LIST, Fault.status(503), 1);
    HttpResponse<String> r =
        send(
            deploy(app, "proj-1")
                .header("Authorization", "Bearer " + t.secret())
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    assertProblem(r, 503, "decision-unavailable");
    assertEquals("5", r.headers().firstValue("Retry-After").orElse(""));
    assertTrue(r.body().contains("BRMS_UNAVAILABLE"), r.body());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mappings")
  void doFilterWhenSuspendedAndPermittedThenAppRunsWithTheDecisionAndProjectAttributes(
      String mapping) throws Exception {
    GuardedApp app = app(mapping);
    MintedToken t = app.deployer("proj-1");
    HttpResponse<String> r = sendSuspended(app, "proj-1", t.secret());
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().contains("dispatch=ASYNC decision=Permit project=proj-1"), r.body());
    String principal = "principal=" + SecretDigest.fingerprintOf(t.secret());
    if (app == requestAndAsync) {
      assertTrue(
          r.body().contains(principal) && r.body().contains("principalProject=proj-1"), r.body());
    } else {
      // The ASYNC dispatch bypassed the filter: no wrapper, so no getUserPrincipal(); the
      // attributes are set.
      assertTrue(r.body().contains("principal=none"), r.body());
    }
  }

  @Test
  void doFilterWhenNotMappedForAsyncAndSuspendedPermitsThenOneErrorNamingTheMapping()
      throws Exception {
    List<LogRecord> errors = new CopyOnWriteArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
              errors.add(record);
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    FILTER_LOG.addHandler(capture);
    try (GuardedApp fresh =
        new GuardedApp(
            factory(), Duration.ofSeconds(8), f -> {}, AsyncMappingScenarios::requestOnly)) {
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> r = sendSuspended(fresh, "proj-1", fresh.deployer("proj-1").secret());
        assertEquals(200, r.statusCode(), r.body());
      }
      Await.until(
          () -> !errors.isEmpty(), Duration.ofSeconds(5), "an error about the ASYNC mapping");
      assertEquals(1, errors.size(), "logged once");
      String message = errors.get(0).getMessage();
      assertTrue(
          message.contains("not mapped for the ASYNC dispatcher type")
              && message.contains("<dispatcher>ASYNC</dispatcher>"),
          message);

      // The same permits with the ASYNC mapping: no error.
      errors.clear();
      for (int i = 0; i < 3; i++) {
        assertEquals(
            200,
            sendSuspended(requestAndAsync, "proj-1", requestAndAsync.deployer("proj-1").secret())
                .statusCode());
      }
      assertEquals(List.of(), errors);
    } finally {
      FILTER_LOG.removeHandler(capture);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deployments")
  void doFilterWhenSuspendedAndDecisionTimesOutThen503AtTheDecisionTimeout(
      String mapping, UnaryOperator<Deployment> deployment) throws Exception {
    Duration decisionTimeout = Duration.ofMillis(700);
    try (GuardedApp slow = new GuardedApp(factory(), decisionTimeout, f -> {}, deployment)) {
      MintedToken t = slow.deployer("proj-1");
      slow.brms.inject(Endpoint.SELF_LIST, Fault.latency(Duration.ofSeconds(6)), 1);
      long start = System.nanoTime();
      HttpResponse<String> r =
          send(
              deploy(slow, "proj-1")
                  .header("Authorization", "Bearer " + t.secret())
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build());
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertProblem(r, 503, "decision-unavailable");
      assertEquals("5", r.headers().firstValue("Retry-After").orElse(""));
      assertTrue(r.body().contains("TIMEOUT"), r.body());
      assertTrue(
          took.compareTo(decisionTimeout) >= 0 && took.compareTo(Duration.ofSeconds(5)) < 0,
          "answered after " + took);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deployments")
  void
      doFilterWhenContainerTimesOutBeforeTheDecisionThenOnTimeoutAnswers503AndTheLateDecisionIsDropped(
          String mapping, UnaryOperator<Deployment> deployment) throws Exception {
    try (GuardedApp slow =
        new GuardedApp(
            factory(),
            Duration.ofSeconds(8),
            f -> f.asyncTimeout(Duration.ofMillis(300)),
            deployment)) {
      MintedToken t = slow.deployer("proj-1");
      // Tomcat checks async timeouts about once a second: the lookup must outlast that check, by
      // a margin a loaded machine keeps.
      slow.brms.inject(Endpoint.SELF_LIST, Fault.latency(Duration.ofSeconds(3)), 1);
      HttpResponse<String> r =
          send(
              deploy(slow, "proj-1")
                  .header("Authorization", "Bearer " + t.secret())
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build());
      assertProblem(r, 503, "decision-unavailable");
      assertEquals("5", r.headers().firstValue("Retry-After").orElse(""));
      assertTrue(r.body().contains("TIMEOUT"), r.body());
      // The permit that arrives later writes nothing more, and the app goes on answering.
      assertTrue(
          slow.guard
              .decide(t.secret(), Requirement.parse("releases:deploy@proj-1"))
              .get(10, TimeUnit.SECONDS)
              .isPermit(),
          "the late decision");
      HttpResponse<String> next =
          send(
              deploy(slow, "proj-1")
                  .header("Authorization", "Bearer " + t.secret())
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build());
      assertEquals(200, next.statusCode(), next.body());
      assertTrue(
          next.body().contains("dispatch=REQUEST decision=Permit"),
          "answered from the cache: " + next.body());
      assertEquals(1, slow.guard.cacheStats().upstreamLookups(), "one lookup in all");
      assertEquals(
          1, slow.events.stream().filter(e -> e.status() == 503).count(), slow.events::toString);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mappings")
  void
      doFilterWhenSuspendedRefusalsWithBodiesOnOneKeepAliveClientThenEachAnsweredAndConnectionClosed(
          String mapping) throws Exception {
    GuardedApp app = app(mapping);
    String body = "{\"releaseId\":\"r-42\",\"comment\":\"" + "x".repeat(4000) + "\"}";
    for (int i = 0; i < 4; i++) {
      MintedToken t =
          app.deployer("proj-1"); // a new token: not cached, so each refusal is suspended first
      app.brms.inject(Endpoint.SELF_LIST, Fault.latency(SLOW_LOOKUP), 1);
      HttpResponse<String> refused =
          send(
              deploy(app, "proj-2")
                  .header("Authorization", "Bearer " + t.secret())
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build());
      assertProblem(refused, 403, "insufficient-scope");
      assertEquals(
          "close", refused.headers().firstValue("Connection").orElse("").toLowerCase(Locale.ROOT));
      HttpResponse<String> noToken =
          send(deploy(app, "proj-1").POST(HttpRequest.BodyPublishers.ofString(body)).build());
      assertProblem(noToken, 401, "missing-credentials");
    }
    MintedToken t = app.deployer("proj-1");
    app.brms.inject(Endpoint.SELF_LIST, Fault.latency(SLOW_LOOKUP), 1);
    HttpResponse<String> permitted =
        send(
            deploy(app, "proj-1")
                .header("Authorization", "Bearer " + t.secret())
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    assertEquals(200, permitted.statusCode(), permitted.body());
    assertTrue(permitted.body().contains("dispatch=ASYNC decision=Permit"), permitted.body());
  }
}
