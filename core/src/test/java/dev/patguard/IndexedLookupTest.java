package dev.patguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patguard.decision.Decision;
import dev.patguard.decision.DenyReason;
import dev.patguard.decision.IndeterminateCause;
import dev.patguard.decision.Requirement;
import dev.patguard.fakebrms.Endpoint;
import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.FakeUser;
import dev.patguard.fakebrms.MintedToken;
import dev.patguard.fakebrms.MutableClock;
import dev.patguard.testing.LogCapture;
import dev.patguard.token.SecretDigest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexedLookupTest {
  private static final Requirement DEPLOY_WEB = Requirement.parse("releases:deploy@web-shop");

  @TempDir Path dir;
  private final MutableClock clock = MutableClock.at("2026-11-29T12:00:00Z");
  private FakeBrms brms;
  private MintedToken adminToken;
  private FakeUser deployer;
  private MintedToken deployToken;
  private Path index;

  @BeforeEach
  void start() throws IOException {
    brms = FakeBrms.builder().clock(clock).start();
    FakeUser admin = brms.createUser(u -> u.email("admin@acme.test").admin());
    adminToken = brms.mint(t -> t.owner(admin).permissions("owner").allProjects(true));
    deployer = brms.createUser(u -> u.email("deployer@acme.test").serviceAccount());
    deployToken =
        brms.mint(t -> t.owner(deployer).permissions("releases:deploy").projects("web-shop"));
    // A second token of the same owner: the indexed lookup is exact where the self lookup is not.
    brms.mint(t -> t.owner(deployer).permissions("owner").allProjects(true));
    index = dir.resolve("tokens.idx");
    write(
        "# issued by the deploy pipeline",
        TokenIndex.line(
            deployToken.secret(), deployer.id().toString(), deployToken.id().toString()));
  }

  @AfterEach
  void stop() {
    brms.close();
  }

  private void write(String... lines) throws IOException {
    Files.write(index, List.of(lines), StandardCharsets.UTF_8);
    // Make each rewrite visible even within one file-system timestamp tick.
    Files.setLastModifiedTime(index, FileTime.from(Instant.now().plusSeconds(Files.size(index))));
  }

  private PatGuard guard() {
    return PatGuard.builder()
        .baseUrl(brms.baseUrl())
        .clock(clock)
        .ticker(clock.ticker())
        .lookup(LookupStrategy.indexed(index))
        .adminCredential(adminToken::secret)
        .build();
  }

  @Test
  void decideWhenSecretIndexedThenExactGrantFromTheAdminEndpoint() {
    try (PatGuard guard = guard()) {
      Decision d = guard.decideBlocking(deployToken.secret(), DEPLOY_WEB);
      assertTrue(d.isPermit(), d.explain());
      assertEquals(
          deployToken.id(), d.subject().tokenId(), "exact, although the owner has two tokens");
      assertTrue(d.warnings().isEmpty());
      assertEquals(1, brms.requestCount(Endpoint.SERVICE_GET));
      assertEquals(0, brms.requestCount(Endpoint.SELF_LIST));
    }
  }

  @Test
  void decideWhenSecretNotIndexedThenTokenInvalidWithoutRequest() {
    try (PatGuard guard = guard()) {
      Decision d = guard.decideBlocking("not-indexed", DEPLOY_WEB);
      assertEquals(
          List.of(DenyReason.tokenInvalid()), assertInstanceOf(Decision.Deny.class, d).reasons());
      assertEquals(0, brms.totalRequests());
    }
  }

  @Test
  void decideWhenIndexedTokenDeletedInBrmsThenTokenInvalid() {
    brms.revoke(deployToken.id());
    try (PatGuard guard = guard()) {
      Decision d = guard.decideBlocking(deployToken.secret(), DEPLOY_WEB);
      assertEquals(
          List.of(DenyReason.tokenInvalid()), assertInstanceOf(Decision.Deny.class, d).reasons());
    }
  }

  @Test
  void decideWhenAdminCredentialRefusedThenIndeterminateCredentialRefused() {
    try (PatGuard guard =
        PatGuard.builder()
            .baseUrl(brms.baseUrl())
            .clock(clock)
            .ticker(clock.ticker())
            .lookup(LookupStrategy.indexed(index))
            .adminCredential(deployToken::secret)
            .build()) {
      Decision d = guard.decideBlocking(deployToken.secret(), DEPLOY_WEB);
      assertEquals(
          IndeterminateCause.CREDENTIAL_REFUSED,
          assertInstanceOf(Decision.Indeterminate.class, d).cause());
    }
  }

  @Test
  void indexWhenFileChangesThenReloaded() throws IOException {
    MintedToken later =
        brms.mint(t -> t.owner(deployer).permissions("releases:deploy").projects("web-shop"));
    try (PatGuard guard = guard()) {
      assertInstanceOf(Decision.Deny.class, guard.decideBlocking(later.secret(), DEPLOY_WEB));
      guard.invalidate(later.secret());
      write(
          TokenIndex.line(
              deployToken.secret(), deployer.id().toString(), deployToken.id().toString()),
          TokenIndex.line(later.secret(), deployer.id().toString(), later.id().toString()));

      assertTrue(guard.decideBlocking(later.secret(), DEPLOY_WEB).isPermit());
    }
  }

  @Test
  void indexWhenLinesMalformedThenReportedByLineNumberAndTheRestServed() throws IOException {
    String good =
        TokenIndex.line(
            deployToken.secret(), deployer.id().toString(), deployToken.id().toString());
    try (LogCapture logs = LogCapture.start()) {
      write(
          "# header",
          "not-hex " + deployer.id() + " " + deployToken.id(),
          "",
          good,
          SecretDigest.of("x").hex() + " ../admin " + deployToken.id(),
          "too few fields");
      TokenIndex loaded = TokenIndex.load(index);

      assertEquals(1, loaded.size());
      assertEquals(
          List.of(2, 5, 6), loaded.problems().stream().map(TokenIndex.Problem::line).toList());
      assertTrue(
          loaded.problems().get(1).message().contains("userId must be a UUID, got \"../admin\""));
      assertTrue(logs.count(Level.WARNING, "line 5: userId must be a UUID") >= 1);
      try (PatGuard guard = guard()) {
        assertTrue(guard.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());
      }
    }
  }

  @Test
  void indexWhenDigestListedForTwoTokensThenBothIgnored() throws IOException {
    String hex = SecretDigest.of(deployToken.secret()).hex();
    write(
        hex + " " + deployer.id() + " " + deployToken.id(),
        hex + " " + deployer.id() + " 3c90c3cc-0d44-4b50-8888-8dd25736052a");
    TokenIndex loaded = TokenIndex.load(index);
    assertEquals(0, loaded.size());
    assertTrue(loaded.problems().get(0).message().contains("also on line 1"));
    assertTrue(!loaded.problems().get(0).message().contains(hex), "the full digest is not echoed");
  }

  @Test
  void indexedWhenNoAdminCredentialThenRefusedAtBuild() {
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () ->
                PatGuard.builder()
                    .baseUrl(brms.baseUrl())
                    .lookup(LookupStrategy.indexed(index))
                    .build());
    assertTrue(e.getMessage().contains("admin credential"));
  }

  @Test
  void lookupStrategyParseWhenUnknownThenQuotesIt() {
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> LookupStrategy.parse("introspect"));
    assertEquals(
        "lookup strategy must be \"self\" or \"indexed:<index file>\", got \"introspect\"",
        e.getMessage());
    assertEquals("indexed", LookupStrategy.parse("indexed:/tmp/x.idx").name());
  }
}
