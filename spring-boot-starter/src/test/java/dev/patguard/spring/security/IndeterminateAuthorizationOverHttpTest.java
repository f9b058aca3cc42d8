package dev.patguard.spring.security;

import static dev.patguard.spring.SecretScan.assertNoSecret;
import static org.assertj.core.api.Assertions.assertThat;

import dev.patguard.Decider;
import dev.patguard.PatGuard;
import dev.patguard.decision.Decision;
import dev.patguard.decision.IndeterminateCause;
import dev.patguard.decision.ProjectRef;
import dev.patguard.decision.Requirement;
import dev.patguard.decision.TokenSubject;
import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.MintedToken;
import dev.patguard.token.SecretDigest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An Indeterminate at the authorization step (the token authenticated, then the route's or the
 * method's own decision could not be made) is 503 with Retry-After over real HTTP, never 403. The
 * decider answers Indeterminate for project {@code flaky}, as a guard whose BRMS failed between the
 * two decisions would.
 */
@SpringBootTest(
    classes = {ReleasePortalApp.class, IndeterminateAuthorizationOverHttpTest.Flaky.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class IndeterminateAuthorizationOverHttpTest {
  private static final FakeBrms BRMS = FakeBrms.start();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ProjectRef FLAKY = ProjectRef.byKey("flaky");

  @LocalServerPort int port;

  @DynamicPropertySource
  static void brms(DynamicPropertyRegistry registry) {
    registry.add("patguard.brms-url", () -> BRMS.baseUrl().toString());
  }

  @AfterAll
  static void stop() {
    BRMS.close();
  }

  /** The starter's PatGuardSecurity backs off for this one. */
  @TestConfiguration(proxyBeanMethods = false)
  static class Flaky {
    @Bean
    PatGuardSecurity flakySecurity(PatGuard guard) {
      Decider flaky =
          new Decider() {
            @Override
            public CompletableFuture<Decision> decide(String secret, Requirement requirement) {
              return CompletableFuture.completedFuture(decideBlocking(secret, requirement));
            }

            @Override
            public Decision decideBlocking(String secret, Requirement requirement) {
              if (requirement.project().filter(FLAKY::equals).isPresent()) {
                return Decision.indeterminate(
                    TokenSubject.fingerprintOnly(SecretDigest.fingerprintOf(secret)),
                    IndeterminateCause.BRMS_UNAVAILABLE,
                    "BRMS failed after authentication");
              }
              return guard.decideBlocking(secret, requirement);
            }

            @Override
            public Duration decisionTimeout() {
              return guard.decisionTimeout();
            }
          };
      return PatGuardSecurity.builder(guard)
          .decider(flaky)
          .retryAfter(Duration.ofSeconds(3))
          .build();
    }
  }

  private HttpResponse<String> post(String path, MintedToken t) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .POST(HttpRequest.BodyPublishers.noBody())
            .header("Authorization", "Bearer " + t.secret())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void routeAndMethodChecksWhenIndeterminateThen503NeverForbidden() throws Exception {
    MintedToken t =
        BRMS.mint(s -> s.permissions("releases:deploy", "environments:manage").allProjects(true));
    for (String path :
        List.of("/api/projects/flaky/releases/deploy", "/api/methods/flaky/undeploy")) {
      HttpResponse<String> r = post(path, t);
      assertThat(r.statusCode()).as(path).isEqualTo(503);
      assertThat(r.headers().firstValue("Retry-After")).hasValue("3");
      assertThat(r.headers().firstValue("WWW-Authenticate")).isEmpty();
      assertThat(r.body()).contains("BRMS_UNAVAILABLE");
      assertNoSecret(r.body(), "a body", t.secret());
    }
    assertThat(post("/api/projects/web-shop/releases/deploy", t).statusCode()).isEqualTo(202);
    assertThat(post("/api/methods/web-shop/undeploy", t).statusCode()).isEqualTo(200);
  }
}
