package dev.patguard.spring.security;

import static dev.patguard.spring.SecretScan.assertNoSecret;
import static org.assertj.core.api.Assertions.assertThat;

import dev.patguard.fakebrms.Endpoint;
import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.Fault;
import dev.patguard.fakebrms.MintedToken;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Shed lookups are 503 with Retry-After over real HTTP, never 401 or 403. */
@SpringBootTest(
    classes = ReleasePortalApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "patguard.max-retries=0",
      "patguard.max-concurrent-lookups=1",
      "patguard.max-queued-lookups=0"
    })
class OverloadOverHttpTest {
  private static final FakeBrms BRMS = FakeBrms.start();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @LocalServerPort int port;

  @DynamicPropertySource
  static void brms(DynamicPropertyRegistry registry) {
    registry.add("patguard.brms-url", () -> BRMS.baseUrl().toString());
  }

  @AfterAll
  static void stop() {
    BRMS.close();
  }

  private HttpRequest deploy(MintedToken t) {
    return HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/api/projects/web-shop/releases/deploy"))
        .POST(HttpRequest.BodyPublishers.noBody())
        .header("Authorization", "Bearer " + t.secret())
        .build();
  }

  @Test
  void deployWhenLookupSlotsAreFullThen503Overloaded() throws Exception {
    MintedToken slow = BRMS.mint(s -> s.permissions("releases:deploy").projects("web-shop"));
    MintedToken shed = BRMS.mint(s -> s.permissions("releases:deploy").projects("web-shop"));
    BRMS.inject(Endpoint.SELF_LIST, Fault.latency(Duration.ofMillis(1500)), 1);
    CompletableFuture<HttpResponse<String>> first =
        HTTP.sendAsync(deploy(slow), HttpResponse.BodyHandlers.ofString());
    // Wait (bounded) until the slow lookup holds the only slot.
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (BRMS.inFlight(Endpoint.SELF_LIST) == 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(BRMS.inFlight(Endpoint.SELF_LIST)).isEqualTo(1);
    HttpResponse<String> r = HTTP.send(deploy(shed), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("Retry-After")).hasValue("5");
    assertThat(r.body()).contains("OVERLOADED");
    assertNoSecret(r.body(), "a body", shed.secret());
    assertThat(first.get().statusCode()).isEqualTo(202);
  }
}
