package dev.patguard.fakebrms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ConcurrencyAndLifecycleTest {

  private static final String SELF = "/api/personal-access-tokens";

  @Test
  void peakConcurrencyWhenTwentyParallelSlowRequestsThenAtLeastTwoAndCountTwenty() {
    try (FakeBrms brms = FakeBrms.start()) {
      MintedToken t = brms.mint();
      brms.inject(Endpoint.SELF_LIST, Fault.latency(Duration.ofMillis(200)));
      HttpRequest request = Http.request(brms, SELF, t.secret()).GET().build();

      List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        futures.add(Http.CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
      }
      futures.forEach(f -> assertEquals(200, f.join().statusCode()));

      assertEquals(20, brms.requestCount(Endpoint.SELF_LIST));
      assertEquals(20, brms.totalRequests());
      assertTrue(
          brms.peakConcurrency(Endpoint.SELF_LIST) >= 2,
          "peak " + brms.peakConcurrency(Endpoint.SELF_LIST));
      assertTrue(brms.peakConcurrency() >= brms.peakConcurrency(Endpoint.SELF_LIST));
      assertEquals(0, brms.inFlight());
    }
  }

  @Test
  @Timeout(60)
  void serveWhenThousandConcurrentRequestsThenAllAnswered() {
    try (FakeBrms brms = FakeBrms.start()) {
      MintedToken t = brms.mint();
      HttpRequest request = Http.request(brms, SELF, t.secret()).GET().build();

      List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        futures.add(Http.CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
      }
      futures.forEach(f -> assertEquals(200, f.join().statusCode()));

      assertEquals(1000, brms.requestCount(Endpoint.SELF_LIST));
    }
  }

  @Test
  void resetCountersWhenCalledThenCountsZero() {
    try (FakeBrms brms = FakeBrms.start()) {
      MintedToken t = brms.mint();
      Http.get(brms, SELF, t.secret());
      Http.get(brms, "/nowhere", null);
      assertEquals(1, brms.requestCount(Endpoint.SELF_LIST));
      assertEquals(1, brms.requestCount(Endpoint.OTHER));

      brms.resetCounters();

      assertEquals(0, brms.requestCount(Endpoint.SELF_LIST));
      assertEquals(0, brms.totalRequests());
      assertEquals(0, brms.peakConcurrency(Endpoint.SELF_LIST));
    }
  }

  @Test
  void closeWhenLatencyFaultInFlightThenStopsPromptlyLeavingNoNonDaemonThread() throws Exception {
    Set<Thread> before = nonDaemonThreads();
    FakeBrms brms = FakeBrms.start();
    MintedToken t = brms.mint();
    brms.inject(Endpoint.SELF_LIST, Fault.latency(Duration.ofSeconds(30)));
    CompletableFuture<HttpResponse<String>> pending =
        Http.CLIENT.sendAsync(
            Http.request(brms, SELF, t.secret()).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (brms.inFlight() == 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(1, brms.inFlight());

    long start = System.nanoTime();
    brms.close();
    long closeMillis = (System.nanoTime() - start) / 1_000_000;

    assertTrue(closeMillis < 5_000, "close took " + closeMillis + " ms");
    assertThrows(ExecutionException.class, () -> pending.get(10, TimeUnit.SECONDS));
    Set<Thread> leaked = nonDaemonThreads();
    leaked.removeAll(before);
    assertTrue(leaked.isEmpty(), "threads left: " + leaked);
    assertTrue(
        Thread.getAllStackTraces().keySet().stream()
            .noneMatch(
                th -> th.getName().startsWith("fake-brms-" + brms.baseUrl().getPort() + "-")),
        "handler threads ended");
    brms.close(); // idempotent
  }

  @Test
  void builderWhenPortOutOfRangeThenRejectedWithMessage() {
    assertEquals(
        "port must be between 0 and 65535: -1",
        assertThrows(IllegalArgumentException.class, () -> FakeBrms.builder().port(-1))
            .getMessage());
    assertEquals(
        "clock must not be null",
        assertThrows(NullPointerException.class, () -> FakeBrms.builder().clock(null))
            .getMessage());
  }

  @Test
  void startWhenFixedPortThenBaseUrlUsesIt() {
    int port;
    try (FakeBrms probe = FakeBrms.start()) {
      port = probe.baseUrl().getPort();
    }
    try (FakeBrms brms = FakeBrms.builder().port(port).start()) {
      assertEquals("http://127.0.0.1:" + port, brms.baseUrl().toString());
    }
  }

  private static Set<Thread> nonDaemonThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .filter(th -> !th.isDaemon())
        .collect(Collectors.toSet());
  }
}
