package dev.patguard.spring.security;

import static dev.patguard.spring.SecretScan.assertNoSecret;
import static org.assertj.core.api.Assertions.assertThat;

import dev.patguard.fakebrms.Endpoint;
import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.FakeUser;
import dev.patguard.fakebrms.Fault;
import dev.patguard.fakebrms.MintedToken;
import dev.patguard.token.SecretDigest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The release portal as a real Spring Boot app (embedded Tomcat, random port) guarded by patguard
 * through Spring Security, against fake-brms over real HTTP.
 */
@SpringBootTest(
    classes = ReleasePortalApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "patguard.max-retries=0",
      "patguard.request-timeout=1s",
      "patguard.security.realm=release-portal",
      "patguard.security.retry-after=7s",
      "logging.level.dev.patguard=DEBUG",
      "logging.level.org.springframework.security=DEBUG"
    })
@ExtendWith(OutputCaptureExtension.class)
class SpringSecurityOverHttpTest {
  private static final FakeBrms BRMS = FakeBrms.start();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final List<String> SECRETS = new ArrayList<>();
  private static final String PROBLEM_JSON = "application/problem+json";

  @LocalServerPort int port;

  @DynamicPropertySource
  static void brms(DynamicPropertyRegistry registry) {
    registry.add("patguard.brms-url", () -> BRMS.baseUrl().toString());
  }

  @AfterEach
  void clearFaults() {
    BRMS.clearFaults();
  }

  @AfterAll
  static void stop() {
    BRMS.close();
  }

  private static MintedToken mint(Consumer<dev.patguard.fakebrms.TokenSpec> spec) {
    MintedToken t = BRMS.mint(spec);
    SECRETS.add(t.secret());
    return t;
  }

