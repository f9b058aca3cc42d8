package dev.patguard;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patguard.decision.Decision;
import dev.patguard.decision.DecisionJson;
import dev.patguard.decision.Requirement;
import dev.patguard.fakebrms.Endpoint;
import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.FakeUser;
import dev.patguard.fakebrms.Fault;
import dev.patguard.fakebrms.MintedToken;
import dev.patguard.fakebrms.MutableClock;
import dev.patguard.testing.LogCapture;
import dev.patguard.token.SecretDigest;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Runs every path a secret travels — permit, deny, rejection, each fault, the admin endpoints — and
 * scans everything a person could read (log records with stack traces, exception messages,
 * decisions and their JSON, toString of every object) for the secrets.
 */
class SecretLeakTest {
  private static final String SECRET = "pat-LEAKCANARY-7f3e9b2c41d8a6";
  private static final String ADMIN = "adm-LEAKCANARY-93c1e0f5b7a2d4";

  @Test
  void everythingReadableWhenSecretsTravelAllPathsThenNeverContainsThem() throws Exception {
    MutableClock clock = MutableClock.at("2026-11-29T12:00:00Z");
    List<String> readable = new ArrayList<>();
    List<DecisionEvent> events = new CopyOnWriteArrayList<>();
    try (FakeBrms brms = FakeBrms.builder().clock(clock).start();
        LogCapture logs = LogCapture.start()) {
      FakeUser admin = brms.createUser(u -> u.email("admin@acme.test").admin());
      brms.mint(t -> t.owner(admin).permissions("owner").allProjects(true).secret(ADMIN));
      FakeUser deployer = brms.createUser(u -> u.email("deployer@acme.test").serviceAccount());
      MintedToken token =
          brms.mint(
              t ->
                  t.owner(deployer)
                      .permissions("releases:deploy")
                      .projects("web-shop")
                      .secret(SECRET));
      readable.add(token.toString());

      PatGuard guard =
          PatGuard.builder()
              .baseUrl(brms.baseUrl())
              .clock(clock)
              .ticker(clock.ticker())
              .adminCredential(() -> ADMIN)
              .requestTimeout(Duration.ofMillis(800))
              .listener(events::add)
              .build();
      List<Requirement> requirements =
          List.of(
              Requirement.parse("releases:deploy@web-shop"),
              Requirement.parse("owner@docs"),
              Requirement.parse("releases:deploy|owner"));
      List<Fault> faults =
          List.of(
              Fault.status(503),
              Fault.status(429),
              Fault.connectionReset(),
              Fault.malformedJson(),
              Fault.deepNesting(5000),
              Fault.oversizedBody(2L * 1024 * 1024),
              Fault.wrongContentType(),
              Fault.redirect(URI.create("http://evil.example/")),
              Fault.latency(Duration.ofSeconds(2)),
              Fault.status(401),
              Fault.status(403));
      for (Requirement r : requirements) {
        scan(readable, guard.decideBlocking(SECRET, r), r);
        scan(readable, guard.decideBlocking(SECRET + "x", r), r);
      }
      for (Fault f : faults) {
        brms.inject(Endpoint.SELF_LIST, f);
        brms.inject(Endpoint.SERVICE_GET, f);
        guard.invalidate(SECRET);
        scan(readable, guard.decideBlocking(SECRET, requirements.get(0)), requirements.get(0));
        scan(
            readable,
            guard
                .decideById(deployer.id().toString(), token.id().toString(), requirements.get(0))
                .join(),
            requirements.get(0));
        brms.clearFaults();
      }
      BrmsClient client =
          BrmsClient.builder()
              .baseUrl(brms.baseUrl())
              .adminCredential(() -> deployerSecret())
              .build();
      try {
        client.listServiceUserTokens(deployer.id().toString()).join();
      } catch (CompletionException e) {
        readable.add(String.valueOf(e.getCause()));
      }
      readable.add(guard.toString());
      readable.add(guard.cacheStats().toString());
      readable.add(client.toString());
      readable.add(SecretDigest.of(SECRET).toString());
      events.forEach(e -> readable.add(e.toString()));
      guard.close();
      readable.add(logs.text());
    }
    String all = String.join("\n", readable);
    assertTrue(
        all.contains(SecretDigest.fingerprintOf(SECRET)),
        "the fingerprint is how the token is named");
    for (String secret : List.of(SECRET, ADMIN, SECRET + "x", "LEAKCANARY")) {
      assertFalse(all.contains(secret), () -> "a secret leaked:\n" + excerpt(all, secret));
    }
  }

  private static String deployerSecret() {
    return SECRET;
  }

  private static void scan(List<String> readable, Decision d, Requirement r) {
    readable.add(d.toString());
    readable.add(d.explain());
    readable.add(DecisionJson.toJson(d, List.of(r)));
    readable.add(DecisionJson.toAuthZenJson(d, List.of(r)));
  }

  private static String excerpt(String all, String secret) {
    int i = all.indexOf("LEAKCANARY");
    return all.substring(Math.max(0, i - 300), Math.min(all.length(), i + 100));
  }
}
