package dev.patguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patguard.decision.Decision;
import dev.patguard.decision.DenyReason;
import dev.patguard.decision.Requirement;
import dev.patguard.fakebrms.Endpoint;
import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.FakeUser;
import dev.patguard.fakebrms.Fault;
import dev.patguard.fakebrms.MintedToken;
import dev.patguard.fakebrms.MutableClock;
import dev.patguard.testing.InMemorySharedCache;
import dev.patguard.testing.LogCapture;
import dev.patguard.token.SecretDigest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Fleet mode's seam: two guards (replicas) sharing one in-memory second level and one BRMS. */
class SharedCacheTest {
  private static final Requirement DEPLOY_WEB = Requirement.parse("releases:deploy@web-shop");

  private final MutableClock clock = MutableClock.at("2026-11-29T12:00:00Z");
  private final InMemorySharedCache store = new InMemorySharedCache(clock.ticker());
  private FakeBrms brms;
  private FakeUser deployer;
  private MintedToken deployToken;

  @BeforeEach
  void start() {
    brms = FakeBrms.builder().clock(clock).start();
    deployer = brms.createUser(u -> u.email("deployer@acme.test").serviceAccount());
    deployToken =
        brms.mint(
            t ->
                t.owner(deployer)
                    .permissions("releases:deploy")
                    .projects("web-shop")
                    .expiresIn(Duration.ofDays(30)));
  }

  @AfterEach
  void stop() {
    brms.close();
  }

  private PatGuard replica() {
    return PatGuard.builder()
        .baseUrl(brms.baseUrl())
        .clock(clock)
        .ticker(clock.ticker())
        .requestTimeout(Duration.ofSeconds(10))
        .cacheTtl(Duration.ofSeconds(60))
        .negativeCacheTtl(Duration.ofSeconds(5))
        .sharedCache(store)
        .build();
  }

  private long selfCalls() {
    return brms.requestCount(Endpoint.SELF_LIST);
  }

  private static List<DenyReason> denyReasons(Decision d) {
    return assertInstanceOf(Decision.Deny.class, d).reasons();
  }

  @Test
  void decideWhenAnotherReplicaLookedTheTokenUpThenNoSecondBrmsCall() {
    try (PatGuard a = replica();
        PatGuard b = replica()) {
      assertTrue(a.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());
      assertEquals(1, selfCalls());
      assertEquals(1, store.puts());

      Decision onB = b.decideBlocking(deployToken.secret(), DEPLOY_WEB);

      assertTrue(onB.isPermit(), onB::toString);
      assertEquals(1, selfCalls(), "b must have read a's facts from the shared level");
      assertEquals(1, b.cacheStats().sharedHits());
      // The grant b compiled names the token by b's own fingerprint of the secret it was shown.
      assertEquals(SecretDigest.fingerprintOf(deployToken.secret()), onB.subject().fingerprint());
      assertEquals(deployToken.id(), onB.subject().tokenId());
      // Now in b's own cache: no further shared read.
      long reads = store.gets();
      assertTrue(b.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());
      assertEquals(reads, store.gets());
      assertEquals(1, b.cacheStats().hits());
    }
  }

  @Test
  void decideWhenSharedGrantIsReadLateThenItLivesOnlyWhatIsLeftOfTheWritersTtl() {
    try (PatGuard a = replica();
        PatGuard b = replica()) {
      assertTrue(a.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());
      assertEquals(
          Duration.ofSeconds(60), store.ttlOf(SecretDigest.of(deployToken.secret())).orElseThrow());
      clock.advance(Duration.ofSeconds(40));
      assertTrue(b.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());
      assertEquals(1, selfCalls());

      // 61 s after a's lookup: b's copy must be gone although b read it only 21 s ago.
      clock.advance(Duration.ofSeconds(21));
      assertTrue(b.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());
      assertEquals(2, selfCalls());
      assertEquals(0, b.cacheStats().hits());
    }
  }

