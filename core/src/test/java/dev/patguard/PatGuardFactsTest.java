package dev.patguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patguard.decision.Grant;
import dev.patguard.decision.IndeterminateCause;
import dev.patguard.decision.Requirement;
import dev.patguard.fakebrms.Endpoint;
import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.FakeUser;
import dev.patguard.fakebrms.Fault;
import dev.patguard.fakebrms.MintedToken;
import dev.patguard.fakebrms.MutableClock;
import dev.patguard.token.SecretDigest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link PatGuard#facts} and {@link PatGuard#factsById}: what is known about a token, as one value.
 */
class PatGuardFactsTest {
  private final MutableClock clock = MutableClock.at("2026-11-29T12:00:00Z");
  private FakeBrms brms;
  private PatGuard guard;
  private MintedToken admin;

  @BeforeEach
  void start() {
    brms = FakeBrms.builder().clock(clock).start();
    FakeUser adminUser = brms.createUser(u -> u.email("admin@acme.test").admin());
    admin = brms.mint(t -> t.owner(adminUser).permissions("owner").allProjects(true));
    guard =
        PatGuard.builder()
            .baseUrl(brms.baseUrl())
            .clock(clock)
            .ticker(clock.ticker())
            .adminCredential(admin::secret)
            .requestTimeout(Duration.ofSeconds(10))
            .maxRetries(0)
            .build();
  }

  @AfterEach
  void stop() {
    guard.close();
    brms.close();
  }

  @Test
  void factsWhenTokenKnownThenGrantAndSharesTheLookupWithDecide() {
    MintedToken t =
        brms.mint(s -> s.permissions("releases:manage").projects("web-shop", "docs-site"));

    guard.decideBlocking(t.secret(), Requirement.parse("releases:deploy@web-shop"));
    TokenFacts.Known known =
        assertInstanceOf(TokenFacts.Known.class, guard.facts(t.secret()).join());

    Grant grant = known.grant();
    assertEquals(List.of("releases:manage"), grant.declaredPermissions());
    assertEquals(SecretDigest.fingerprintOf(t.secret()), grant.subject().fingerprint());
    assertEquals(t.id(), grant.subject().tokenId());
    assertFalse(known.stale());
    assertTrue(known.token().isEmpty(), "the cache keeps compiled grants only");
    assertEquals(1, brms.requestCount(Endpoint.SELF_LIST), "decide then facts make one lookup");
  }

  @Test
  void factsWhenSecretRejectedOrEmptyThenRejected() {
    assertEquals(
        new TokenFacts.Rejected("BRMS rejected the token (401)"),
        guard.facts("no-such-secret").join());
    assertInstanceOf(TokenFacts.Rejected.class, guard.facts("").join());
  }

  @Test
  void factsWhenTokenMayNotReadItsOwnFactsThenForbidden() {
    MintedToken mute = brms.mint(s -> s.permissions("releases:deploy").canReadOwnTokens(false));
    assertInstanceOf(TokenFacts.Forbidden.class, guard.facts(mute.secret()).join());
  }

  @Test
  void factsWhenBrmsDownThenUnavailableNamingTheCauseNeverAFailedFuture() {
    MintedToken t = brms.mint(s -> s.permissions("releases:deploy"));
    brms.inject(Endpoint.SELF_LIST, Fault.status(503));

    TokenFacts.Unavailable u =
        assertInstanceOf(TokenFacts.Unavailable.class, guard.facts(t.secret()).join());
    assertEquals(IndeterminateCause.BRMS_UNAVAILABLE, u.cause());
    assertTrue(u.detail().contains("503"), u.detail());
  }

  @Test
  void factsByIdWhenTokenExistsThenKnownAndWhenNotThenRejected() {
    FakeUser ci = brms.createUser(u -> u.email("ci@acme.test").serviceAccount());
    MintedToken t = brms.mint(s -> s.owner(ci).permissions("releases:deploy").projects("web-shop"));

    TokenFacts.Known known =
        assertInstanceOf(
            TokenFacts.Known.class, guard.factsById(ci.id().toString(), t.id().toString()).join());
    assertEquals(t.id(), known.grant().subject().tokenId());
    assertEquals(t.id(), known.token().orElseThrow().id(), "read by id: the token as BRMS sent it");
    assertInstanceOf(
        TokenFacts.Rejected.class,
        guard.factsById(ci.id().toString(), UUID.randomUUID().toString()).join());
  }

  @Test
  void factsByIdWhenAdminCredentialRefusedThenUnavailableCredentialRefused() {
    FakeUser ci = brms.createUser(u -> u.email("ci@acme.test").serviceAccount());
    MintedToken t = brms.mint(s -> s.owner(ci).permissions("releases:deploy"));
    try (PatGuard notAdmin =
        PatGuard.builder().baseUrl(brms.baseUrl()).adminCredential(t::secret).build()) {
      TokenFacts.Unavailable u =
          assertInstanceOf(
              TokenFacts.Unavailable.class,
              notAdmin.factsById(ci.id().toString(), t.id().toString()).join());
      assertEquals(IndeterminateCause.CREDENTIAL_REFUSED, u.cause());
    }
  }

  @Test
  void factsByIdWhenIdIsNotAUuidThenRefusedQuotingItBeforeAnyRequest() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> guard.factsById("../admin", UUID.randomUUID().toString()));
    assertEquals("userId must be a UUID, got \"../admin\"", e.getMessage());
    assertEquals(0, brms.totalRequests());
  }
}
