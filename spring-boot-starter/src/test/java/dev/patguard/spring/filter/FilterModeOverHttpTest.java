package dev.patguard.spring.filter;

import static dev.patguard.spring.SecretScan.assertNoSecret;
import static org.assertj.core.api.Assertions.assertThat;

import dev.patguard.fakebrms.Endpoint;
import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.Fault;
import dev.patguard.fakebrms.MintedToken;
import dev.patguard.fakebrms.TokenSpec;
import dev.patguard.token.SecretDigest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * The release portal as a real Spring Boot app without Spring Security (embedded Tomcat, random
 * port), guarded by the starter's {@code PatGuardFilter} from properties alone, against fake-brms
 * over real HTTP. The filter's own table of hostile requests is {@code servlet-filter}'s (Jetty and
 * Tomcat); this shows the starter registers it whole: mapped for ASYNC (the first request of a
 * token is a cache miss, answered through an async dispatch), ahead of Spring MVC, with the
 * properties applied.
 */
@SpringBootTest(
    classes = FilterPortalApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      FilterPortalApp.WITHOUT_SPRING_SECURITY,
      "patguard.max-retries=0",
      "patguard.request-timeout=1s",
      "patguard.filter.policy=classpath:filter-portal-policy.yaml",
      "patguard.filter.realm=release-portal",
      "patguard.filter.retry-after=7s",
      "logging.level.dev.patguard=DEBUG"
    })
@ExtendWith(OutputCaptureExtension.class)
class FilterModeOverHttpTest {
  private static final FakeBrms BRMS = FakeBrms.start();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final List<String> SECRETS = new ArrayList<>();

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

