package dev.patguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import dev.patguard.spi.SharedTokenCache;
import dev.patguard.testing.InMemorySharedCache;
import dev.patguard.token.SecretDigest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code PatGuard.invalidateToken}: dropping what a guard knows about one BRMS token id. */
class InvalidateTokenTest {
  private static final Requirement DEPLOY_WEB = Requirement.parse("releases:deploy@web-shop");

  private final MutableClock clock = MutableClock.at("2026-11-29T12:00:00Z");
  private FakeBrms brms;
  private FakeUser deployer;
  private MintedToken deployToken;
  private MintedToken otherOwnersToken;

  @BeforeEach
  void start() {
    brms = FakeBrms.builder().clock(clock).start();
    deployer = brms.createUser(u -> u.email("deployer@acme.test").serviceAccount());
    deployToken =
        brms.mint(t -> t.owner(deployer).permissions("releases:deploy").projects("web-shop"));
    FakeUser other = brms.createUser(u -> u.email("other@acme.test").serviceAccount());
    otherOwnersToken =
        brms.mint(t -> t.owner(other).permissions("releases:deploy").projects("web-shop"));
  }

  @AfterEach
  void stop() {
    brms.close();
  }

  private PatGuard.Builder guard() {
    return PatGuard.builder()
        .baseUrl(brms.baseUrl())
        .clock(clock)
        .ticker(clock.ticker())
        .requestTimeout(Duration.ofSeconds(10));
  }

  private long selfCalls() {
    return brms.requestCount(Endpoint.SELF_LIST);
  }

  private static List<DenyReason> denyReasons(Decision d) {
    return assertInstanceOf(Decision.Deny.class, d, d::explain).reasons();
  }

  @Test
  void invalidateTokenWhenNoSharedLevelThenOnlyTheGrantsNamingTheIdAreDropped() {
    try (PatGuard guard = guard().build()) {
      String random = "pat_random-" + UUID.randomUUID();
      assertTrue(guard.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());
      assertTrue(guard.decideBlocking(otherOwnersToken.secret(), DEPLOY_WEB).isPermit());
      denyReasons(guard.decideBlocking(random, DEPLOY_WEB));
      assertEquals(3, selfCalls());

      brms.revoke(deployToken.id());
      guard.invalidateTokenAsync(deployToken.id()).join();

      assertEquals(1, guard.cacheStats().size(), "the other owner's grant stays");
      assertEquals(
          List.of(DenyReason.tokenInvalid()),
          denyReasons(guard.decideBlocking(deployToken.secret(), DEPLOY_WEB)));
      assertEquals(4, selfCalls(), "the invalidated token asks BRMS again");
      assertTrue(guard.decideBlocking(otherOwnersToken.secret(), DEPLOY_WEB).isPermit());
      denyReasons(guard.decideBlocking(random, DEPLOY_WEB));
      assertEquals(4, selfCalls(), "the other grant and the rejection still come from the cache");
    }
  }

  @Test
  void invalidateTokenWhenTheGrantIsAmbiguousThenAnyCandidatesIdDropsIt() {
    MintedToken second =
        brms.mint(t -> t.owner(deployer).permissions("releases:deploy").projects("web-shop"));
    try (PatGuard guard = guard().build()) {
      Decision d = guard.decideBlocking(deployToken.secret(), DEPLOY_WEB);
      assertTrue(d.isPermit(), d::explain);
      assertEquals(null, d.subject().tokenId(), "ambiguous: no single token id");
      assertEquals(1, guard.cacheStats().size());

      // The id of the other candidate, not of the presented token: the grant rests on both.
      guard.invalidateToken(second.id());

      assertEquals(0, guard.cacheStats().size());
      assertTrue(guard.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());
      assertEquals(2, selfCalls());
    }
  }

  @Test
  void invalidateTokenWhenAnIdNobodyNamesThenNothingIsDropped() {
    try (PatGuard guard = guard().build()) {
      assertTrue(guard.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());

      guard.invalidateTokenAsync(UUID.randomUUID()).join();

      assertTrue(guard.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());
      assertEquals(1, selfCalls());
    }
  }

  @Test
  void invalidateTokenWhenALookupIsInFlightThenItsAnswerIsNotCached() throws Exception {
    try (PatGuard guard = guard().build()) {
      brms.inject(Endpoint.SELF_LIST, Fault.latency(Duration.ofMillis(300)), 1);
      CompletableFuture<Decision> inFlight = guard.decide(deployToken.secret(), DEPLOY_WEB);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (brms.inFlight(Endpoint.SELF_LIST) == 0 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertEquals(1, brms.inFlight(Endpoint.SELF_LIST), "the lookup is in flight");

      guard.invalidateToken(deployToken.id());

      assertTrue(inFlight.get(20, TimeUnit.SECONDS).isPermit());
      assertEquals(0, guard.cacheStats().size(), "BRMS may have answered from before");
      assertTrue(guard.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());
      assertEquals(2, selfCalls());
    }
  }

  @Test
  void invalidateTokenWhenTheSharedLevelCannotThenTheFutureSaysSoAndTheLocalCopyIsGone() {
    // A shared level written before token ids existed: it overrides none of the new defaults.
    InMemorySharedCache store = new InMemorySharedCache(clock.ticker());
    SharedTokenCache legacy =
        new SharedTokenCache() {
          @Override
          public CompletableFuture<Optional<byte[]>> get(SecretDigest digest) {
            return store.get(digest);
          }

          @Override
          public CompletableFuture<Void> put(SecretDigest digest, byte[] value, Duration ttl) {
            return store.put(digest, value, ttl);
          }

          @Override
          public CompletableFuture<Void> invalidate(SecretDigest digest) {
            return store.invalidate(digest);
          }

          @Override
          public Subscription subscribe(Listener listener) {
            return store.subscribe(listener);
          }

          @Override
          public String name() {
            return "legacy";
          }
        };
    try (PatGuard guard = guard().sharedCache(legacy).build()) {
      assertTrue(guard.decideBlocking(deployToken.secret(), DEPLOY_WEB).isPermit());

      CompletionException e =
          assertThrows(
              CompletionException.class, () -> guard.invalidateTokenAsync(deployToken.id()).join());

      UnsupportedOperationException cause =
          assertInstanceOf(UnsupportedOperationException.class, e.getCause());
      assertTrue(cause.getMessage().contains("legacy"), cause::getMessage);
      assertEquals(0, guard.cacheStats().size());
      assertEquals(1, guard.cacheStats().sharedErrors());
    }
  }

  @Test
  void onTokenInvalidatedWhenAListenerDoesNotOverrideItThenItResets() {
    AtomicInteger resets = new AtomicInteger();
    SharedTokenCache.Listener old =
        new SharedTokenCache.Listener() {
          @Override
          public void onInvalidated(SecretDigest digest) {}

          @Override
          public void onReset() {
            resets.incrementAndGet();
          }
        };

    old.onTokenInvalidated(UUID.randomUUID());

    assertEquals(1, resets.get(), "dropping everything is never wrong");
  }
}
