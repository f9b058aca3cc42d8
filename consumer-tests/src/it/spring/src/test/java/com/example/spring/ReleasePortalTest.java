package com.example.spring;

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
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The starter README's release portal (ReleasePortal, with application.yaml) on embedded Tomcat
 * on a random port, against a fake BRMS on loopback, over real HTTP.
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

  static String mint(Consumer<TokenSpec> spec) {
    MintedToken t = BRMS.mint(spec);
    SECRETS.add(t.secret());
    return t.secret();
  }

  HttpResponse<String> post(String path, String secret) throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .POST(HttpRequest.BodyPublishers.noBody());
    if (secret != null) {
      b.header("Authorization", "Bearer " + secret);
    }
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    ANSWERS.add(r);
    return r;
  }

  static String challenge(HttpResponse<String> r) {
    return r.headers().firstValue("WWW-Authenticate").orElse("");
  }

  @Test
  void deployWhenTokenMayDeployThatProjectThen200OnTheAuthorizedProject() throws Exception {
    String secret = mint(s -> s.permissions("releases:deploy").projects("web-shop"));
    HttpResponse<String> r = post("/api/projects/web-shop/releases/deploy", secret);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"deploying\":\"web-shop\"").contains("\"token\":\"");
  }

  @Test
  void deployWhenPermissionMissingThen403WithScope() throws Exception {
    String secret = mint(s -> s.permissions("documents:view-content").projects("web-shop"));
    HttpResponse<String> r = post("/api/projects/web-shop/releases/deploy", secret);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(challenge(r))
        .startsWith("Bearer realm=\"release-portal\", error=\"insufficient_scope\"")
        .contains("scope=\"releases:deploy\"");
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
  }

  @Test
  void deployWhenNoTokenThen401() throws Exception {
    HttpResponse<String> r = post("/api/projects/web-shop/releases/deploy", null);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(challenge(r)).isEqualTo("Bearer realm=\"release-portal\"");
  }

  @Test
  void deployWhenBrmsIsDownThen503WithRetryAfterAndNoChallenge() throws Exception {
    String secret = mint(s -> s.permissions("releases:deploy").projects("web-shop"));
    BRMS.inject(Endpoint.SELF_LIST, Fault.status(503));
    HttpResponse<String> r = post("/api/projects/web-shop/releases/deploy", secret);
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("Retry-After")).hasValue("5"); // application.yaml
    assertThat(r.headers().firstValue("WWW-Authenticate")).isEmpty();
    BRMS.clearFaults();
    assertThat(post("/api/projects/web-shop/releases/deploy", secret).statusCode()).isEqualTo(200);
  }

  @Test
  void undeployWhenTokenMayManageThatProjectThenTheMethodRuns() throws Exception {
    String secret = mint(s -> s.permissions("environments:manage").projects("web-shop"));
    HttpResponse<String> r = post("/api/methods/web-shop/undeploy", secret);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"undeploying\":\"web-shop\"}");
  }

  @Test
  void undeployWhenTokenManagesAnotherProjectThen403WithScope() throws Exception {
    String secret = mint(s -> s.permissions("environments:manage").projects("docs-site"));
    HttpResponse<String> r = post("/api/methods/web-shop/undeploy", secret);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(challenge(r))
        .contains("error=\"insufficient_scope\"")
        .contains("scope=\"environments:manage\"");
  }

  @AfterAll
  static void noAnswerShowedASecret() {
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
  }
}
