package com.example.filter;

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
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * ReleasePortal with application.yaml, and no Spring Security on the class path, on embedded
 * Tomcat on a random port, against a fake BRMS on loopback, over real HTTP.
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
  @Autowired ApplicationContext context;

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

  HttpResponse<String> send(String method, String path, String secret)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .method(method, HttpRequest.BodyPublishers.noBody());
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
  void appWhenStartedThenNoSpringSecurityIsConfigured() {
    assertThat(context.containsBean("springSecurityFilterChain")).isFalse();
    assertThat(context.containsBean("patGuardFilter")).isTrue();
  }

  @Test
  void deployWhenTokenMayDeployThatProjectThen200OnTheAuthorizedProject() throws Exception {
    String secret = mint(s -> s.permissions("releases:deploy").projects("web-shop"));
    for (int i = 0; i < 2; i++) { // a cache miss (async dispatch), then a hit
      HttpResponse<String> r = send("POST", "/api/projects/web-shop/releases/deploy", secret);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("\"deploying\":\"web-shop\"").contains("\"token\":\"");
    }
  }

  @Test
  void deployWhenPermissionMissingThen403WithScope() throws Exception {
    String secret = mint(s -> s.permissions("documents:view-content").projects("web-shop"));
    HttpResponse<String> r = send("POST", "/api/projects/web-shop/releases/deploy", secret);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(challenge(r))
        .startsWith("Bearer realm=\"release-portal\", error=\"insufficient_scope\"")
        .contains("scope=\"releases:deploy\"");
  }

  @Test
  void deployWhenNoTokenThen401AndHealthIsPublic() throws Exception {
    assertThat(send("POST", "/api/projects/web-shop/releases/deploy", null).statusCode())
        .isEqualTo(401);
    assertThat(send("GET", "/health", null).statusCode()).isEqualTo(200);
  }

  @Test
  void routeWhenNoRuleMatchesThen403() throws Exception {
    String secret = mint(s -> s.permissions("releases:deploy").projects("web-shop"));
    assertThat(send("GET", "/api/anything", secret).statusCode()).isEqualTo(403);
  }

  @Test
  void deployWhenBrmsIsDownThen503WithRetryAfter() throws Exception {
    BRMS.inject(Endpoint.SELF_LIST, Fault.status(503));
    String secret = mint(s -> s.permissions("releases:deploy").projects("web-shop"));
    HttpResponse<String> r = send("POST", "/api/projects/web-shop/releases/deploy", secret);
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("Retry-After")).hasValue("5");
  }

  @Test
  void answersWhenAnyThenNeverHoldASecret() throws Exception {
    String token = mint(s -> s.permissions("releases:deploy").projects("web-shop"));
    send("POST", "/api/projects/web-shop/releases/deploy", token);
    send("POST", "/api/projects/docs-site/releases/deploy", token);
    send("GET", "/api/anything", token);
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
