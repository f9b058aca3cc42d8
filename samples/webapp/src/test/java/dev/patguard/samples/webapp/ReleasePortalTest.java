package dev.patguard.samples.webapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patguard.PatGuard;
import dev.patguard.fakebrms.Endpoint;
import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.Fault;
import dev.patguard.fakebrms.MintedToken;
import dev.patguard.token.SecretDigest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReleasePortalTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private FakeBrms brms;
  private ReleasePortal portal;
  private MintedToken deployer;

  @BeforeEach
  void start() throws Exception {
    brms = FakeBrms.start();
    deployer =
        brms.mint(t -> t.note("ci deploy").permissions("releases:deploy").projects("web-shop"));
    PatGuard guard =
        PatGuard.builder()
            .baseUrl(brms.baseUrl())
            .maxRetries(0)
            .requestTimeout(Duration.ofSeconds(10))
            .build();
    portal = ReleasePortal.start(guard, 0);
  }

  @AfterEach
  void stop() throws Exception {
    portal.close();
    brms.close();
  }

  private HttpResponse<String> send(String method, String path, String secret) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(portal.baseUrl() + path))
            .method(method, HttpRequest.BodyPublishers.ofString("{}"));
    if (secret != null) {
      b.header("Authorization", "Bearer " + secret);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void deployWhenTokenMayDeployTheProjectThenAcceptedAndCallerNamedByFingerprint()
      throws Exception {
    HttpResponse<String> r =
        send("POST", "/api/projects/web-shop/releases/deploy", deployer.secret());
    assertEquals(202, r.statusCode(), r.body());
    assertTrue(r.body().contains(SecretDigest.fingerprintOf(deployer.secret())), r.body());
    assertFalse(r.body().contains(deployer.secret()));
    assertEquals(1, portal.deploys());
  }

  @Test
  void deployWhenAnotherProjectThenForbiddenNamingTheScope() throws Exception {
    HttpResponse<String> r =
        send("POST", "/api/projects/docs-site/releases/deploy", deployer.secret());
    assertEquals(403, r.statusCode());
    assertTrue(
        r.headers().firstValue("WWW-Authenticate").orElse("").contains("insufficient_scope"));
    assertEquals(0, portal.deploys());
  }

  @Test
  void deployWhenNoTokenThenChallenged() throws Exception {
    HttpResponse<String> r = send("POST", "/api/projects/web-shop/releases/deploy", null);
    assertEquals(401, r.statusCode());
    assertTrue(
        r.headers()
            .firstValue("WWW-Authenticate")
            .orElse("")
            .startsWith("Bearer realm=\"release-portal\""));
  }

  @Test
  void healthWhenNoTokenThenPublic() throws Exception {
    assertEquals(200, send("GET", "/health", null).statusCode());
  }

  @Test
  void unmatchedRouteWhenAnyTokenThenDeniedWithoutLookup() throws Exception {
    assertEquals(403, send("DELETE", "/api/projects/web-shop", deployer.secret()).statusCode());
    assertEquals(0, brms.totalRequests());
  }

  @Test
  void deployWhenBrmsDownThenServiceUnavailableNeverAccepted() throws Exception {
    brms.inject(Endpoint.SELF_LIST, Fault.status(503));
    HttpResponse<String> r =
        send("POST", "/api/projects/web-shop/releases/deploy", deployer.secret());
    assertEquals(503, r.statusCode());
    assertTrue(r.headers().firstValue("Retry-After").isPresent());
    assertEquals(0, portal.deploys());
  }
}
