package dev.patguard.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patguard.LookupStrategy;
import dev.patguard.fakebrms.Endpoint;
import dev.patguard.fakebrms.FakeUser;
import dev.patguard.fakebrms.Fault;
import dev.patguard.fakebrms.MintedToken;
import dev.patguard.servlet.support.Await;
import dev.patguard.servlet.support.Deployment;
import dev.patguard.servlet.support.ServletContainer;
import dev.patguard.servlet.support.TestServlet;
import dev.patguard.token.SecretDigest;
import jakarta.servlet.DispatcherType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The filter inside a real container, against fake-brms, over real HTTP. Run once per container.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FilterScenarios {
  private static final String DEPLOY = "/app/api/projects/%s/releases/deploy";
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private static final String RELEASES = "/app/api/projects/%s/releases";
  private static final Duration SHORT_DECISION_TIMEOUT = Duration.ofMillis(1500);
  private GuardedApp app;

  /** Re-checks FORWARD, INCLUDE and ERROR dispatches (the main app only FORWARD). */
  private GuardedApp rechecking;

  /** Built with {@code allowQueryToken(true)}. */
  private GuardedApp queryTokens;

  abstract ServletContainer.Factory factory();

  @BeforeAll
  void start() throws Exception {
    app = new GuardedApp(factory(), false);
    rechecking =
        new GuardedApp(
            factory(),
            Duration.ofSeconds(8),
            f ->
                f.recheckDispatchTypes(
                    DispatcherType.FORWARD, DispatcherType.INCLUDE, DispatcherType.ERROR),
            d -> d);
    queryTokens =
        new GuardedApp(factory(), Duration.ofSeconds(8), f -> f.allowQueryToken(true), d -> d);
  }

  @AfterAll
  void stop() throws Exception {
    app.close();
    rechecking.close();
    queryTokens.close();
  }

  private HttpResponse<String> send(
      String method, String path, String secret, Map<String, String> headers) throws Exception {
    return send(app, method, path, secret, headers);
  }

  private HttpResponse<String> send(
      GuardedApp target, String method, String path, String secret, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(target.container.origin() + path))
            .timeout(Duration.ofSeconds(20))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (secret != null) {
      b.header("Authorization", "Bearer " + secret);
    }
    headers.forEach(b::header);
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (secret != null) {
      GuardedApp.assertNoSecret(secret, r.toString() + r.headers().map() + r.body());
    }
    return r;
  }

  private static String header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse("");
  }

  private static void assertProblem(HttpResponse<String> r, int status, String type) {
    assertEquals(status, r.statusCode(), r.body());
    assertEquals("application/problem+json", header(r, "Content-Type").replaceAll(";.*", ""));
    assertTrue(
        r.body().contains("\"type\":\"https://patguard.dev/problems/" + type + "\""), r.body());
    assertTrue(r.body().contains("\"status\":" + status), r.body());
    assertTrue(!r.body().contains("Exception") && !r.body().contains("\tat "), r.body());
  }

  @Test
  void doFilterWhenTokenHoldsPermissionOnProjectThenServletRunsWithPrincipal() throws Exception {
    MintedToken t = app.deployer("proj-1");
    HttpResponse<String> r = send("POST", DEPLOY.formatted("proj-1"), t.secret(), Map.of());
    assertEquals(200, r.statusCode(), r.body());
    String fp = SecretDigest.fingerprintOf(t.secret());
    assertTrue(r.body().contains("principal=" + fp), r.body());
    assertTrue(r.body().contains("email=") && !r.body().contains("email=none"), r.body());
    assertTrue(r.body().contains("decision=Permit"), r.body());
  }

  /**
   * Issue #11: min(TTL, expiresAt - now) overflowed for such tokens: 503 and a BRMS call per
   * request.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "2400-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z",
        "+1000000000-12-31T23:59:59.999999999Z"
      })
  void doFilterWhenTokenExpiresFarInTheFutureThenPermittedAndCachedForTheTtl(String expiresAt)
      throws Exception {
    MintedToken t =
        app.brms.mint(
            s ->
                s.permissions("releases:deploy")
                    .projects("proj-1")
                    .expiresAt(Instant.parse(expiresAt)));
    long before = app.brms.requestCount(Endpoint.SELF_LIST);
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r = send("POST", DEPLOY.formatted("proj-1"), t.secret(), Map.of());
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(r.body().contains("decision=Permit"), r.body());
    }
    assertEquals(
        1,
        app.brms.requestCount(Endpoint.SELF_LIST) - before,
        "three requests within the TTL: one lookup");
  }

  @Test
  void doFilterWhenPermissionMissingThen403InsufficientScopeWithAcceptedPermissions()
      throws Exception {
    MintedToken t = app.brms.mint(s -> s.permissions("releases").projects("proj-1"));
    HttpResponse<String> r = send("POST", DEPLOY.formatted("proj-1"), t.secret(), Map.of());
    assertProblem(r, 403, "insufficient-scope");
    assertEquals(
        "Bearer realm=\"acme\", error=\"insufficient_scope\", error_description=\"the token lacks a"
            + " permission or project this route needs\", scope=\"releases:deploy\"",
        header(r, "WWW-Authenticate"));
    assertEquals("releases:deploy", header(r, "X-Accepted-Permissions"));
    assertTrue(r.body().contains("PERMISSION_MISSING"), r.body());
    assertTrue(
        r.body().contains("\"token\":\"" + SecretDigest.fingerprintOf(t.secret()) + "\""),
        r.body());
  }

  @Test
  void
      doFilterWhenRefusedRequestsWithBodiesOnOneKeepAliveClientThenEachAnsweredAndConnectionClosed()
          throws Exception {
    // A refused request's body is never read, so the container closes the connection: the filter
    // must say so, or a keep-alive client sends its next request on a closing connection.
    MintedToken t = app.deployer("proj-1");
    String body =
        "{\"releaseId\":\"r-42\",\"environmentId\":\"prod\",\"comment\":\""
            + "x".repeat(2000)
            + "\"}";
    for (int i = 0; i < 5; i++) {
      HttpRequest refused =
          HttpRequest.newBuilder(URI.create(app.container.origin() + DEPLOY.formatted("proj-2")))
              .timeout(Duration.ofSeconds(20))
              .header("Authorization", "Bearer " + t.secret())
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build();
      HttpResponse<String> r = http.send(refused, HttpResponse.BodyHandlers.ofString());
      assertProblem(r, 403, "insufficient-scope");
      assertEquals("close", header(r, "Connection").toLowerCase(java.util.Locale.ROOT));
      HttpRequest noToken =
          HttpRequest.newBuilder(URI.create(app.container.origin() + DEPLOY.formatted("proj-1")))
              .timeout(Duration.ofSeconds(20))
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build();
      assertEquals(401, http.send(noToken, HttpResponse.BodyHandlers.ofString()).statusCode());
    }
    HttpRequest permitted =
        HttpRequest.newBuilder(URI.create(app.container.origin() + DEPLOY.formatted("proj-1")))
            .timeout(Duration.ofSeconds(20))
            .header("Authorization", "Bearer " + t.secret())
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> ok = http.send(permitted, HttpResponse.BodyHandlers.ofString());
    // Whether the permitted exchange keeps its connection is the app's business (this servlet
    // never reads the body); what matters is that no request failed on a half-closed connection.
    assertEquals(200, ok.statusCode(), ok.body());
  }

  @Test
  void doFilterWhenProjectOutOfScopeThen403() throws Exception {
    MintedToken t = app.deployer("proj-1");
    HttpResponse<String> r = send("POST", DEPLOY.formatted("proj-2"), t.secret(), Map.of());
    assertProblem(r, 403, "insufficient-scope");
    assertTrue(r.body().contains("PROJECT_OUT_OF_SCOPE"), r.body());
  }

  private void assertInvalidToken(HttpResponse<String> r) {
    assertProblem(r, 401, "invalid-token");
    assertEquals(
        "Bearer realm=\"acme\", error=\"invalid_token\", error_description=\"the token is invalid,"
            + " expired, revoked or unknown, or its owner is inactive\"",
        header(r, "WWW-Authenticate"));
    assertTrue(r.body().contains("\"reasons\":[{\"code\":\"TOKEN_INVALID\"}]"), r.body());
  }

  @Test
  void doFilterWhenTokenExpiredThen401InvalidToken() throws Exception {
    MintedToken t = app.deployer("proj-1");
    app.brms.expire(t.id());
    assertInvalidToken(send("POST", DEPLOY.formatted("proj-1"), t.secret(), Map.of()));
  }

  @Test
  void doFilterWhenCachedTokenExpiresByClockThen401InvalidToken() throws Exception {
    MintedToken t =
        app.brms.mint(
            s ->
                s.permissions("releases:deploy")
                    .projects("proj-1")
                    .expiresAt(app.clock.instant().plusSeconds(10)));
    assertEquals(200, send("POST", DEPLOY.formatted("proj-1"), t.secret(), Map.of()).statusCode());
    app.clock.advance(Duration.ofSeconds(11));
    assertInvalidToken(send("POST", DEPLOY.formatted("proj-1"), t.secret(), Map.of()));
  }

  @Test
  void doFilterWhenTokenRevokedThen401InvalidToken() throws Exception {
    MintedToken t = app.deployer("proj-1");
    app.brms.revoke(t.id());
    assertInvalidToken(send("POST", DEPLOY.formatted("proj-1"), t.secret(), Map.of()));
  }

  @Test
  void doFilterWhenTokenUnknownThen401InvalidToken() throws Exception {
    assertInvalidToken(
        send(
            "POST",
            DEPLOY.formatted("proj-1"),
            "unknown" + UUID.randomUUID().toString().replace("-", ""),
            Map.of()));
  }

  @Test
  void doFilterWhenOwnerInactiveThen401InvalidToken() throws Exception {
    MintedToken t = app.deployer("proj-1");
    app.brms.setOwnerStatus(t.userId(), "inactive");
    assertInvalidToken(send("POST", DEPLOY.formatted("proj-1"), t.secret(), Map.of()));
  }

  @Test
  void doFilterWhenTokenMayNotReadOwnFactsThen403LookupForbidden() throws Exception {
    MintedToken t =
        app.brms.mint(
            s -> s.permissions("releases:deploy").projects("proj-1").canReadOwnTokens(false));
    HttpResponse<String> r = send("POST", DEPLOY.formatted("proj-1"), t.secret(), Map.of());
    assertProblem(r, 403, "insufficient-scope");
    assertTrue(r.body().contains("LOOKUP_FORBIDDEN"), r.body());
  }

  @Test
  void doFilterWhenNoCredentialsThen401ChallengeWithoutErrorAndNoLookup() throws Exception {
    long before = app.brms.totalRequests();
    HttpResponse<String> r = send("POST", DEPLOY.formatted("proj-1"), null, Map.of());
    assertProblem(r, 401, "missing-credentials");
    assertEquals("Bearer realm=\"acme\"", header(r, "WWW-Authenticate"));
    assertEquals(before, app.brms.totalRequests());
  }

  @Test
  void doFilterWhenBrmsAnswers503Then503WithRetryAfter() throws Exception {
    MintedToken t = app.deployer("proj-1");
    app.brms.inject(Endpoint.SELF_LIST, Fault.status(503), 1);
    HttpResponse<String> r = send("POST", DEPLOY.formatted("proj-1"), t.secret(), Map.of());
    assertProblem(r, 503, "decision-unavailable");
    assertEquals("5", header(r, "Retry-After"));
    assertTrue(r.body().contains("BRMS_UNAVAILABLE"), r.body());
    assertEquals(200, send("POST", DEPLOY.formatted("proj-1"), t.secret(), Map.of()).statusCode());
  }

  @Test
  void doFilterWhenPublicRouteThenPassesWithoutTokenOrLookup() throws Exception {
    long before = app.brms.totalRequests();
    HttpResponse<String> r = send("GET", "/app/public/info", null, Map.of());
    assertEquals(200, r.statusCode());
    assertTrue(r.body().contains("principal=none"), r.body());
    assertEquals(before, app.brms.totalRequests());
  }

  @Test
  void doFilterWhenRouteUnmatchedThen403WithoutLookup() throws Exception {
    MintedToken t = app.deployer("proj-1");
    long before = app.brms.totalRequests();
    HttpResponse<String> r = send("GET", "/app/api/other", t.secret(), Map.of());
    assertProblem(r, 403, "route-denied");
    assertEquals(before, app.brms.totalRequests());
  }

  @Test
  void doFilterWhenAuthenticatedRouteThenAnyLiveTokenPasses() throws Exception {
    MintedToken t = app.brms.mint(s -> s.permissions());
    assertEquals(200, send("GET", "/app/api/whoami", t.secret(), Map.of()).statusCode());
  }

  @Test
  void doFilterWhenProjectFromHeaderThenHeaderDecides() throws Exception {
    MintedToken t = app.deployer("proj-1");
    assertEquals(
        200,
        send("GET", "/app/api/header-scoped/releases", t.secret(), Map.of("X-Project", "proj-1"))
            .statusCode());
    assertEquals(
        403,
        send("GET", "/app/api/header-scoped/releases", t.secret(), Map.of("X-Project", "proj-2"))
            .statusCode());
  }

  @Test
  void doFilterWhenProjectFromQueryThenQueryDecides() throws Exception {
    MintedToken t = app.deployer("proj-1");
    assertEquals(
        200,
        send("GET", "/app/api/query-scoped/releases?project=proj-1", t.secret(), Map.of())
            .statusCode());
    assertEquals(
        403,
        send("GET", "/app/api/query-scoped/releases?project=proj-2", t.secret(), Map.of())
            .statusCode());
  }

  // --- Project values from requests: bare keys or UUIDs only, and the authorized one handed on
  // ----

  /** A request to each project-scoped route with {@code project} as its project value. */
  private static Stream<Arguments> projectSources(String project) {
    return Stream.of(
        Arguments.of("path", "POST", DEPLOY.formatted(project), Map.of()),
        Arguments.of(
            "header", "GET", "/app/api/header-scoped/releases", Map.of("X-Project", project)),
        Arguments.of(
            "query", "GET", "/app/api/query-scoped/releases?project=" + project, Map.of()));
  }

  static Stream<Arguments> prefixedProjects() {
    String id = "3c90c3cc-0d44-4b50-8888-8dd25736052a";
    return Stream.of("key:proj-1", "id:" + id, "id:not-a-uuid")
        .flatMap(
            p ->
                projectSources(p)
                    .map(a -> Arguments.of(p, a.get()[0], a.get()[1], a.get()[2], a.get()[3])));
  }

  @ParameterizedTest(name = "{0} from {1}")
  @MethodSource("prefixedProjects")
  void doFilterWhenProjectValueIsPrefixedThen400InvalidRequestWithoutLookup(
      String project, String source, String method, String path, Map<String, String> headers)
      throws Exception {
    MintedToken t = app.brms.mint(s -> s.permissions("releases:deploy").allProjects(true));
    long before = app.brms.totalRequests();
    HttpResponse<String> r = send(method, path, t.secret(), headers);
    assertProblem(r, 400, "invalid-request");
    assertTrue(
        header(r, "WWW-Authenticate").contains("error=\"invalid_request\""),
        header(r, "WWW-Authenticate"));
    assertTrue(
        r.body()
            .contains(
                "is not a bare project key or UUID (key: and id: prefixes are for policies only)"),
        r.body());
    assertFalse(r.body().contains("ok path="), "the app ran: " + r.body());
    assertEquals(before, app.brms.totalRequests(), "a prefixed project value reached BRMS");
  }

  static Stream<Arguments> bareProjects() {
    return projectSources("proj-1");
  }

  @ParameterizedTest(name = "from {0}")
  @MethodSource("bareProjects")
  void doFilterWhenPermittedOnProjectThenAppSeesTheAuthorizedProjectAsAttributeAndOnPrincipal(
      String source, String method, String path, Map<String, String> headers) throws Exception {
    MintedToken t = app.deployer("proj-1");
    HttpResponse<String> r = send(method, path, t.secret(), headers);
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().contains(" project=proj-1 principalProject=proj-1"), r.body());
  }

  @Test
  void doFilterWhenProjectIsUpperCaseUuidThenAuthorizedAndHandedOnById() throws Exception {
    MintedToken t = app.deployer("proj-1");
    String id = app.brms.project("proj-1").orElseThrow().id().toString();
    HttpResponse<String> r =
        send("POST", DEPLOY.formatted(id.toUpperCase(java.util.Locale.ROOT)), t.secret(), Map.of());
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().contains(" project=" + id + " principalProject=" + id), r.body());
  }

  @Test
  void doFilterWhenPermittedRouteHasNoProjectThenNoProjectHandedOn() throws Exception {
    MintedToken t = app.brms.mint(s -> s.permissions());
    HttpResponse<String> r = send("GET", "/app/api/whoami", t.secret(), Map.of());
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().contains(" project=none principalProject=none"), r.body());
  }

  @Test
  void doFilterWhenDecisionNotCachedThenContinuesAsynchronously() throws Exception {
    MintedToken t = app.deployer("proj-1");
    app.brms.inject(Endpoint.SELF_LIST, Fault.latency(Duration.ofMillis(300)), 1);
    HttpResponse<String> r = send("POST", DEPLOY.formatted("proj-1"), t.secret(), Map.of());
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().contains("dispatch=ASYNC"), r.body());
    HttpResponse<String> cached = send("POST", DEPLOY.formatted("proj-1"), t.secret(), Map.of());
    assertTrue(cached.body().contains("dispatch=REQUEST"), cached.body());
  }

  @Test
  void doFilterWhenAsyncDecisionIsDenyThen403() throws Exception {
    MintedToken t = app.deployer("proj-1");
    app.brms.inject(Endpoint.SELF_LIST, Fault.latency(Duration.ofMillis(300)), 1);
    assertProblem(
        send("POST", DEPLOY.formatted("proj-2"), t.secret(), Map.of()), 403, "insufficient-scope");
  }

  @Test
  void doFilterWhenForgedPendingAttributeNameGuessedThenIgnored() throws Exception {
    // Clients cannot set request attributes; the closest they get is a header of the same name.
    MintedToken t = app.deployer("proj-1");
    HttpResponse<String> r =
        send(
            "POST",
            DEPLOY.formatted("proj-2"),
            t.secret(),
            Map.of("dev.patguard.servlet.decision", "Permit"));
    assertEquals(403, r.statusCode());
  }

  @Test
  void doFilterWhenListenerSetThenSeesEveryEnforcement() throws Exception {
    MintedToken t = app.deployer("proj-1");
    app.events.clear();
    send("POST", DEPLOY.formatted("proj-2"), t.secret(), Map.of());
    EnforcementEvent e = app.events.get(app.events.size() - 1);
    assertEquals(403, e.status());
    assertEquals("POST /api/projects/{projectId}/releases/deploy", e.route());
    assertEquals("/api/projects/proj-2/releases/deploy", e.path());
    assertNotNull(e.decision());
  }

  @Test
  void doFilterWhenReportOnlyThenDeniedRequestPassesAndIsReported() throws Exception {
    try (GuardedApp reportOnly = new GuardedApp(factory(), true)) {
      MintedToken t = reportOnly.deployer("proj-1");
      HttpResponse<String> r =
          send(reportOnly, "POST", DEPLOY.formatted("proj-2"), t.secret(), Map.of());
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(
          r.body().contains("decision=Deny") && r.body().contains("principal=none"), r.body());
      assertTrue(
          r.body().contains(" project=none principalProject=none"),
          "not authorized on a project: " + r.body());
      EnforcementEvent e = reportOnly.events.get(reportOnly.events.size() - 1);
      assertEquals(403, e.status());
      assertTrue(e.reportOnly());
      assertEquals(200, send(reportOnly, "GET", "/app/api/other", null, Map.of()).statusCode());
    }
  }

  @Test
  void initWhenConfiguredByInitParamsThenEnforcesPolicyFile() throws Exception {
    try (GuardedApp env = new GuardedApp(factory(), false);
        ServletContainer web =
            factory()
                .start(
                    null,
                    Map.of(
                        "brms-url",
                        env.brms.baseUrl().toString(),
                        "policy",
                        "classpath:test-policy.yaml",
                        "realm",
                        "web-xml",
                        "max-token-length",
                        "100"),
                    new TestServlet())) {
      MintedToken t =
          env.brms.mint(s -> s.permissions("releases:deploy").projects("proj-1").neverExpires());
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(web.origin() + DEPLOY.formatted("proj-1")))
              .POST(HttpRequest.BodyPublishers.noBody());
      assertEquals(
          200,
          http.send(
                  b.copy().header("Authorization", "Bearer " + t.secret()).build(),
                  HttpResponse.BodyHandlers.ofString())
              .statusCode());
      HttpResponse<String> none = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      assertEquals("Bearer realm=\"web-xml\"", header(none, "WWW-Authenticate"));
    }
  }

  // --- Blocking path (no async support) and the async path's timeout --------------------------

  private static HttpRequest deployRequest(GuardedApp target, String project, String secret) {
    return HttpRequest.newBuilder(URI.create(target.container.origin() + DEPLOY.formatted(project)))
        .timeout(Duration.ofSeconds(20))
        .header("Authorization", "Bearer " + secret)
        .POST(HttpRequest.BodyPublishers.noBody())
        .build();
  }

  /**
   * Without async support on the filter's registration the filter blocks on the request thread. A
   * servlet registered without it does not stop the filter: the container reports the request as
   * async-supported to the filter, which suspends it, and the ASYNC dispatch reaches the servlet
   * (Servlet 6.0 §2.3.3.3 allows dispatching to a servlet without async support).
   */
  static Stream<Arguments> deploymentsWithoutAsyncSupport() {
    return Stream.of(
        Arguments.of(
            "filter registration not async-supported: blocks",
            (UnaryOperator<Deployment>) d -> d.withFilterAsync(false),
            DispatcherType.REQUEST),
        Arguments.of(
            "servlet registration not async-supported: the filter still suspends",
            (UnaryOperator<Deployment>) d -> d.withServletAsync(false),
            DispatcherType.ASYNC),
        Arguments.of(
            "neither registration async-supported: blocks",
            (UnaryOperator<Deployment>) d -> d.withFilterAsync(false).withServletAsync(false),
            DispatcherType.REQUEST));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deploymentsWithoutAsyncSupport")
  void doFilterWhenNotAsyncSupportedAndDecisionSlowThenPermitsAfterTheDecision(
      String name, UnaryOperator<Deployment> deployment, DispatcherType servedBy) throws Exception {
    try (GuardedApp blocking =
        new GuardedApp(factory(), SHORT_DECISION_TIMEOUT, f -> {}, deployment)) {
      MintedToken t = blocking.deployer("proj-1");
      blocking.brms.inject(Endpoint.SELF_LIST, Fault.latency(Duration.ofMillis(200)), 1);
      HttpResponse<String> r =
          http.send(
              deployRequest(blocking, "proj-1", t.secret()), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(r.body().contains("dispatch=" + servedBy), r.body());
      assertTrue(
          r.body().contains("principal=" + SecretDigest.fingerprintOf(t.secret())), r.body());
      assertEquals(
          1, blocking.brms.requestCount(Endpoint.SELF_LIST), "the decision was not cached before");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deploymentsWithoutAsyncSupport")
  void doFilterWhenNotAsyncSupportedAndDecisionSlowerThanTimeoutThen503AtTheTimeout(
      String name, UnaryOperator<Deployment> deployment, DispatcherType servedBy) throws Exception {
    try (GuardedApp blocking =
        new GuardedApp(factory(), SHORT_DECISION_TIMEOUT, f -> {}, deployment)) {
      MintedToken t = blocking.deployer("proj-1");
      blocking.brms.inject(Endpoint.SELF_LIST, Fault.latency(Duration.ofSeconds(6)), 1);
      long start = System.nanoTime();
      CompletableFuture<HttpResponse<String>> pending =
          http.sendAsync(
              deployRequest(blocking, "proj-1", t.secret()), HttpResponse.BodyHandlers.ofString());
      long held = servedBy == DispatcherType.REQUEST ? 1 : 0;
      Await.until(
          () ->
              blocking.brms.inFlight(Endpoint.SELF_LIST) == 1
                  && Await.threadsIn(PatGuardFilter.class) == held,
          SHORT_DECISION_TIMEOUT.dividedBy(2),
          held + " container thread(s) inside the filter while BRMS is slow");
      HttpResponse<String> r = pending.get(20, TimeUnit.SECONDS);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertProblem(r, 503, "decision-unavailable");
      assertEquals("5", header(r, "Retry-After"));
      assertTrue(r.body().contains("TIMEOUT"), r.body());
      assertTrue(
          took.compareTo(SHORT_DECISION_TIMEOUT) >= 0,
          "answered after " + took + ", before the timeout");
      assertTrue(
          took.compareTo(Duration.ofSeconds(5)) < 0,
          "answered after " + took + ", not at the timeout");
    }
  }

  @Test
  void doFilterWhenAsyncDecisionSlowerThanTimeoutThen503AndNoContainerThreadHeld()
      throws Exception {
    try (GuardedApp slow = new GuardedApp(factory(), SHORT_DECISION_TIMEOUT, f -> {}, d -> d)) {
      MintedToken t = slow.deployer("proj-1");
      MintedToken other = slow.deployer("proj-1");
      slow.brms.inject(Endpoint.SELF_LIST, Fault.latency(Duration.ofSeconds(6)), 1);
      long start = System.nanoTime();
      CompletableFuture<HttpResponse<String>> pending =
          http.sendAsync(
              deployRequest(slow, "proj-1", t.secret()), HttpResponse.BodyHandlers.ofString());
      Await.until(
          () ->
              slow.brms.inFlight(Endpoint.SELF_LIST) == 1
                  && Await.threadsIn(PatGuardFilter.class) == 0,
          SHORT_DECISION_TIMEOUT.dividedBy(2),
          "the lookup is in flight and no thread is inside the filter");
      // Served while the slow request is suspended: a lookup of its own, and a public route.
      HttpResponse<String> served =
          http.send(
              deployRequest(slow, "proj-1", other.secret()), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, served.statusCode(), served.body());
      assertEquals(200, send(slow, "GET", "/app/public/info", null, Map.of()).statusCode());
      assertFalse(pending.isDone(), "the slow request is still waiting for its decision");
      HttpResponse<String> r = pending.get(20, TimeUnit.SECONDS);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertProblem(r, 503, "decision-unavailable");
      assertEquals("5", header(r, "Retry-After"));
      assertTrue(r.body().contains("TIMEOUT"), r.body());
      assertTrue(
          took.compareTo(SHORT_DECISION_TIMEOUT) >= 0,
          "answered after " + took + ", before the timeout");
      assertTrue(
          took.compareTo(Duration.ofSeconds(5)) < 0,
          "answered after " + took + ", not at the timeout");
    }
  }

  // --- Re-checked dispatches: ERROR and INCLUDE ------------------------------------------------

  private static final String ERROR =
      "/app/public/error?status=" + ServletContainer.ERROR_PAGE_STATUS;
  private static final String INCLUDE = "/app/public/include?to=" + ServletContainer.ERROR_PAGE;

  @Test
  void doFilterWhenErrorDispatchNotRecheckedThenErrorPagePassesUnchecked() throws Exception {
    HttpResponse<String> r = send("GET", ERROR, null, Map.of());
    assertTrue(
        r.body().contains("dispatch=ERROR") && r.body().contains("principal=none"), r.body());
  }

  @Test
  void doFilterWhenErrorDispatchRecheckedWithoutTokenThen401AndErrorPageNotRun() throws Exception {
    long before = rechecking.brms.totalRequests();
    HttpResponse<String> r = send(rechecking, "GET", ERROR, null, Map.of());
    assertProblem(r, 401, "missing-credentials");
    assertFalse(r.body().contains("dispatch=ERROR"), r.body());
    assertEquals(before, rechecking.brms.totalRequests());
  }

  @Test
  void doFilterWhenErrorDispatchRecheckedAndTokenOutOfScopeThen403() throws Exception {
    MintedToken t = rechecking.deployer("proj-2");
    HttpResponse<String> r = send(rechecking, "GET", ERROR, t.secret(), Map.of());
    assertProblem(r, 403, "insufficient-scope");
    assertFalse(r.body().contains("dispatch=ERROR"), r.body());
  }

  @Test
  void doFilterWhenErrorDispatchRecheckedAndTokenPermittedThenErrorPageRunsWithPrincipal()
      throws Exception {
    MintedToken t = rechecking.deployer("proj-1");
    HttpResponse<String> r = send(rechecking, "GET", ERROR, t.secret(), Map.of());
    assertTrue(r.body().contains("dispatch=ERROR"), r.body());
    assertTrue(r.body().contains("principal=" + SecretDigest.fingerprintOf(t.secret())), r.body());
  }

  @Test
  void doFilterWhenIncludeNotRecheckedThenIncludedRoutePassesUnchecked() throws Exception {
    HttpResponse<String> r = send("GET", INCLUDE, null, Map.of());
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(
        r.body().contains("dispatch=INCLUDE") && r.body().contains("principal=none"), r.body());
  }

  @Test
  void doFilterWhenIncludeRecheckedWithoutTokenThenRefusedAndIncludedRouteNotRun()
      throws Exception {
    long before = rechecking.brms.totalRequests();
    HttpResponse<String> r = send(rechecking, "GET", INCLUDE, null, Map.of());
    assertEquals(
        500, r.statusCode(), "the include fails, so the including page fails: " + r.body());
    assertFalse(r.body().contains("dispatch=INCLUDE"), r.body());
    assertEquals(before, rechecking.brms.totalRequests());
  }

  @Test
  void doFilterWhenIncludeRecheckedAndTokenOutOfScopeThenRefusedAndIncludedRouteNotRun()
      throws Exception {
    MintedToken t = rechecking.deployer("proj-2");
    HttpResponse<String> r = send(rechecking, "GET", INCLUDE, t.secret(), Map.of());
    assertEquals(
        500, r.statusCode(), "the include fails, so the including page fails: " + r.body());
    assertFalse(r.body().contains("dispatch=INCLUDE"), r.body());
  }

  @Test
  void doFilterWhenIncludeRecheckedAndTokenPermittedThenIncludedRouteRunsWithPrincipal()
      throws Exception {
    MintedToken t = rechecking.deployer("proj-1");
    HttpResponse<String> r = send(rechecking, "GET", INCLUDE, t.secret(), Map.of());
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().contains("dispatch=INCLUDE"), r.body());
    assertTrue(r.body().contains("principal=" + SecretDigest.fingerprintOf(t.secret())), r.body());
  }

  // --- ASYNC dispatches the filter did not start: checked like new requests
  // ------------------------

  /** A request to {@code start} after which the app dispatches asynchronously to {@code target}. */
  private static String asyncDispatch(String start, String target) {
    return start + (start.contains("?") ? "&" : "?") + "async-to=" + target;
  }

  private long eventsOn(GuardedApp target, String path) {
    return target.events.stream().filter(e -> e.path().equals(path)).count();
  }

  @Test
  void doFilterWhenAppDispatchesAsyncToGuardedRouteWithoutTokenThen401AndRouteNotRun()
      throws Exception {
    long before = app.brms.totalRequests();
    HttpResponse<String> r =
        send(
            "POST",
            asyncDispatch("/app/public/info", "/api/projects/proj-1/releases/deploy"),
            null,
            Map.of());
    assertProblem(r, 401, "missing-credentials");
    assertEquals("Bearer realm=\"acme\"", header(r, "WWW-Authenticate"));
    assertFalse(r.body().contains("ok path="), r.body());
    assertEquals(before, app.brms.totalRequests());
  }

  @Test
  void doFilterWhenAppDispatchesAsyncToProjectTheTokenMayNotUseThen403WithTheRequestsCredentials()
      throws Exception {
    MintedToken t = app.deployer("proj-1");
    HttpResponse<String> r =
        send(
            "GET",
            asyncDispatch(RELEASES.formatted("proj-1"), "/api/projects/proj-2/releases"),
            t.secret(),
            Map.of());
    assertProblem(r, 403, "insufficient-scope");
    assertTrue(r.body().contains("PROJECT_OUT_OF_SCOPE"), r.body());
    assertTrue(
        r.body().contains("\"token\":\"" + SecretDigest.fingerprintOf(t.secret()) + "\""),
        r.body());
    assertFalse(r.body().contains("ok path="), r.body());
  }

  @Test
  void doFilterWhenAppDispatchesAsyncFromPublicRouteToAnotherProjectThen403() throws Exception {
    MintedToken t = app.deployer("proj-1");
    HttpResponse<String> r =
        send(
            "POST",
            asyncDispatch("/app/public/info", "/api/projects/proj-2/releases/deploy"),
            t.secret(),
            Map.of());
    assertProblem(r, 403, "insufficient-scope");
  }

  @Test
  void doFilterWhenAppDispatchesAsyncToRouteTheTokenMayUseThenServedWithPrincipalAndProject()
      throws Exception {
    MintedToken t =
        app.brms.mint(s -> s.permissions("releases:deploy").projects("proj-1", "proj-2"));
    HttpResponse<String> r =
        send(
            "GET",
            asyncDispatch(RELEASES.formatted("proj-1"), "/api/projects/proj-2/releases"),
            t.secret(),
            Map.of());
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(
        r.body()
            .contains(
                "ok path=/api/projects/proj-2/releases principal="
                    + SecretDigest.fingerprintOf(t.secret())),
        r.body());
    assertTrue(
        r.body().contains("dispatch=ASYNC decision=Permit project=proj-2 principalProject=proj-2"),
        r.body());
  }

  @Test
  void doFilterWhenAppDispatchesAsyncToUnmatchedRouteThen403RouteDeniedWithoutLookup()
      throws Exception {
    MintedToken t = app.deployer("proj-1");
    send(
        "GET",
        RELEASES.formatted("proj-1"),
        t.secret(),
        Map.of()); // the token's facts are cached now
    long before = app.brms.totalRequests();
    HttpResponse<String> r =
        send(
            "GET", asyncDispatch(RELEASES.formatted("proj-1"), "/api/other"), t.secret(), Map.of());
    assertProblem(r, 403, "route-denied");
    assertEquals(before, app.brms.totalRequests());
  }

  @Test
  void doFilterWhenAppDispatchesAsyncAndBrmsDownThen503() throws Exception {
    MintedToken t = app.deployer("proj-1");
    app.brms.inject(Endpoint.SELF_LIST, Fault.status(503), 1);
    HttpResponse<String> r;
    try {
      r =
          send(
              "POST",
              asyncDispatch("/app/public/info", "/api/projects/proj-1/releases/deploy"),
              t.secret(),
              Map.of());
    } finally {
      app.brms.clearFaults(
          Endpoint.SELF_LIST); // an unconsumed fault would fail later tests instead of this one
    }
    assertProblem(r, 503, "decision-unavailable");
    assertEquals("5", header(r, "Retry-After"));
    assertFalse(r.body().contains("ok path="), r.body());
  }

  @Test
  void doFilterWhenFilterResumesItsOwnAsyncDispatchThenFinishesWithoutDecidingAgain()
      throws Exception {
    String project = "own-" + UUID.randomUUID().toString().substring(0, 8);
    MintedToken t = app.deployer(project);
    app.brms.inject(Endpoint.SELF_LIST, Fault.latency(Duration.ofMillis(300)), 1);
    long lookups = app.brms.requestCount(Endpoint.SELF_LIST);
    HttpResponse<String> r = send("POST", DEPLOY.formatted(project), t.secret(), Map.of());
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().contains("dispatch=ASYNC decision=Permit project=" + project), r.body());
    assertEquals(lookups + 1, app.brms.requestCount(Endpoint.SELF_LIST));
    assertEquals(
        1,
        eventsOn(app, "/api/projects/" + project + "/releases/deploy"),
        "one enforcement, not two");
  }

  @Test
  void doFilterWhenFilterResumedItsOwnAsyncAndAppThenDispatchesToAnotherProjectThen403()
      throws Exception {
    String project = "own-" + UUID.randomUUID().toString().substring(0, 8);
    MintedToken t = app.deployer(project);
    app.brms.inject(Endpoint.SELF_LIST, Fault.latency(Duration.ofMillis(300)), 1);
    HttpResponse<String> r =
        send(
            "GET",
            asyncDispatch(RELEASES.formatted(project), "/api/projects/proj-2/releases"),
            t.secret(),
            Map.of());
    assertProblem(r, 403, "insufficient-scope");
    assertEquals(
        1,
        eventsOn(app, "/api/projects/" + project + "/releases"),
        "the filter's own resumption, once");
    assertEquals("/api/projects/proj-2/releases", app.events.get(app.events.size() - 1).path());
  }

  @Test
  void initWhenRecheckDispatchTypesNamesAsyncThenStartupFailsSayingAsyncIsAlwaysChecked()
      throws Exception {
    ServletContainer.StartupFailedException e =
        assertThrows(
            ServletContainer.StartupFailedException.class,
            () ->
                factory()
                    .start(
                        null,
                        Map.of(
                            "brms-url",
                            app.brms.baseUrl().toString(),
                            "policy",
                            "classpath:test-policy.yaml",
                            "recheck-dispatch-types",
                            "FORWARD, async"),
                        new TestServlet()));
    String why = messages(e);
    assertTrue(
        why.contains("init-param recheck-dispatch-types: ASYNC dispatches are always checked"),
        why);
  }

  // --- Query and form tokens (allowQueryToken / allow-query-token) ------------------------------

  private static final String FORM = "application/x-www-form-urlencoded";

  /** Sends {@code request}; the secret must appear in neither the response headers nor the body. */
  private HttpResponse<String> exchange(HttpRequest request, String secret) throws Exception {
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    GuardedApp.assertNoSecret(secret, r.headers().map() + r.body());
    return r;
  }

  private static HttpRequest.Builder to(URI origin, String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create(origin + pathAndQuery))
        .timeout(Duration.ofSeconds(20));
  }

  private static HttpRequest.BodyPublisher form(String body) {
    return HttpRequest.BodyPublishers.ofString(body);
  }

  private static void assertNoStore(HttpResponse<String> r) {
    assertTrue(
        r.headers().allValues("Cache-Control").stream().anyMatch(v -> v.contains("no-store")),
        "Cache-Control: no-store expected, got " + r.headers().allValues("Cache-Control"));
  }

  private void assertQueryAndFormTokensAccepted(URI origin, MintedToken t) throws Exception {
    String fp = SecretDigest.fingerprintOf(t.secret());
    for (int i = 0; i < 2; i++) { // not cached yet (async), then cached (on the request thread)
      HttpResponse<String> q =
          exchange(
              to(origin, DEPLOY.formatted("proj-1") + "?access_token=" + t.secret())
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              t.secret());
      assertEquals(200, q.statusCode(), q.body());
      assertTrue(q.body().contains("principal=" + fp), q.body());
      assertNoStore(q);
    }
    HttpResponse<String> f =
        exchange(
            to(origin, DEPLOY.formatted("proj-1"))
                .header("Content-Type", FORM)
                .POST(form("note=x&access_token=" + t.secret()))
                .build(),
            t.secret());
    assertEquals(200, f.statusCode(), f.body());
    assertTrue(f.body().contains("principal=" + fp), f.body());
  }

  @Test
  void doFilterWhenQueryTokensAllowedThenQueryAndUrlencodedPostBodyWork() throws Exception {
    MintedToken t = queryTokens.deployer("proj-1");
    assertQueryAndFormTokensAccepted(queryTokens.container.origin(), t);
  }

  @Test
  void doFilterWhenQueryTokenRefusedThenNoStore() throws Exception {
    MintedToken t = queryTokens.deployer("proj-2");
    HttpResponse<String> r =
        exchange(
            to(
                    queryTokens.container.origin(),
                    DEPLOY.formatted("proj-1") + "?access_token=" + t.secret())
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            t.secret());
    assertProblem(r, 403, "insufficient-scope");
    assertNoStore(r);
  }

  @Test
  void doFilterWhenQueryTokensAllowedAndTokenInGetBodyThenIgnored() throws Exception {
    MintedToken t = queryTokens.deployer("proj-1");
    long before = queryTokens.brms.totalRequests();
    HttpResponse<String> r =
        exchange(
            to(queryTokens.container.origin(), RELEASES.formatted("proj-1"))
                .header("Content-Type", FORM)
                .method("GET", form("access_token=" + t.secret()))
                .build(),
            t.secret());
    assertProblem(r, 401, "missing-credentials");
    assertEquals(before, queryTokens.brms.totalRequests(), "a GET body is never read");
  }

  @Test
  void doFilterWhenQueryTokensAllowedAndTokenInMultipartBodyThenIgnored() throws Exception {
    MintedToken t = queryTokens.deployer("proj-1");
    String boundary = "patguard-boundary";
    String body =
        "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\"access_token\"\r\n\r\n"
            + t.secret()
            + "\r\n--"
            + boundary
            + "--\r\n";
    long before = queryTokens.brms.totalRequests();
    HttpResponse<String> r =
        exchange(
            to(queryTokens.container.origin(), DEPLOY.formatted("proj-1"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(form(body))
                .build(),
            t.secret());
    assertProblem(r, 401, "missing-credentials");
    assertEquals(before, queryTokens.brms.totalRequests(), "a multipart body is never read");
  }

  @Test
  void doFilterWhenQueryTokensAllowedAndQueryTokenOnMultipartRequestThen400() throws Exception {
    MintedToken t = queryTokens.deployer("proj-1");
    HttpResponse<String> r =
        exchange(
            to(
                    queryTokens.container.origin(),
                    DEPLOY.formatted("proj-1") + "?access_token=" + t.secret())
                .header("Content-Type", "multipart/form-data; boundary=b")
                .POST(form("--b--\r\n"))
                .build(),
            t.secret());
    assertProblem(r, 400, "invalid-request");
  }

  @Test
  void doFilterWhenQueryTokensAllowedAndCredentialsTwiceThen400WithoutLookup() throws Exception {
    MintedToken t = queryTokens.deployer("proj-1");
    URI origin = queryTokens.container.origin();
    String deploy = DEPLOY.formatted("proj-1");
    long before = queryTokens.brms.totalRequests();
    List<HttpRequest> twice =
        List.of(
            to(origin, deploy + "?access_token=" + t.secret())
                .header("Authorization", "Bearer " + t.secret())
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            to(origin, deploy)
                .header("Authorization", "Bearer " + t.secret())
                .header("Content-Type", FORM)
                .POST(form("access_token=" + t.secret()))
                .build(),
            to(origin, deploy + "?access_token=" + t.secret() + "&access_token=" + t.secret())
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            to(origin, deploy + "?access_token=" + t.secret())
                .header("Content-Type", FORM)
                .POST(form("access_token=" + t.secret()))
                .build(),
            to(origin, deploy)
                .header("Content-Type", FORM)
                .POST(form("access_token=" + t.secret() + "&access_token=" + t.secret()))
                .build());
    for (HttpRequest request : twice) {
      HttpResponse<String> r = exchange(request, t.secret());
      assertProblem(r, 400, "invalid-request");
      assertTrue(
          header(r, "WWW-Authenticate").contains("error=\"invalid_request\""),
          header(r, "WWW-Authenticate"));
      assertNoStore(r);
    }
    assertEquals(before, queryTokens.brms.totalRequests());
  }

  @Test
  void initWhenAllowQueryTokenInitParamTrueThenQueryAndUrlencodedPostBodyWork() throws Exception {
    try (ServletContainer web =
        factory()
            .start(
                null,
                Map.of(
                    "brms-url",
                    app.brms.baseUrl().toString(),
                    "policy",
                    "classpath:test-policy.yaml",
                    "allow-query-token",
                    "true"),
                new TestServlet())) {
      MintedToken t =
          app.brms.mint(s -> s.permissions("releases:deploy").projects("proj-1").neverExpires());
      assertQueryAndFormTokensAccepted(web.origin(), t);
    }
  }

  // --- Init-params: indexed lookup with admin-credential-env, startup failures -----------------

  private static final String ADMIN_ENV = "PATGUARD_TEST_ADMIN_CREDENTIAL";

  private Map<String, String> indexedInitParams(Path index) {
    return Map.of(
        "brms-url",
        app.brms.baseUrl().toString(),
        "policy",
        "classpath:test-policy.yaml",
        "lookup",
        "indexed:" + index,
        "admin-credential-env",
        ADMIN_ENV);
  }

  private static String messages(Throwable e) {
    StringBuilder b = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      b.append(t).append(" <- ");
    }
    return b.toString();
  }

  private HttpResponse<String> deploy(URI origin, String project, String secret) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(origin + DEPLOY.formatted(project)))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + secret)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    GuardedApp.assertNoSecret(secret, r.headers().map() + r.body());
    return r;
  }

  @Test
  void initWhenIndexedLookupAndAdminCredentialEnvThenIndexedTokensDecideEndToEnd(@TempDir Path dir)
      throws Exception {
    String tag = UUID.randomUUID().toString().substring(0, 8);
    FakeUser admin = app.brms.createUser(u -> u.email("admin-" + tag + "@acme.test").admin());
    MintedToken adminToken =
        app.brms.mint(t -> t.owner(admin).permissions("owner").allProjects(true).neverExpires());
    FakeUser deployer =
        app.brms.createUser(u -> u.email("deployer-" + tag + "@acme.test").serviceAccount());
    MintedToken indexed =
        app.brms.mint(
            t ->
                t.owner(deployer).permissions("releases:deploy").projects("proj-1").neverExpires());
    MintedToken later =
        app.brms.mint(
            t ->
                t.owner(deployer).permissions("releases:deploy").projects("proj-1").neverExpires());
    MintedToken notIndexed =
        app.brms.mint(t -> t.permissions("releases:deploy").projects("proj-1").neverExpires());
    Path index = dir.resolve("tokens.idx");
    Files.write(
        index,
        List.of(
            "# written by the test",
            LookupStrategy.indexLine(
                indexed.secret(), deployer.id().toString(), indexed.id().toString()),
            LookupStrategy.indexLine(
                later.secret(), deployer.id().toString(), later.id().toString())),
        StandardCharsets.UTF_8);
    Map<String, String> environment =
        new ConcurrentHashMap<>(Map.of(ADMIN_ENV, adminToken.secret()));
    try (ServletContainer web =
        factory()
            .start(
                Deployment.of(
                    new PatGuardFilter(environment::get),
                    indexedInitParams(index),
                    new TestServlet()))) {
      long serviceGets = app.brms.requestCount(Endpoint.SERVICE_GET);
      long selfLists = app.brms.requestCount(Endpoint.SELF_LIST);
      HttpResponse<String> r = deploy(web.origin(), "proj-1", indexed.secret());
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(
          r.body().contains("principal=" + SecretDigest.fingerprintOf(indexed.secret())), r.body());
      assertEquals(
          serviceGets + 1,
          app.brms.requestCount(Endpoint.SERVICE_GET),
          "read with the admin credential");
      assertEquals(selfLists, app.brms.requestCount(Endpoint.SELF_LIST), "never the self lookup");
      assertEquals(403, deploy(web.origin(), "proj-2", indexed.secret()).statusCode());
      assertProblem(deploy(web.origin(), "proj-1", notIndexed.secret()), 401, "invalid-token");
      // The credential is read at each use: a rotated, refused one makes the next lookup
      // undecidable.
      environment.put(ADMIN_ENV, notIndexed.secret());
      HttpResponse<String> refused = deploy(web.origin(), "proj-1", later.secret());
      assertProblem(refused, 503, "decision-unavailable");
      assertFalse(
          refused.body().contains(notIndexed.secret())
              || refused.body().contains(adminToken.secret()),
          refused.body());
    }
  }

  @Test
  void initWhenAdminCredentialEnvNotSetThenStartupFailsNamingTheVariable(@TempDir Path dir)
      throws Exception {
    Path index = Files.writeString(dir.resolve("tokens.idx"), "# empty\n");
    Map<String, String> environment = Map.of("OTHER_VARIABLE", "other-value");
    ServletContainer.StartupFailedException e =
        assertThrows(
            ServletContainer.StartupFailedException.class,
            () ->
                factory()
                    .start(
                        Deployment.of(
                            new PatGuardFilter(environment::get),
                            indexedInitParams(index),
                            new TestServlet())));
    String why = messages(e);
    assertTrue(why.contains("admin-credential-env names " + ADMIN_ENV + ", which is not set"), why);
    assertFalse(why.contains("other-value"), why);
  }

  @Test
  void initWhenUnknownInitParamThenStartupFailsNamingItAndNoCredential(@TempDir Path dir)
      throws Exception {
    Path index = Files.writeString(dir.resolve("tokens.idx"), "# empty\n");
    Map<String, String> params = new HashMap<>(indexedInitParams(index));
    params.put("report_only", "true");
    Map<String, String> environment = Map.of(ADMIN_ENV, "admin-credential-value");
    ServletContainer.StartupFailedException e =
        assertThrows(
            ServletContainer.StartupFailedException.class,
            () ->
                factory()
                    .start(
                        Deployment.of(
                            new PatGuardFilter(environment::get), params, new TestServlet())));
    String why = messages(e);
    assertTrue(why.contains("unknown init-param \"report_only\""), why);
    assertFalse(why.contains("admin-credential-value"), why);
  }
}