  private static MintedToken mint(Consumer<TokenSpec> spec) {
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
        "POST",
        "/api/projects/" + project + "/releases/deploy",
        "Authorization",
        "Bearer " + token.secret());
  }

  private static String challenge(HttpResponse<String> r) {
    return r.headers().firstValue("WWW-Authenticate").orElse("");
  }

  @Test
  void deployWhenTokenHoldsPermissionThenPermittedOnAMissAndOnAHitWithPrincipalAndProject()
      throws Exception {
    MintedToken t = mint(s -> s.permissions("releases:deploy").projects("web-shop"));
    long before = BRMS.totalRequests();
    // The first request misses the cache: the filter suspends it and resumes it by an ASYNC
    // dispatch, which the registration must map; the second is a hit, decided in place.
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> r = deploy("web-shop", t);
      assertThat(r.statusCode()).isEqualTo(202);
      assertThat(r.body())
          .contains("\"deploying\":\"web-shop\"")
          .contains("\"attribute\":\"web-shop\"")
          .contains("\"token\":\"" + SecretDigest.fingerprintOf(t.secret()) + "\"")
          .contains("\"tokenId\":\"" + t.id() + "\"");
    }
    assertThat(BRMS.totalRequests() - before).isEqualTo(1);
  }

  @Test
  void deployWhenPermissionMissingThen403InsufficientScopeWithScopeAndProblemJson()
      throws Exception {
    MintedToken t = mint(s -> s.permissions("documents:view-content").projects("web-shop"));
    HttpResponse<String> r = deploy("web-shop", t);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(challenge(r))
        .startsWith("Bearer realm=\"release-portal\", error=\"insufficient_scope\"")
        .contains("scope=\"releases:deploy\"");
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(r.body()).contains("\"PERMISSION_MISSING\"");
  }

  @Test
  void deployWhenTokenIsForAnotherProjectThen403ProjectOutOfScope() throws Exception {
    MintedToken t = mint(s -> s.permissions("releases:deploy").projects("docs-site"));
    HttpResponse<String> r = deploy("web-shop", t);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("PROJECT_OUT_OF_SCOPE");
  }

  @Test
  void routeWhenNoRuleMatchesThen403WithoutALookupAndTheControllerNeverRuns() throws Exception {
    MintedToken t = mint(s -> s.permissions("releases:deploy").projects("web-shop"));
    long before = BRMS.totalRequests();
    HttpResponse<String> r = send("GET", "/api/admin", "Authorization", "Bearer " + t.secret());
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).doesNotContain("reached");
    assertThat(BRMS.totalRequests()).isEqualTo(before);
  }

  @Test
  void deployWhenTokenUnusableThenOneIdentical401InvalidToken() throws Exception {
    MintedToken revoked = mint(s -> s.permissions("releases:deploy").projects("web-shop"));
    BRMS.revoke(revoked.id());
    String unknown = "pat_" + UUID.randomUUID().toString().replace("-", "");
    SECRETS.add(unknown);
    HttpResponse<String> a = deploy("web-shop", revoked);
    HttpResponse<String> b =
        send(
            "POST", "/api/projects/web-shop/releases/deploy", "Authorization", "Bearer " + unknown);
    assertThat(a.statusCode()).isEqualTo(401);
    assertThat(b.statusCode()).isEqualTo(401);
    assertThat(challenge(a)).contains("error=\"invalid_token\"").isEqualTo(challenge(b));
  }

  @Test
  void deployWhenNoTokenThen401BareChallengeAndPublicRouteStillAnswers() throws Exception {
    HttpResponse<String> r = send("POST", "/api/projects/web-shop/releases/deploy");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(challenge(r)).isEqualTo("Bearer realm=\"release-portal\"");
    HttpResponse<String> health = send("GET", "/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"principal\":\"null\"");
  }

  @Test
  void deployWhenBrmsIsDownThen503WithTheConfiguredRetryAfterNever401Or403() throws Exception {
    BRMS.inject(Endpoint.SELF_LIST, Fault.status(503));
    MintedToken t = mint(s -> s.permissions("releases:deploy").projects("web-shop"));
    HttpResponse<String> r = deploy("web-shop", t);
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("Retry-After")).hasValue("7");
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
  }

  @Test
  void requestWhenHostileThen400BeforeAnyLookup() throws Exception {
    MintedToken t = mint(s -> s.permissions("documents:view-content").projects("web-shop"));
    String bearer = "Bearer " + t.secret();
    long before = BRMS.totalRequests();
    // two credentials
    HttpResponse<String> two =
        send("GET", "/api/reports", "Authorization", bearer, "Authorization", bearer);
    // a project header repeated, and one that is not a bare key or UUID
    HttpResponse<String> twice =
        send(
            "GET",
            "/api/reports",
            "Authorization",
            bearer,
            "X-Project",
            "web-shop",
            "X-Project",
            "docs-site");
    HttpResponse<String> prefixed =
        send("GET", "/api/reports", "Authorization", bearer, "X-Project", "key:web-shop");
    // a path parameter that would let the route and the app read different paths
    HttpResponse<String> semicolon =
        send("POST", "/api/projects/web-shop;v=1/releases/deploy", "Authorization", bearer);
    assertThat(List.of(two, twice, prefixed, semicolon))
        .extracting(HttpResponse::statusCode)
        .containsOnly(400);
    assertThat(BRMS.totalRequests()).isEqualTo(before);
    HttpResponse<String> ok =
        send("GET", "/api/reports", "Authorization", bearer, "X-Project", "web-shop");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).contains("\"project\":\"web-shop\"");
  }

  @Test
  void secretsWhenAnyScenarioRanThenNeverInLogsBodiesOrHeaders(CapturedOutput output)
      throws Exception {
    MintedToken t = mint(s -> s.permissions("releases:deploy").projects("web-shop"));
    List<HttpResponse<String>> all = new ArrayList<>();
    all.add(deploy("web-shop", t));
    all.add(deploy("docs-site", t));
    all.add(send("GET", "/api/admin", "Authorization", "Bearer " + t.secret()));
    BRMS.inject(Endpoint.SELF_LIST, Fault.status(500));
    MintedToken fresh = mint(s -> s.permissions("releases:deploy").projects("web-shop"));
    all.add(deploy("web-shop", fresh));
    assertThat(all).extracting(HttpResponse::statusCode).containsExactly(202, 403, 403, 503);
    String[] secrets = SECRETS.toArray(String[]::new);
    for (HttpResponse<String> r : all) {
      assertNoSecret(r.body() + r.headers().map(), "an answer", secrets);
    }
    assertThat(output.getAll()).isNotEmpty();
    assertNoSecret(output.getAll(), "the log", secrets);
  }
}
