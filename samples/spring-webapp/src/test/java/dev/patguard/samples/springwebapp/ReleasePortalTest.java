package dev.patguard.samples.springwebapp;

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
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The portal (ReleasePortal with application.yaml) on embedded Tomcat on a random port, against
 * fake-brms on loopback, over real HTTP.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "patguard.max-retries=0") // an outage is answered at once
class ReleasePortalTest {
  static final FakeBrms BRMS = FakeBrms.start();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final List<String> SECRETS = new ArrayList<>();
  static final List<HttpResponse<String>> ANSWERS = new ArrayList<>();

  @LocalServerPort int port;
  @Autowired Releases releases;

  @DynamicPropertySource
  static void brms(DynamicPropertyRegistry registry) {
    registry.add("patguard.brms-url", () -> BRMS.baseUrl().toString());
  }

  @AfterEach
  void clearFaults() {
    BRMS.clearFaults();
  }

  static String mint(Consumer<TokenSpec> spec) {
    MintedToken t = BRMS.mint(spec);
    SECRETS.add(t.secret());
    return t.secret();
  }

  HttpResponse<String> send(String method, String path, String secret, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (secret != null) {
      b.header("Authorization", "Bearer " + secret);
    }
    if (headers.length > 0) {
      b.headers(headers);
    }
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    ANSWERS.add(r);
    return r;
  }

  HttpResponse<String> deploy(String project, String secret)
      throws IOException, InterruptedException {
    return send("POST", "/api/projects/" + project + "/releases/deploy", secret);
  }

  static String challenge(HttpResponse<String> r) {
    return r.headers().firstValue("WWW-Authenticate").orElse("");
  }

  @Test
  void deployWhenTokenMayDeployThatProjectThen202OnTheAuthorizedProject() throws Exception {
    String secret = mint(s -> s.permissions("releases:deploy").projects("web-shop"));
    int before = releases.deploys();
    HttpResponse<String> r = deploy("web-shop", secret);
    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(r.body()).contains("\"status\":\"deploying\"", "\"project\":\"web-shop\"");
    assertThat(releases.deploys()).isEqualTo(before + 1);
  }

  @Test
  void deployWhenTokenMayDeployAnotherProjectThen403WithScopeAndNoDeploy() throws Exception {
    String secret = mint(s -> s.permissions("releases:deploy").projects("docs-site"));
    int before = releases.deploys();
    HttpResponse<String> r = deploy("web-shop", secret);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(challenge(r))
        .startsWith("Bearer realm=\"release-portal\", error=\"insufficient_scope\"")
        .contains("scope=\"releases:deploy\"");
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(releases.deploys()).isEqualTo(before);
  }

  @Test
  void deployWhenNoTokenThen401Challenge() throws Exception {
    HttpResponse<String> r = deploy("web-shop", null);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(challenge(r)).isEqualTo("Bearer realm=\"release-portal\"");
  }

  @Test
  void deployWhenBrmsIsDownThen503WithRetryAfterAndNoChallenge() throws Exception {
    String secret = mint(s -> s.permissions("releases:deploy").projects("web-shop"));
    BRMS.inject(Endpoint.SELF_LIST, Fault.status(503));
    HttpResponse<String> r = deploy("web-shop", secret);
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("Retry-After")).hasValue("5"); // application.yaml
    assertThat(r.headers().firstValue("WWW-Authenticate")).isEmpty();
    BRMS.clearFaults();
    assertThat(deploy("web-shop", secret).statusCode()).isEqualTo(202);
  }

  @Test
  void releasesByHeaderWhenTokenReadsThatProjectThen200AndOtherwise403() throws Exception {
    String secret = mint(s -> s.permissions("releases").projects("web-shop"));
    HttpResponse<String> ok = send("GET", "/api/releases", secret, "X-Project", "web-shop");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).contains("\"project\":\"web-shop\"");
    HttpResponse<String> other = send("GET", "/api/releases", secret, "X-Project", "docs-site");
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(challenge(other)).contains("error=\"insufficient_scope\"");
  }

  @Test
  void releasesByHeaderWhenHeaderMissingThen400() throws Exception {
    String secret = mint(s -> s.permissions("releases").projects("web-shop"));
    HttpResponse<String> r = send("GET", "/api/releases", secret);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(challenge(r)).contains("error=\"invalid_request\"");
  }

  @Test
  void undeployWhenTokenMayManageThatProjectThenTheMethodRuns() throws Exception {
    String secret = mint(s -> s.permissions("environments:manage").projects("web-shop"));
    HttpResponse<String> r =
        send("POST", "/api/projects/web-shop/environments/prod/undeploy", secret);
    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(r.body()).contains("\"project\":\"web-shop\"", "\"environment\":\"prod\"");
  }

  @Test
  void undeployWhenTokenManagesAnotherProjectThen403WithScope() throws Exception {
    String secret = mint(s -> s.permissions("environments:manage").projects("docs-site"));
    HttpResponse<String> r =
        send("POST", "/api/projects/web-shop/environments/prod/undeploy", secret);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(challenge(r))
        .contains("error=\"insufficient_scope\"")
        .contains("scope=\"environments:manage\"");
  }

  @Test
  void healthIsPublicWithoutAToken() throws Exception {
    HttpResponse<String> r = send("GET", "/health", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"status\":\"up\"}");
  }

  /**
   * denyAll() refuses even a token that may do everything. Unlike samples/webapp's filter, Spring
   * Security authenticates the bearer token before any route rule, so this costs a lookup.
   */
  @Test
  void anUnmatchedRouteIsDeniedEvenToAnAllPowerfulToken() throws Exception {
    String secret =
        mint(s -> s.permissions("releases:deploy", "environments:manage").allProjects(true));
    HttpResponse<String> r = send("DELETE", "/api/projects/web-shop", secret);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(challenge(r)).doesNotContain("scope=");
  }

  @Test
  void meShowsTheFingerprintNeverTheSecret() throws Exception {
    String secret = mint(s -> s.permissions("releases").projects("web-shop"));
    HttpResponse<String> r = send("GET", "/api/me", secret);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"token\":\"");
    assertThat(r.body().contains(secret)).as("the secret in /api/me's answer").isFalse();
  }

  @AfterAll
  static void noAnswerShowedASecretAndStop() {
    try {
      assertThat(ANSWERS).isNotEmpty();
      for (HttpResponse<String> r : ANSWERS) {
        for (String secret : SECRETS) {
          // A failing contains-assertion would print the secret: name it by fingerprint only.
          String where = r.body() + r.headers().map();
          assertThat(where.contains(secret))
              .as("secret %s in an answer", SecretDigest.fingerprintOf(secret))
              .isFalse();
        }
      }
    } finally {
      BRMS.close();
    }
  }
}