  @Test
  void decideWhenAnotherReplicaWroteBetweenOurReadAndOurLockThenTheLockHolderLooksAgain() {
    try (PatGuard a = replica();
        PatGuard b = replica()) {
      assertTrue(a.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());
      assertEquals(1, selfCalls());
      // b's first read runs before a's write lands; a has released its lock by the time b asks.
      store.missNextReads(1);

      assertTrue(b.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());

      assertEquals(1, selfCalls(), "b found a's answer on its second look, holding the lock");
      assertEquals(1, b.cacheStats().sharedHits());
      assertEquals(1, b.cacheStats().sharedMisses(), "the second look is not a second miss");
    }
  }

  @Test
  void decideWhenTheStoreKeepsAnEntryPastItsTtlThenTheEntryIsNotServed() {
    store.mode(InMemorySharedCache.Mode.KEEPING_FOREVER);
    try (PatGuard a = replica();
        PatGuard b = replica()) {
      assertTrue(a.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());
      brms.revoke(deployToken.id());
      clock.advance(Duration.ofSeconds(61));

      Decision onB = b.decideBlocking(deployToken.secret(), DEPLOY_WEB);

      assertEquals(List.of(DenyReason.tokenInvalid()), denyReasons(onB));
      assertEquals(2, selfCalls());
      assertEquals(1, b.cacheStats().sharedMisses());
    }
  }

  @Test
  void decideWhenTheTokenExpiresBeforeTheTtlThenTheSharedEntryEndsWithIt() {
    MintedToken shortLived =
        brms.mint(
            t ->
                t.owner(deployer)
                    .permissions("releases:deploy")
                    .projects("web-shop")
                    .expiresIn(Duration.ofSeconds(10)));
    try (PatGuard a = replica();
        PatGuard b = replica()) {
      assertTrue(a.decideBlocking(shortLived.secret(), DEPLOY_WEB).isPermit());
      assertEquals(
          Duration.ofSeconds(10), store.ttlOf(SecretDigest.of(shortLived.secret())).orElseThrow());

      store.mode(InMemorySharedCache.Mode.KEEPING_FOREVER);
      clock.advance(Duration.ofSeconds(10));
      Decision onB = b.decideBlocking(shortLived.secret(), DEPLOY_WEB);
      assertFalse(onB.isPermit(), onB::toString);
    }
  }

  @Test
  void decideWhenAnotherReplicaFoundTheSecretRejectedThenTheRejectionIsSharedForTheNegativeTtl() {
    String random = "pat_not-a-token-at-all";
    try (PatGuard a = replica();
        PatGuard b = replica()) {
      assertEquals(
          List.of(DenyReason.tokenInvalid()), denyReasons(a.decideBlocking(random, DEPLOY_WEB)));
      assertEquals(1, selfCalls());
      SecretDigest digest = SecretDigest.of(random);
      assertEquals(Duration.ofSeconds(5), store.ttlOf(digest).orElseThrow());

      assertEquals(
          List.of(DenyReason.tokenInvalid()), denyReasons(b.decideBlocking(random, DEPLOY_WEB)));
      assertEquals(1, selfCalls());
      assertEquals(1, b.cacheStats().sharedHits());

      // b's copy ends with a's negative TTL, whatever the store does.
      store.mode(InMemorySharedCache.Mode.KEEPING_FOREVER);
      clock.advance(Duration.ofSeconds(5));
      denyReasons(b.decideBlocking(random, DEPLOY_WEB));
      assertEquals(2, selfCalls());
    }
  }

