package dev.patguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.patguard.decision.Grant;
import dev.patguard.decision.Requirement;
import dev.patguard.fakebrms.Endpoint;
import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.Fault;
import dev.patguard.fakebrms.MintedToken;
import dev.patguard.fakebrms.MutableClock;
import dev.patguard.token.SecretDigest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link PatGuard#grantOf}: the grant behind a secret, through the decision cache. */
class PatGuardGrantOfTest {
  private final MutableClock clock = MutableClock.at("2026-11-29T12:00:00Z");
  private FakeBrms brms;
  private PatGuard guard;

  @BeforeEach
  void start() {
    brms = FakeBrms.builder().clock(clock).start();
    guard = PatGuard.builder().baseUrl(brms.baseUrl()).clock(clock).ticker(clock.ticker())
        .requestTimeout(Duration.ofSeconds(10)).maxRetries(0).build();
  }

  @AfterEach
  void stop() {
    guard.close();
    brms.close();
  }

  @Test
  void grantOfWhenTokenKnownThenGrantAndSharesTheLookupWithDecide() {
    MintedToken t = brms.mint(s -> s.permissions("releases:manage").projects("web-shop", "docs-site"));

    guard.decideBlocking(t.secret(), Requirement.parse("releases:deploy@web-shop"));
    Grant grant = guard.grantOf(t.secret()).join().orElseThrow();

    assertEquals(List.of("releases:manage"), grant.declaredPermissions());
    assertEquals(SecretDigest.fingerprintOf(t.secret()), grant.subject().fingerprint());
    assertEquals(t.id(), grant.subject().tokenId());
    assertEquals(1, brms.requestCount(Endpoint.SELF_LIST), "decide then grantOf make one lookup");
  }

  @Test
  void grantOfWhenSecretRejectedOrEmptyThenEmpty() {
    assertEquals(Optional.empty(), guard.grantOf("no-such-secret").join());
    assertEquals(Optional.empty(), guard.grantOf("").join());
  }

  @Test
  void grantOfWhenBrmsDownThenFailsWithTheOutage() {
    MintedToken t = brms.mint(s -> s.permissions("releases:deploy"));
    brms.inject(Endpoint.SELF_LIST, Fault.status(503));

    CompletionException e = assertThrows(CompletionException.class, () -> guard.grantOf(t.secret()).join());
    assertInstanceOf(BrmsUnavailableException.class, e.getCause());
  }
}
