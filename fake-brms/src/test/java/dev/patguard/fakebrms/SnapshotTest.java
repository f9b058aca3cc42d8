package dev.patguard.fakebrms;

import static dev.patguard.fakebrms.Http.get;
import static dev.patguard.fakebrms.Http.json;
import static dev.patguard.fakebrms.Http.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SnapshotTest {

  private static final Instant START = Instant.parse("2026-11-29T12:00:00Z");
  private static final String SELF = "/api/personal-access-tokens";

  private final MutableClock clock = new MutableClock(START);
  private FakeBrms brms;
  private FakeUser admin;
  private MintedToken adminToken;

  @BeforeEach
  void start() {
    brms = FakeBrms.builder().clock(clock).start();
    admin = brms.createUser(u -> u.email("admin@acme.test").admin());
    adminToken = brms.mint(t -> t.owner(admin).neverExpires());
  }

  @AfterEach
  void stop() {
    brms.close();
  }

  private int self(MintedToken token) {
    return get(brms, SELF, token.secret()).statusCode();
  }

  @Test
  void restoreWhenTokensMintedRevokedAndExpiredSinceThenAsAtSnapshot() {
    FakeUser svc = brms.createUser(u -> u.email("ci@acme.test").serviceAccount());
    MintedToken revoked =
        brms.mint(t -> t.owner(svc).permissions("releases:deploy").projects("web-shop"));
    MintedToken expired = brms.mint(t -> t.owner(svc).expiresIn(Duration.ofDays(7)));
    FakeToken expiredBefore = brms.token(expired.id()).orElseThrow();
    FakeBrms.Snapshot snapshot = brms.snapshot();

    MintedToken minted = brms.mint(t -> t.owner(svc));
    brms.revoke(revoked.id());
    brms.expire(expired.id());
    brms.setOwnerStatus(svc.id(), "inactive");
    assertEquals(401, self(revoked));
    assertEquals(401, self(expired));
    brms.restore(snapshot);

    assertEquals(200, self(revoked));
    assertEquals(200, self(expired));
    assertEquals(401, self(minted), "a token minted after the snapshot is gone");
    assertEquals(expiredBefore, brms.token(expired.id()).orElseThrow());
    assertTrue(brms.token(minted.id()).isEmpty());
    assertEquals(
        List.of(revoked.id(), expired.id()),
        brms.tokensOf(svc.id()).stream().map(FakeToken::id).toList());
    assertEquals("active", brms.user(svc.id()).orElseThrow().status());
  }

  @Test
  void restoreWhenTokensCreatedRegeneratedAndDeletedOverHttpThenUndone() {
    FakeUser svc = brms.createUser(u -> u.serviceAccount());
    MintedToken rotating =
        brms.mint(
            t -> t.owner(svc).note("rotating").permissions("releases:deploy").projects("web-shop"));
    MintedToken deleted = brms.mint(t -> t.owner(svc).note("deleted"));
    FakeBrms.Snapshot snapshot = brms.snapshot();
    String tokens = "/api/users/service/" + svc.id() + "/personal-access-tokens";

    String created =
        json(post(
                brms,
                tokens,
                adminToken.secret(),
                "{\"note\":\"ci\",\"expiry\":\"week\",\"permissions\":[]}"))
            .get("token")
            .asText();
    String renewed =
        json(post(
                brms,
                tokens + "/" + rotating.id() + "/regenerate",
                adminToken.secret(),
                "{\"expiry\":\"week\"}"))
            .get("token")
            .asText();
    assertEquals(200, Http.delete(brms, SELF + "/" + deleted.id(), deleted.secret()).statusCode());
    assertEquals(
        200,
        post(
                brms,
                "/api/projects/web-shop/releases/deploy",
                renewed,
                "{\"releaseId\":\"r1\",\"environmentId\":\"prod\",\"comment\":\"go\"}")
            .statusCode());
    assertEquals(1, brms.deployments().size());
    brms.restore(snapshot);

    assertEquals(401, get(brms, SELF, created).statusCode());
    assertEquals(401, get(brms, SELF, renewed).statusCode());
    assertEquals(200, self(rotating), "the secret before regeneration works again");
    assertEquals(200, self(deleted));
    assertEquals(
        List.of(rotating.id(), deleted.id()),
        brms.tokensOf(svc.id()).stream().map(FakeToken::id).toList());
    assertEquals(List.of(), brms.deployments());
  }

  @Test
  void restoreWhenUsersAndProjectsAddedSinceThenGoneAndTheirNamesFree() {
    brms.createProject("web-shop", "Web shop");
    FakeUser generated = brms.createUser(u -> u.serviceAccount());
    FakeBrms.Snapshot snapshot = brms.snapshot();

    FakeUser later = brms.createUser(u -> u.email("later@acme.test"));
    FakeUser generatedLater = brms.createUser(u -> u.serviceAccount());
    brms.createProject("docs-site", "Docs");
    brms.mint(t -> t.projects("shop-admin"));
    brms.restore(snapshot);

    assertEquals(List.of("web-shop"), brms.projects().stream().map(FakeProject::key).toList());
    assertEquals(List.of(admin, generated), brms.users());
    assertTrue(brms.user(later.id()).isEmpty());
    assertEquals("later@acme.test", brms.createUser(u -> u.email("later@acme.test")).email());
    assertEquals(
        generatedLater.email(),
        brms.createUser(u -> u.serviceAccount()).email(),
        "generated emails count on from the snapshot");
    assertEquals("docs-site", brms.createProject("docs-site", "Docs").key());
    assertTrue(brms.project("web-shop").isPresent());
  }

  @Test
  void restoreWhenFaultsInjectedAndUsedSinceThenTheSnapshotsFaultsAreBack() {
    MintedToken t = brms.mint();
    brms.inject(Endpoint.SELF_LIST, Fault.status(503), 2);
    assertEquals(503, self(t));
    FakeBrms.Snapshot snapshot = brms.snapshot();

    assertEquals(503, self(t));
    assertEquals(200, self(t));
    brms.inject(Endpoint.SERVICE_LIST, Fault.status(500));
    brms.inject(Endpoint.SELF_LIST, Fault.status(429));
    brms.restore(snapshot);

    assertEquals(503, self(t), "the one faulted request left at the snapshot");
    assertEquals(200, self(t));
    assertEquals(
        404,
        get(
                brms,
                "/api/users/service/" + UUID.randomUUID() + "/personal-access-tokens",
                adminToken.secret())
            .statusCode(),
        "no fault injected after the snapshot");
  }

  @Test
  void restoreWhenRandomFaultThenTheSameSequenceFollowsAgain() {
    MintedToken t = brms.mint();
    brms.inject(Endpoint.SELF_LIST, Fault.randomly(0.5, 7L, Fault.status(500), Fault.status(503)));
    for (int i = 0; i < 5; i++) {
      self(t);
    }
    FakeBrms.Snapshot snapshot = brms.snapshot();
    List<List<Integer>> runs = new ArrayList<>();
    for (int run = 0; run < 3; run++) {
      if (run > 0) {
        brms.restore(snapshot);
      }
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        statuses.add(self(t));
      }
      runs.add(statuses);
    }
    brms.clearFaults();
    brms.inject(Endpoint.SELF_LIST, Fault.randomly(0.5, 7L, Fault.status(500), Fault.status(503)));
    List<Integer> fromTheSeed = new ArrayList<>();
    for (int i = 0; i < 35; i++) {
      fromTheSeed.add(self(t));
    }

    assertEquals(
        fromTheSeed.subList(5, 35), runs.get(0), "what followed the snapshot the first time");
    assertEquals(runs.get(0), runs.get(1), "and after a restore");
    assertEquals(runs.get(0), runs.get(2), "and after another");
    assertTrue(
        runs.get(0).contains(200) && (runs.get(0).contains(500) || runs.get(0).contains(503)),
        runs.toString());
    assertFalse(
        fromTheSeed.subList(0, 30).equals(runs.get(0)), "a restore does not start the seed over");
  }

  @Test
  void restoreWhenRestoredTwiceThenTheSnapshotItselfNeverChanged() {
    MintedToken kept = brms.mint();
    FakeBrms.Snapshot snapshot = brms.snapshot();
    brms.revoke(kept.id());
    brms.restore(snapshot);
    MintedToken minted = brms.mint();
    brms.revoke(kept.id());
    brms.inject(Endpoint.SELF_LIST, Fault.status(503));

    brms.restore(snapshot);

    assertEquals(200, self(kept));
    assertEquals(401, self(minted));
  }

  @Test
  void restoreWhenCountersAndClockMovedThenBothLeftAlone() {
    MintedToken t = brms.mint(s -> s.expiresIn(Duration.ofDays(1)));
    FakeBrms.Snapshot snapshot = brms.snapshot();
    self(t);
    clock.advance(Duration.ofDays(2));

    brms.restore(snapshot);

    assertEquals(1, brms.requestCount(Endpoint.SELF_LIST));
    assertEquals(START.plus(Duration.ofDays(2)), brms.clock().instant());
    assertEquals(401, self(t), "expired on the caller's clock");
  }

  @Test
  void restoreWhenSnapshotOfAnotherFakeThenRejected() {
    try (FakeBrms other = FakeBrms.start()) {
      FakeBrms.Snapshot theirs = other.snapshot();

      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> brms.restore(theirs));
      assertTrue(e.getMessage().contains("was taken of another fake"), e.getMessage());
    }
    assertThrows(NullPointerException.class, () -> brms.restore(null));
  }

  @Test
  void snapshotToStringWhenTokensThenCountsAndNeverASecret() {
    MintedToken t = brms.mint(s -> s.secret("snapshot-secret-1234"));
    brms.inject(Endpoint.SELF_LIST, Fault.status(503), 1);

    String text = brms.snapshot().toString();

    assertEquals("FakeBrms.Snapshot[0 projects, 2 users, 2 tokens, 0 deployments, 1 faults]", text);
    assertFalse(text.contains(t.secret()));
  }
}