  @Test
  void decideWhenBrmsIsDownThenTheOutageIsNeverShared() {
    try (PatGuard a = replica();
        PatGuard b = replica()) {
      brms.inject(Endpoint.SELF_LIST, Fault.status(503), 3);
      assertInstanceOf(
          Decision.Indeterminate.class, a.decideBlocking(deployToken.secret(), DEPLOY_WEB));
      assertEquals(0, store.size());
      assertEquals(0, store.puts());

      brms.clearFaults();
      assertTrue(b.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());
      assertEquals(0, b.cacheStats().sharedHits());
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = InMemorySharedCache.Mode.class,
      names = {"THROWING", "FAILING", "HANGING"})
  void decideWhenTheSharedLevelFailsThenDecisionsComeFromBrmsAndAreNeverIndeterminate(
      InMemorySharedCache.Mode mode) {
    store.mode(mode);
    try (PatGuard a =
            PatGuard.builder()
                .baseUrl(brms.baseUrl())
                .clock(clock)
                .ticker(clock.ticker())
                .requestTimeout(Duration.ofSeconds(10))
                .sharedCache(store)
                .sharedCacheTimeout(Duration.ofMillis(50))
                .build();
        LogCapture log = LogCapture.start()) {
      assertTrue(a.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());
      String random = "pat_unknown";
      assertEquals(
          List.of(DenyReason.tokenInvalid()), denyReasons(a.decideBlocking(random, DEPLOY_WEB)));
      brms.revoke(deployToken.id());
      a.invalidate(deployToken.secret());
      assertEquals(
          List.of(DenyReason.tokenInvalid()),
          denyReasons(a.decideBlocking(deployToken.secret(), DEPLOY_WEB)));

      CacheStats stats = a.cacheStats();
      assertTrue(stats.sharedErrors() >= 3, stats::toString);
      assertEquals(0, stats.sharedHits());
      assertEquals(0, stats.outages());
      // Bounded: one warning for the lot, never the secret.
      long warnings =
          log.text().lines().filter(l -> l.contains("shared cache (in-memory)")).count();
      assertEquals(1, warnings, log.text());
      assertFalse(log.text().contains(deployToken.secret()));
    }
  }

  @Test
  void invalidateAsyncWhenTheSharedLevelFailsThenTheFutureFailsAndTheLocalCopyIsGone() {
    try (PatGuard a = replica()) {
      assertTrue(a.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());
      store.mode(InMemorySharedCache.Mode.FAILING);
      CompletionException e =
          assertThrows(
              CompletionException.class, () -> a.invalidateAsync(deployToken.secret()).join());
      assertInstanceOf(IllegalStateException.class, e.getCause());
      store.mode(InMemorySharedCache.Mode.WORKING);
      store.write(
          SecretDigest.of(deployToken.secret()),
          new byte[0]); // no stale shared copy to fall back on
      assertTrue(a.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());
      assertEquals(2, selfCalls());
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "not json",
        "[]",
        "{\"v\":2,\"kind\":\"known\",\"until\":9999999999999,\"tokens\":[]}",
        "{\"v\":1,\"kind\":\"known\",\"until\":9999999999999,\"tokens\":[]}",
        "{\"v\":1,\"kind\":\"known\",\"until\":9999999999999,\"tokens\":[{\"id\":\"x\"}]}",
        "{\"v\":1,\"kind\":\"known\",\"until\":\"soon\",\"tokens\":[]}",
        "{\"v\":1,\"kind\":\"granted\",\"until\":9999999999999}",
        "{\"v\":1,\"kind\":\"rejected\",\"until\":9999999999999,\"detail\":\"a\\u0000b\"}",
        "{\"v\":1,\"kind\":\"rejected\",\"until\":9999999999999,\"detail\":\"x\",\"extra\":1}"
      })
  void decideWhenTheSharedEntryIsGarbageThenItIsACountedMissAndBrmsDecides(String entry) {
    String random = "pat_never-issued";
    try (PatGuard a = replica()) {
      store.write(SecretDigest.of(random), entry.getBytes(StandardCharsets.UTF_8));
      store.write(SecretDigest.of(deployToken.secret()), entry.getBytes(StandardCharsets.UTF_8));

      assertEquals(
          List.of(DenyReason.tokenInvalid()), denyReasons(a.decideBlocking(random, DEPLOY_WEB)));
      assertTrue(a.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());

      assertEquals(2, selfCalls());
      assertEquals(2, a.cacheStats().sharedErrors());
      assertEquals(0, a.cacheStats().sharedHits());
    }
  }

  @Test
  void decideWhenAnEntryOfAnotherTokenIsMovedUnderThisKeyThenTheGrantStillNamesThisSecret() {
    // The in-memory store does not seal: this pins only what core guarantees by itself, that a
    // shared grant is compiled for the fingerprint of the secret presented, never one it carries.
    try (PatGuard a = replica();
        PatGuard b = replica()) {
      assertTrue(a.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());
      byte[] value = store.raw(SecretDigest.of(deployToken.secret())).orElseThrow();
      String other = "pat_other";
      store.write(SecretDigest.of(other), value);
      Decision moved = b.decideBlocking(other, DEPLOY_WEB);
      assertEquals(SecretDigest.fingerprintOf(other), moved.subject().fingerprint());
    }
  }

  @Test
  void invalidateWhenOneReplicaInvalidatesThenEveryReplicaAsksAgain() {
    try (PatGuard a = replica();
        PatGuard b = replica()) {
      assertTrue(a.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());
      assertTrue(b.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());
      assertTrue(b.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());
      assertEquals(1, selfCalls());

      brms.revoke(deployToken.id());
      a.invalidateAsync(deployToken.secret()).join();

      assertEquals(0, store.size());
      assertEquals(1, b.cacheStats().sharedInvalidations());
      assertEquals(
          List.of(DenyReason.tokenInvalid()),
          denyReasons(b.decideBlocking(deployToken.secret(), DEPLOY_WEB)));
      assertEquals(2, selfCalls());
      // b shared the rejection: a reads it rather than asking BRMS.
      assertEquals(
          List.of(DenyReason.tokenInvalid()),
          denyReasons(a.decideBlocking(deployToken.secret(), DEPLOY_WEB)));
      assertEquals(2, selfCalls());
    }
  }

  @Test
  void invalidateTokenWhenOneReplicaInvalidatesAnIdThenEveryReplicaAsksAgain() {
    try (PatGuard a = replica();
        PatGuard b = replica()) {
      assertTrue(a.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());
      assertTrue(b.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());
      assertEquals(1, selfCalls());
      assertEquals(java.util.Set.of(deployToken.id()), store.indexedTokenIds());

      brms.revoke(deployToken.id());
      a.invalidateTokenAsync(deployToken.id()).join();

      assertEquals(0, store.size());
      assertEquals(0, b.cacheStats().size());
      assertEquals(1, b.cacheStats().sharedInvalidations());
      assertEquals(
          List.of(DenyReason.tokenInvalid()),
          denyReasons(b.decideBlocking(deployToken.secret(), DEPLOY_WEB)));
      assertEquals(2, selfCalls());
    }
  }

  @Test
  void invalidateWhenALookupIsInFlightThenItsAnswerIsNeitherCachedNorShared() throws Exception {
    try (PatGuard a = replica();
        PatGuard b = replica()) {
      brms.inject(Endpoint.SELF_LIST, Fault.latency(Duration.ofMillis(300)), 1);
      java.util.concurrent.CompletableFuture<Decision> inFlight =
          a.decide(deployToken.secret(), DEPLOY_WEB);
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
      while (brms.inFlight(Endpoint.SELF_LIST) == 0 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertEquals(1, brms.inFlight(Endpoint.SELF_LIST), "a's lookup is in flight");
      // Revoked meanwhile: BRMS may have answered a from before the revocation.
      b.invalidateAsync(deployToken.secret()).join();

      assertTrue(inFlight.get(20, java.util.concurrent.TimeUnit.SECONDS).isPermit());
      assertEquals(0, a.cacheStats().size(), "not cached");
      assertEquals(0, store.puts(), "not shared");
      assertTrue(a.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());
      assertEquals(2, selfCalls(), "the next decision asks again");
    }
  }

  @Test
  void onResetWhenTheSharedLevelMayHaveLostInvalidationsThenEveryLocalEntryIsDropped() {
    try (PatGuard a = replica()) {
      assertTrue(a.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());
      assertEquals(1, a.cacheStats().size());
      // A revocation whose message this replica never got: the store lost the entry too.
      brms.revoke(deployToken.id());
      store.write(SecretDigest.of(deployToken.secret()), new byte[] {1});

      store.reset();

      assertEquals(0, a.cacheStats().size());
      assertEquals(1, a.cacheStats().sharedResets());
      assertEquals(
          List.of(DenyReason.tokenInvalid()),
          denyReasons(a.decideBlocking(deployToken.secret(), DEPLOY_WEB)));
    }
  }

  @Test
  void closeWhenTheGuardIsClosedThenItStopsListening() {
    PatGuard a = replica();
    assertEquals(1, store.subscribers());
    a.close();
    assertEquals(0, store.subscribers());
  }

  @Test
  void sharedEntriesWhenWrittenThenHoldNeitherTheSecretNorItsDigest() {
    try (PatGuard a = replica()) {
      assertTrue(a.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());
      denyReasons(a.decideBlocking("pat_random-secret-value", DEPLOY_WEB));
      assertEquals(2, store.size());
      for (byte[] value : store.values()) {
        String text = new String(value, StandardCharsets.UTF_8);
        assertFalse(text.contains(deployToken.secret()));
        assertFalse(text.contains("pat_random-secret-value"));
        assertFalse(text.contains(SecretDigest.of(deployToken.secret()).hex()));
        assertFalse(text.contains(SecretDigest.fingerprintOf("pat_random-secret-value")));
      }
    }
  }

  @Test
  void decideWhenReplicasMissTogetherThenOneAsksBrmsAndTheOthersReadItsAnswer() throws Exception {
    List<PatGuard> replicas = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < 6; i++) {
        replicas.add(
            PatGuard.builder()
                .baseUrl(brms.baseUrl())
                .clock(clock)
                .ticker(clock.ticker())
                .requestTimeout(Duration.ofSeconds(10))
                .sharedCache(store)
                .sharedLockWait(Duration.ofSeconds(5))
                .build());
      }
      // The one lookup is slow, so every replica misses both levels while it runs.
      brms.inject(Endpoint.SELF_LIST, Fault.latency(Duration.ofMillis(300)), 1);
      List<java.util.concurrent.CompletableFuture<Decision>> decisions =
          replicas.stream().map(g -> g.decide(deployToken.secret(), DEPLOY_WEB)).toList();
      for (var d : decisions) {
        assertTrue(d.get(20, java.util.concurrent.TimeUnit.SECONDS).isPermit());
      }
      assertEquals(1, selfCalls(), "one replica asked; five waited for its answer");
      assertEquals(5, replicas.stream().mapToLong(g -> g.cacheStats().sharedHits()).sum());
      assertFalse(store.isLocked(SecretDigest.of(deployToken.secret())), "released");
    } finally {
      replicas.forEach(PatGuard::close);
    }
  }

