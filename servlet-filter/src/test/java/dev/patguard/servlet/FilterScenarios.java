package dev.patguard.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patguard.fakebrms.Endpoint;
import dev.patguard.fakebrms.Fault;
import dev.patguard.fakebrms.MintedToken;
import dev.patguard.servlet.support.ServletContainer;
import dev.patguard.servlet.support.TestServlet;
import dev.patguard.token.SecretDigest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The filter inside a real container, against fake-brms, over real HTTP. Run once per container. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FilterScenarios {
  private static final String DEPLOY = "/app/api/projects/%s/releases/deploy";
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private GuardedApp app;

  abstract ServletContainer.Factory factory();

  @BeforeAll
  void start() throws Exception {
    app = new GuardedApp(factory(), false);
  }

  @AfterAll
  void stop() throws Exception {
    app.close();
  }

  private HttpResponse<String> send(String method, String path, String secret, Map<String, String> headers)
      throws Exception {
    return send(app, method, path, secret, headers);
  }

  private HttpResponse<String> send(GuardedApp target, String method, String path, String secret,
      Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target.container.origin() + path))
        .timeout(Duration.ofSeconds(20)).method(method, HttpRequest.BodyPublishers.noBody());
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
    assertTrue(r.body().contains("\"type\":\"https://patguard.dev/problems/" + type + "\""), r.body());
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

  @Test
  void doFilterWhenPermissionMissingThen403InsufficientScopeWithAcceptedPermissions() throws Exception {
    MintedToken t = app.brms.mint(s -> s.permissions("releases").projects("proj-1"));
    HttpResponse<String> r = send("POST", DEPLOY.formatted("proj-1"), t.secret(), Map.of());
    assertProblem(r, 403, "insufficient-scope");
    assertEquals("Bearer realm=\"acme\", error=\"insufficient_scope\", error_description=\"the token lacks a"
        + " permission or project this route needs\", scope=\"releases:deploy\"", header(r, "WWW-Authenticate"));
    assertEquals("releases:deploy", header(r, "X-Accepted-Permissions"));
    assertTrue(r.body().contains("PERMISSION_MISSING"), r.body());
    assertTrue(r.body().contains("\"token\":\"" + SecretDigest.fingerprintOf(t.secret()) + "\""), r.body());
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
    assertEquals("Bearer realm=\"acme\", error=\"invalid_token\", error_description=\"the token is invalid,"
        + " expired, revoked or unknown, or its owner is inactive\"", header(r, "WWW-Authenticate"));
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
    MintedToken t = app.brms.mint(s -> s.permissions("releases:deploy").projects("proj-1")
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
    assertInvalidToken(send("POST", DEPLOY.formatted("proj-1"), "unknown" + UUID.randomUUID().toString()
        .replace("-", ""), Map.of()));
  }

  @Test
  void doFilterWhenOwnerInactiveThen401InvalidToken() throws Exception {
    MintedToken t = app.deployer("proj-1");
    app.brms.setOwnerStatus(t.userId(), "inactive");
    assertInvalidToken(send("POST", DEPLOY.formatted("proj-1"), t.secret(), Map.of()));
  }

  @Test
  void doFilterWhenTokenMayNotReadOwnFactsThen403LookupForbidden() throws Exception {
    MintedToken t = app.brms.mint(s -> s.permissions("releases:deploy").projects("proj-1").canReadOwnTokens(false));
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
    assertEquals(200, send("GET", "/app/api/header-scoped/releases", t.secret(), Map.of("X-Project", "proj-1"))
        .statusCode());
    assertEquals(403, send("GET", "/app/api/header-scoped/releases", t.secret(), Map.of("X-Project", "proj-2"))
        .statusCode());
  }

  @Test
  void doFilterWhenProjectFromQueryThenQueryDecides() throws Exception {
    MintedToken t = app.deployer("proj-1");
    assertEquals(200, send("GET", "/app/api/query-scoped/releases?project=proj-1", t.secret(), Map.of())
        .statusCode());
    assertEquals(403, send("GET", "/app/api/query-scoped/releases?project=proj-2", t.secret(), Map.of())
        .statusCode());
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
    assertProblem(send("POST", DEPLOY.formatted("proj-2"), t.secret(), Map.of()), 403, "insufficient-scope");
  }

  @Test
  void doFilterWhenForgedPendingAttributeNameGuessedThenIgnored() throws Exception {
    // Clients cannot set request attributes; the closest they get is a header of the same name.
    MintedToken t = app.deployer("proj-1");
    HttpResponse<String> r = send("POST", DEPLOY.formatted("proj-2"), t.secret(),
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
      HttpResponse<String> r = send(reportOnly, "POST", DEPLOY.formatted("proj-2"), t.secret(), Map.of());
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(r.body().contains("decision=Deny") && r.body().contains("principal=none"), r.body());
      EnforcementEvent e = reportOnly.events.get(reportOnly.events.size() - 1);
      assertEquals(403, e.status());
      assertTrue(e.reportOnly());
      assertEquals(200, send(reportOnly, "GET", "/app/api/other", null, Map.of()).statusCode());
    }
  }

  @Test
  void initWhenConfiguredByInitParamsThenEnforcesPolicyFile() throws Exception {
    try (GuardedApp env = new GuardedApp(factory(), false);
        ServletContainer web = factory().start(null, Map.of(
            "brms-url", env.brms.baseUrl().toString(), "policy", "classpath:test-policy.yaml",
            "realm", "web-xml", "max-token-length", "100"), new TestServlet())) {
      MintedToken t = env.brms.mint(s -> s.permissions("releases:deploy").projects("proj-1").neverExpires());
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(web.origin() + DEPLOY.formatted("proj-1")))
          .POST(HttpRequest.BodyPublishers.noBody());
      assertEquals(200, http.send(b.copy().header("Authorization", "Bearer " + t.secret()).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode());
      HttpResponse<String> none = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      assertEquals("Bearer realm=\"web-xml\"", header(none, "WWW-Authenticate"));
    }
  }
}