  private HttpResponse<String> send(String method, String path, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .method(method, HttpRequest.BodyPublishers.noBody());
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> deploy(String project, MintedToken token)
      throws IOException, InterruptedException {
    return send(
        "POST", "/api/projects/" + project + "/releases/deploy", "Authorization", bearer(token));
  }

  private static String bearer(MintedToken t) {
    return "Bearer " + t.secret();
  }

  private static String challenge(HttpResponse<String> r) {
    return r.headers().firstValue("WWW-Authenticate").orElse("");
  }

  @Test
  void deployWhenTokenHoldsPermissionOnThatProjectThenPermittedWithProjectAndPrincipal()
      throws Exception {
    MintedToken t = mint(s -> s.permissions("releases:deploy").projects("web-shop"));
    HttpResponse<String> r = deploy("web-shop", t);
    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(r.body())
        .contains("\"deploying\":\"web-shop\"")
        .contains("\"token\":\"" + SecretDigest.fingerprintOf(t.secret()) + "\"")
        .contains(t.id().toString());
  }

  @Test
  void deployWhenPermissionMissingThen403InsufficientScopeWithScope() throws Exception {
    MintedToken t = mint(s -> s.permissions("documents:view-content").projects("web-shop"));
    HttpResponse<String> r = deploy("web-shop", t);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(challenge(r))
        .startsWith("Bearer realm=\"release-portal\", error=\"insufficient_scope\"")
        .contains("scope=\"releases:deploy\"");
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(r.headers().firstValue("X-Accepted-Permissions")).hasValue("releases:deploy");
    assertThat(r.body())
        .contains("\"PERMISSION_MISSING\"")
        .contains("\"token\":\"" + SecretDigest.fingerprintOf(t.secret()) + "\"");
  }

  @Test
  void deployWhenTokenIsForAnotherProjectThen403ProjectOutOfScope() throws Exception {
    MintedToken t = mint(s -> s.permissions("releases:deploy").projects("docs-site"));
    HttpResponse<String> r = deploy("web-shop", t);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(challenge(r)).contains("error=\"insufficient_scope\"");
    assertThat(r.body()).contains("PROJECT_OUT_OF_SCOPE");
  }

  @Test
  void deployWhenNoTokenThen401BareChallenge() throws Exception {
    HttpResponse<String> r = send("POST", "/api/projects/web-shop/releases/deploy");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(challenge(r)).isEqualTo("Bearer realm=\"release-portal\"");
    assertThat(r.body()).contains("missing-credentials");
  }

  @Test
  void deployWhenTokenUnusableThenOneIdentical401() throws Exception {
    MintedToken revoked = mint(s -> s.permissions("releases:deploy").projects("web-shop"));
    BRMS.revoke(revoked.id());
    FakeUser gone = BRMS.createUser(u -> u.email("gone-" + UUID.randomUUID() + "@acme.test"));
    MintedToken inactive =
        mint(s -> s.owner(gone).permissions("releases:deploy").projects("web-shop"));
    BRMS.setOwnerStatus(gone.id(), "disabled");
    String unknown = "pat_" + UUID.randomUUID().toString().replace("-", "");
    SECRETS.add(unknown);
    List<HttpResponse<String>> answers =
        List.of(
            deploy("web-shop", revoked),
            deploy("web-shop", inactive),
            send(
                "POST",
                "/api/projects/web-shop/releases/deploy",
                "Authorization",
                "Bearer " + unknown));
    for (HttpResponse<String> r : answers) {
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(challenge(r)).isEqualTo(challenge(answers.get(0)));
      assertThat(challenge(r)).contains("error=\"invalid_token\"");
      assertThat(r.body().replaceAll("\"token\":\"[0-9a-f]{8}\"", ""))
          .isEqualTo(answers.get(0).body().replaceAll("\"token\":\"[0-9a-f]{8}\"", ""));
      assertThat(r.body()).contains("TOKEN_INVALID");
    }
  }

  @Test
  void deployWhenBrmsIsDownThen503WithRetryAfterNever401Or403() throws Exception {
    MintedToken t = mint(s -> s.permissions("releases:deploy").projects("web-shop"));
    BRMS.inject(Endpoint.SELF_LIST, Fault.status(503));
    HttpResponse<String> r = deploy("web-shop", t);
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("Retry-After")).hasValue("7");
    assertThat(r.headers().firstValue("WWW-Authenticate")).isEmpty();
    assertThat(r.body()).contains("decision-unavailable").contains("BRMS_UNAVAILABLE");
    BRMS.clearFaults();
    assertThat(deploy("web-shop", t).statusCode()).isEqualTo(202);
  }