  @Test
  void decideWhenTheLockHolderDiedThenTheWaiterAsksBrmsItselfAfterTheLockWait() {
    store.holdLock(SecretDigest.of(deployToken.secret()));
    try (PatGuard a =
        PatGuard.builder()
            .baseUrl(brms.baseUrl())
            .clock(clock)
            .ticker(clock.ticker())
            .requestTimeout(Duration.ofSeconds(10))
            .sharedCache(store)
            .sharedLockWait(Duration.ofMillis(100))
            .build()) {
      long started = System.nanoTime();
      assertTrue(a.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      assertEquals(1, selfCalls());
      assertTrue(took.compareTo(Duration.ofMillis(80)) >= 0, "waited for the holder: " + took);
      assertEquals(1, store.puts(), "and shared its own answer");
    }
  }

  @Test
  void decideWhenLockWaitIsZeroThenNoLockIsTaken() {
    try (PatGuard a =
        PatGuard.builder()
            .baseUrl(brms.baseUrl())
            .sharedCache(store)
            .sharedLockWait(Duration.ZERO)
            .build()) {
      assertTrue(a.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());
      assertEquals(0, store.lockAttempts());
    }
  }

  @Test
  void buildWhenTheLockWaitIsNotShorterThanTheDecisionTimeoutThenTheBuilderSaysSo() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                PatGuard.builder()
                    .baseUrl(brms.baseUrl())
                    .sharedCache(store)
                    .decisionTimeout(Duration.ofSeconds(1))
                    .sharedLockWait(Duration.ofSeconds(1))
                    .build());
    assertEquals(
        "sharedLockWait (PT1S) must be shorter than the decision timeout (PT1S), or a guard"
            + " waiting for another's lookup would always time out",
        e.getMessage());
  }

  @Test
  void sharedCacheTimeoutWhenNotPositiveThenTheBuilderSaysSo() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> PatGuard.builder().sharedCacheTimeout(Duration.ZERO));
    assertEquals("sharedCacheTimeout must be positive, got PT0S", e.getMessage());
  }
}
