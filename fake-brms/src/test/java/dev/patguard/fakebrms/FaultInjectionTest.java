package dev.patguard.fakebrms;

import static dev.patguard.fakebrms.Http.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultInjectionTest {

  private static final String SELF = "/api/personal-access-tokens";

  private FakeBrms brms;
  private MintedToken token;

  @BeforeEach
  void start() {
    brms = FakeBrms.start();
    token = brms.mint();
  }

  @AfterEach
  void stop() {
    brms.close();
  }

  private HttpResponse<String> self() {
    return get(brms, SELF, token.secret());
  }

  @Test
  void injectWhenStatusWithHeaderThenServedUntilCleared() {
    brms.inject(Endpoint.SELF_LIST, Fault.status(429).withHeader("Retry-After", "1"));

    for (int i = 0; i < 3; i++) {
      HttpResponse<String> response = self();
      assertEquals(429, response.statusCode());
      assertEquals("1", response.headers().firstValue("Retry-After").orElseThrow());
      assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
    }
    brms.clearFaults();
    assertEquals(200, self().statusCode());
    assertEquals(4, brms.requestCount(Endpoint.SELF_LIST), "faulted requests are counted");
  }

  @Test
  void injectWhenStatusHeaderSetsContentTypeThenFaultHeaderWins() {
    brms.inject(Endpoint.SELF_LIST, Fault.status(503).withHeader("Content-Type", "text/plain"), 1);

    assertEquals("text/plain", self().headers().firstValue("Content-Type").orElseThrow());
  }

  @Test
  void injectWhenStatusOnOtherEndpointThenThisOneHealthy() {
    brms.inject(Endpoint.SERVICE_GET, Fault.status(503));

    assertEquals(200, self().statusCode());
  }

  @Test
  void injectWhenTimesThenFaultedThatOftenThenHealthy() {
    brms.inject(Endpoint.SELF_LIST, Fault.status(503), 2);

    assertEquals(503, self().statusCode());
    assertEquals(503, self().statusCode());
    assertEquals(200, self().statusCode());
    assertEquals(200, self().statusCode());
  }

  @Test
  void injectWhenSeveralQueuedThenAppliedInOrder() {
    brms.inject(Endpoint.SELF_LIST, Fault.status(500), 1);
    brms.inject(Endpoint.SELF_LIST, Fault.status(502), 1);

    assertEquals(500, self().statusCode());
    assertEquals(502, self().statusCode());
    assertEquals(200, self().statusCode());
  }

  @Test
  void injectWhenFaultedThenAppliesBeforeAuthentication() {
    brms.inject(Endpoint.SELF_LIST, Fault.status(503), 1);

    assertEquals(503, get(brms, SELF, "unknown").statusCode());
  }

  @Test
  void injectWhenLatencyThenAnswerDelayedThenNormal() {
    brms.inject(Endpoint.SELF_LIST, Fault.latency(Duration.ofMillis(300)), 1);

    long start = System.nanoTime();
    HttpResponse<String> response = self();
    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

    assertEquals(200, response.statusCode());
    assertTrue(elapsedMillis >= 300, "took " + elapsedMillis + " ms");
  }

  @Test
  void injectWhenStalledBodyThenWholeBodyArrivesAfterTheStall() {
    brms.inject(Endpoint.SELF_LIST, Fault.stalledBody(Duration.ofMillis(300)), 1);

    long start = System.nanoTime();
    HttpResponse<String> response = self();
    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

    assertEquals(200, response.statusCode());
    assertEquals(
        token.id().toString(),
        Http.json(response).get(0).get("id").asText(),
        "the normal answer, whole");
    assertTrue(elapsedMillis >= 300, "took " + elapsedMillis + " ms");
  }

  @Test
  void injectWhenStalledBodyThenHeadersAndHalfTheBodyComeFirst() throws Exception {
    brms.inject(Endpoint.SELF_LIST, Fault.stalledBody(Duration.ofMinutes(5)), 1);

    var request = Http.request(brms, SELF, token.secret()).GET().build();
    HttpResponse<InputStream> response =
        Http.CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
    long length = response.headers().firstValueAsLong("Content-Length").orElseThrow();
    try (InputStream body = response.body()) {
      byte[] first = body.readNBytes((int) length / 2);

      assertEquals(200, response.statusCode());
      assertEquals(length / 2, first.length, "the first half is sent before the stall");
      brms.close(); // interrupts the stall and drops the connection
      assertThrows(IOException.class, () -> body.readNBytes((int) length));
    }
  }

  @Test
  void injectWhenConnectionResetThenClientGetsIOException() {
    brms.inject(Endpoint.SELF_LIST, Fault.connectionReset(), 1);

    var request = Http.request(brms, SELF, token.secret()).GET().build();
    assertThrows(
        IOException.class, () -> Http.CLIENT.send(request, HttpResponse.BodyHandlers.ofString()));
    assertEquals(200, self().statusCode(), "the server keeps serving");
  }

  @Test
  void injectWhenMalformedJsonThenBodyFailsToParse() {
    brms.inject(Endpoint.SELF_LIST, Fault.malformedJson());

    HttpResponse<String> response = self();

    assertEquals(200, response.statusCode());
    assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
    assertThrows(JsonProcessingException.class, () -> Http.MAPPER.readTree(response.body()));
  }

  @Test
  void injectWhenWrongContentTypeThenHtml() {
    brms.inject(Endpoint.SELF_LIST, Fault.wrongContentType());

    HttpResponse<String> response = self();

    assertEquals(200, response.statusCode());
    assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
    assertTrue(response.body().startsWith("<html>"));
    assertTrue(response.body().endsWith("</html>"));
  }

  @Test
  void injectWhenRedirectThenFoundWithLocation() {
    brms.inject(Endpoint.SELF_LIST, Fault.redirect(URI.create("https://evil.example/steal")));

    HttpResponse<String> response = self();

    assertEquals(302, response.statusCode());
    assertEquals(
        "https://evil.example/steal", response.headers().firstValue("Location").orElseThrow());
  }

  @Test
  void injectWhenOversizedBodyThenFiftyMebibytesStreamedInChunks() throws Exception {
    long size = 50L * 1024 * 1024;
    brms.inject(Endpoint.SELF_LIST, Fault.oversizedBody(size));

    HttpResponse<InputStream> response =
        Http.CLIENT.send(
            Http.request(brms, SELF, token.secret()).GET().build(),
            HttpResponse.BodyHandlers.ofInputStream());

    assertEquals(200, response.statusCode());
    assertTrue(
        response.headers().firstValue("Content-Length").isEmpty(), "chunked, no length promised");
    long total = 0;
    int reads = 0;
    byte[] buffer = new byte[64 * 1024];
    byte first = 0;
    byte last = 0;
    try (InputStream in = response.body()) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        if (total == 0) {
          first = buffer[0];
        }
        last = buffer[n - 1];
        total += n;
        reads++;
      }
    }
    assertEquals(size, total);
    assertTrue(reads >= size / buffer.length, "read in " + reads + " chunks");
    assertEquals('[', first);
    assertEquals(']', last);
  }

  @Test
  void injectWhenOversizedBodyAndClientStopsReadingThenServerStaysHealthy() throws Exception {
    brms.inject(Endpoint.SELF_LIST, Fault.oversizedBody(50L * 1024 * 1024), 1);

    HttpResponse<InputStream> response =
        Http.CLIENT.send(
            Http.request(brms, SELF, token.secret()).GET().build(),
            HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = response.body()) {
      assertEquals(1024, in.readNBytes(1024).length);
    }

    assertEquals(200, self().statusCode());
  }

  @Test
  void injectWhenDeepNestingThenParserWithDepthLimitRejectsIt() {
    brms.inject(Endpoint.SELF_LIST, Fault.deepNesting(100_000));

    HttpResponse<String> response = self();

    assertEquals(200, response.statusCode());
    assertEquals("[".repeat(100_000) + "]".repeat(100_000), response.body());
    ObjectMapper limited =
        new ObjectMapper(
            JsonFactory.builder()
                .streamReadConstraints(
                    StreamReadConstraints.builder().maxNestingDepth(1000).build())
                .build());
    assertThrows(StreamConstraintsException.class, () -> limited.readTree(response.body()));
  }

  @Test
  void injectWhenRandomlyThenDeterministicForASeed() {
    List<List<Integer>> runs = new ArrayList<>();
    for (int run = 0; run < 2; run++) {
      brms.clearFaults();
      brms.inject(
          Endpoint.SELF_LIST, Fault.randomly(0.5, 42L, Fault.status(500), Fault.status(503)));
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        statuses.add(self().statusCode());
      }
      runs.add(statuses);
    }

    assertEquals(runs.get(0), runs.get(1));
    assertTrue(runs.get(0).contains(200));
    assertTrue(runs.get(0).contains(500));
    assertTrue(runs.get(0).contains(503));
  }

  @Test
  void randomlyWhenProbabilityZeroThenNeverFaulted() {
    brms.inject(Endpoint.SELF_LIST, Fault.randomly(0.0, 1L, Fault.status(500)));

    for (int i = 0; i < 10; i++) {
      assertEquals(200, self().statusCode());
    }
  }

  @Test
  void faultFactoriesWhenArgumentsInvalidThenRejectedWithMessage() {
    assertEquals(
        "latency must not be negative: PT-1S",
        assertThrows(IllegalArgumentException.class, () -> Fault.latency(Duration.ofSeconds(-1)))
            .getMessage());
    assertEquals(
        "status must be between 200 and 599: 99",
        assertThrows(IllegalArgumentException.class, () -> Fault.status(99)).getMessage());
    assertEquals(
        "depth must be at least 1: 0",
        assertThrows(IllegalArgumentException.class, () -> Fault.deepNesting(0)).getMessage());
    assertEquals(
        "bytes must be at least 4: 3",
        assertThrows(IllegalArgumentException.class, () -> Fault.oversizedBody(3)).getMessage());
    assertEquals(
        "probability must be between 0 and 1: 1.5",
        assertThrows(
                IllegalArgumentException.class, () -> Fault.randomly(1.5, 1L, Fault.status(500)))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> Fault.randomly(0.5, 1L));
    assertThrows(
        IllegalArgumentException.class,
        () -> Fault.randomly(0.5, 1L, Fault.randomly(0.5, 2L, Fault.status(500))));
    assertThrows(
        IllegalArgumentException.class, () -> Fault.status(500).withHeader("Bad Name", "x"));
    assertThrows(
        IllegalArgumentException.class, () -> Fault.status(500).withHeader("X-A", "a\r\nb"));
    assertEquals(
        "times must be at least 1: 0",
        assertThrows(
                IllegalArgumentException.class,
                () -> brms.inject(Endpoint.SELF_LIST, Fault.status(500), 0))
            .getMessage());
    assertThrows(NullPointerException.class, () -> brms.inject(Endpoint.SELF_LIST, null));
    assertFalse(brms.toString().isEmpty());
  }
}