  @Test
  void deployWhenBrmsIsTooSlowThen503Timeout() throws Exception {
    MintedToken t = mint(s -> s.permissions("releases:deploy").projects("web-shop"));
    BRMS.inject(Endpoint.SELF_LIST, Fault.latency(Duration.ofSeconds(3)), 1);
    HttpResponse<String> r = deploy("web-shop", t);
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("Retry-After")).hasValue("7");
    assertThat(r.body()).contains("TIMEOUT");
  }

  @Test
  void deployWhenBrmsAnswersMalformedJsonThen503() throws Exception {
    MintedToken t = mint(s -> s.permissions("releases:deploy").projects("web-shop"));
    BRMS.inject(Endpoint.SELF_LIST, Fault.malformedJson());
    HttpResponse<String> r = deploy("web-shop", t);
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("Retry-After")).hasValue("7");
  }

  @Test
  void deployWhenTokenMayNotReadItsOwnFactsThen403LookupForbidden() throws Exception {
    MintedToken t =
        mint(s -> s.permissions("releases:deploy").projects("web-shop").canReadOwnTokens(false));
    HttpResponse<String> r = deploy("web-shop", t);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("LOOKUP_FORBIDDEN");
  }

  @Test
  void deployWhenProjectValueIsPrefixedThen400BeforeAnyLookup() throws Exception {
    MintedToken t = mint(s -> s.permissions("releases:deploy").projects("web-shop"));
    long before = BRMS.totalRequests();
    HttpResponse<String> r = deploy("key:web-shop", t);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(challenge(r)).contains("error=\"invalid_request\"");
    assertThat(r.body()).contains("not a bare project key or UUID");
    // The authentication lookup runs first (the bearer filter precedes authorization); the
    // malformed project adds none.
    assertThat(BRMS.totalRequests() - before).isLessThanOrEqualTo(1);
  }

  @Test
  void releasesWhenProjectFromQueryThenPermittedOnlyThere() throws Exception {
    MintedToken t = mint(s -> s.permissions("releases:deploy").projects("web-shop"));
    HttpResponse<String> ok =
        send("GET", "/api/releases?project=web-shop", "Authorization", bearer(t));
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).contains("web-shop");
    assertThat(
            send("GET", "/api/releases?project=docs-site", "Authorization", bearer(t)).statusCode())
        .isEqualTo(403);
    HttpResponse<String> twice =
        send("GET", "/api/releases?project=web-shop&project=docs-site", "Authorization", bearer(t));
    assertThat(twice.statusCode()).isEqualTo(400);
    assertThat(twice.body()).contains("several projects: the query project is repeated");
    assertThat(send("GET", "/api/releases", "Authorization", bearer(t)).statusCode())
        .isEqualTo(400);
  }

  @Test
  void reportsWhenProjectFromHeaderThenOneHeaderOnly() throws Exception {
    MintedToken t = mint(s -> s.permissions("documents:view-content").projects("web-shop"));
    assertThat(
            send("GET", "/api/reports", "Authorization", bearer(t), "X-Project", "web-shop")
                .statusCode())
        .isEqualTo(200);
    assertThat(
            send("GET", "/api/reports", "Authorization", bearer(t), "X-Project", "docs-site")
                .statusCode())
        .isEqualTo(403);
    HttpResponse<String> spoofed =
        send(
            "GET",
            "/api/reports",
            "Authorization",
            bearer(t),
            "X-Project",
            "web-shop",
            "X-Project",
            "docs-site");
    assertThat(spoofed.statusCode()).isEqualTo(400);
    assertThat(send("GET", "/api/reports", "Authorization", bearer(t)).statusCode()).isEqualTo(400);
  }

  @Test
  void fixedProjectWhenTokenForAnotherProjectThen403() throws Exception {
    MintedToken web = mint(s -> s.permissions("releases:deploy").projects("web-shop"));
    MintedToken docs = mint(s -> s.permissions("releases:deploy").projects("docs-site"));
    assertThat(send("GET", "/api/web-shop/status", "Authorization", bearer(web)).statusCode())
        .isEqualTo(200);
    assertThat(send("GET", "/api/web-shop/status", "Authorization", bearer(docs)).statusCode())
        .isEqualTo(403);
  }

  @Test
  void unmatchedRouteWhenTokenIsOwnerThen403() throws Exception {
    MintedToken t = mint(s -> s.permissions("owner").allProjects(true));
    HttpResponse<String> r = send("DELETE", "/api/projects/web-shop", "Authorization", bearer(t));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("access-denied");
  }

  @Test
  void publicRouteWhenNoTokenThen200() throws Exception {
    assertThat(send("GET", "/health").statusCode()).isEqualTo(200);
  }

  @Test
  void credentialsWhenMalformedOrDoubledThen400InvalidRequest() throws Exception {
    MintedToken t = mint(s -> s.permissions("releases:deploy").projects("web-shop"));
    String path = "/api/projects/web-shop/releases/deploy";
    List<HttpResponse<String>> bad =
        List.of(
            send("POST", path, "Authorization", bearer(t), "Authorization", bearer(t)),
            send("POST", path, "Authorization", "Bearer not a token"),
            send("POST", path, "Authorization", "Bearer"),
            send("POST", path + "?access_token=" + t.secret()));
    for (HttpResponse<String> r : bad) {
      assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
      assertThat(challenge(r)).contains("error=\"invalid_request\"");
    }
  }

  @Test
  void pathWhenNotNormalisedThen400ProblemFromTheFirewallBeforeAnyLookup() throws Exception {
    MintedToken t = mint(s -> s.permissions("releases:deploy").projects("web-shop"));
    long lookups = BRMS.totalRequests();
    for (String path :
        List.of(
            "/api/projects/web-shop/../docs-site/releases/deploy",
            "/api/projects/web-shop/./releases/deploy",
            "/api/projects/web-shop//releases/deploy",
            "/api/projects/web-shop;x=1/releases/deploy",
            "/api/projects/web-shop%2e%2e/releases/deploy",
            "/api/projects/web-shop%3Bx/releases/deploy")) {
      HttpResponse<String> r = send("POST", path, "Authorization", bearer(t));
      assertThat(r.statusCode()).as(path).isEqualTo(400);
      // Spring Security's firewall refused it, and patguard answered, not Boot's error page.
      assertThat(r.headers().firstValue("Content-Type")).as(path).hasValue(PROBLEM_JSON);
      assertThat(r.body())
          .as(path)
          .contains("\"type\":\"https://patguard.dev/problems/non-normalised-path\"")
          .contains("refused by the firewall");
      assertThat(challenge(r)).as(path).isEmpty();
    }
    // An encoded '/' never reaches Spring: Tomcat refuses it with its own 400.
    assertThat(
            send("POST", "/api/projects/web-shop%2Freleases/deploy", "Authorization", bearer(t))
                .statusCode())
        .isEqualTo(400);
    assertThat(BRMS.totalRequests()).isEqualTo(lookups);
  }

  @Test
  void methodWhenFirewallRefusesItThen400ProblemNotBootsErrorPage() throws Exception {
    HttpResponse<String> r = send("PROPFIND", "/api/projects/web-shop/releases/deploy");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type")).hasValue(PROBLEM_JSON);
    assertThat(r.body())
        .contains("\"type\":\"https://patguard.dev/problems/rejected-request\"")
        .contains("the HTTP method is not allowed here");
  }

  @Test
  void tokenWhenOverTheLengthLimitThen401InvalidTokenBeforeAnyLookup() throws Exception {
    long lookups = BRMS.totalRequests();
    // Longer than patguard.security.max-token-length (4096) but inside Tomcat's 8 KiB header limit.
    String overLong = "Bearer " + "a".repeat(4097);
    HttpResponse<String> r =
        send("POST", "/api/projects/web-shop/releases/deploy", "Authorization", overLong);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(challenge(r)).contains("error=\"invalid_token\"");
    assertThat(r.body()).doesNotContain("aaaaaaaa");
    // Exactly at the limit, the token is looked up (and, unknown, refused with the same 401).
    HttpResponse<String> atLimit =
        send(
            "POST",
            "/api/projects/web-shop/releases/deploy",
            "Authorization",
            "Bearer " + "a".repeat(4096));
    assertThat(atLimit.statusCode()).isEqualTo(401);
    assertThat(BRMS.totalRequests()).isGreaterThan(lookups);
    long afterAtLimit = BRMS.totalRequests();
    send("POST", "/api/projects/web-shop/releases/deploy", "Authorization", overLong);
    assertThat(BRMS.totalRequests()).isEqualTo(afterAtLimit);
  }

  @Test
  void formBodyTokenWhenHeaderAlsoPresentThenBodyIsNeverACredentialAndReachesTheApp()
      throws Exception {
    MintedToken allowed = mint(s -> s.permissions("releases:deploy").projects("web-shop"));
    MintedToken other = mint(s -> s.permissions("releases:deploy").projects("docs-site"));
    String path = "/api/projects/web-shop/releases/deploy";
    // The header decides; the form field is the app's data, left unread and intact.
    String body = "access_token=" + other.secret() + "&note=hi";
    HttpResponse<String> withAllowedHeader = form(path, body, "Authorization", bearer(allowed));
    assertThat(withAllowedHeader.statusCode()).isEqualTo(202);
    assertThat(withAllowedHeader.body())
        .contains("\"token\":\"" + SecretDigest.fingerprintOf(allowed.secret()) + "\"")
        .contains("\"bodyLength\":\"" + body.length() + "\"");
    // A form token never lifts a header token that is refused...
    HttpResponse<String> withOtherHeader =
        form(path, "access_token=" + allowed.secret(), "Authorization", bearer(other));
    assertThat(withOtherHeader.statusCode()).isEqualTo(403);
    // ...nor stands in for a missing header.
    HttpResponse<String> formOnly = form(path, "access_token=" + allowed.secret());
    assertThat(formOnly.statusCode()).isEqualTo(401);
    assertThat(challenge(formOnly)).isEqualTo("Bearer realm=\"release-portal\"");
    for (HttpResponse<String> r : List.of(withOtherHeader, formOnly)) {
      assertNoSecret(r.body(), "a body", allowed.secret(), other.secret());
    }
  }

  private HttpResponse<String> form(String path, String body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void methodSecurityWhenPermittedThenRuns() throws Exception {
    MintedToken t = mint(s -> s.permissions("environments:manage").projects("web-shop"));
    HttpResponse<String> r =
        send("POST", "/api/methods/web-shop/undeploy", "Authorization", bearer(t));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"undeploying\":\"web-shop\"");
  }

  @Test
  void methodSecurityWhenPermissionMissingOrOtherProjectThen403WithScope() throws Exception {
    MintedToken deployOnly = mint(s -> s.permissions("releases:deploy").projects("web-shop"));
    MintedToken other = mint(s -> s.permissions("environments:manage").projects("docs-site"));
    for (MintedToken t : List.of(deployOnly, other)) {
      HttpResponse<String> r =
          send("POST", "/api/methods/web-shop/undeploy", "Authorization", bearer(t));
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(challenge(r))
          .contains("error=\"insufficient_scope\"")
          .contains("scope=\"environments:manage\"");
    }
  }

  @Test
  void methodSecurityWhenProjectArgumentIsPrefixedThen400() throws Exception {
    MintedToken t = mint(s -> s.permissions("environments:manage").projects("web-shop"));
    HttpResponse<String> r =
        send("POST", "/api/methods/key:web-shop/undeploy", "Authorization", bearer(t));
    assertThat(r.statusCode()).isEqualTo(400);
  }

  @Test
  void secretsWhenAnyScenarioRanThenNeverInLogsBodiesOrHeaders(CapturedOutput output)
      throws Exception {
    MintedToken t = mint(s -> s.permissions("releases:deploy").projects("web-shop"));
    List<HttpResponse<String>> all = new ArrayList<>();
    all.add(deploy("web-shop", t));
    all.add(deploy("docs-site", t));
    all.add(send("POST", "/api/methods/web-shop/undeploy", "Authorization", bearer(t)));
    // A token in the URL is refused (400) and kept out of every body and header; the log scan
    // leaves it out, since Spring Security logs request URLs at DEBUG ("Securing POST /...?..."),
    // like any access log: a token sent in a URL is exposed before any code of ours runs.
    MintedToken inUrl = BRMS.mint(s -> s.permissions("releases:deploy").projects("web-shop"));
    all.add(send("POST", "/api/projects/web-shop/releases/deploy?access_token=" + inUrl.secret()));
    assertNoSecret(all.get(all.size() - 1).body(), "a body", inUrl.secret());
    BRMS.inject(Endpoint.SELF_LIST, Fault.status(500));
    MintedToken fresh = mint(s -> s.permissions("releases:deploy").projects("web-shop"));
    all.add(deploy("web-shop", fresh));
    assertThat(all).extracting(HttpResponse::statusCode).containsExactly(202, 403, 403, 400, 503);
    for (HttpResponse<String> r : all) {
      for (String secret : SECRETS) {
        assertNoSecret(r.body(), "a body", secret);
        assertNoSecret(r.headers().map().toString(), "the headers", secret);
      }
    }
    assertThat(output.getAll()).isNotEmpty();
    for (String secret : SECRETS) {
      assertNoSecret(output.getAll(), "the log", secret);
    }
  }
}
