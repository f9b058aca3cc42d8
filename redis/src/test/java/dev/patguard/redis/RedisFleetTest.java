package dev.patguard.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.patguard.CacheStats;
import dev.patguard.PatGuard;
import dev.patguard.decision.Decision;
import dev.patguard.decision.DenyReason;
import dev.patguard.decision.Requirement;
import dev.patguard.fakebrms.Endpoint;
import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.FakeUser;
import dev.patguard.fakebrms.MintedToken;
import dev.patguard.fakebrms.MutableClock;
import dev.patguard.redis.testing.RedisProcess;
import dev.patguard.token.PersonalAccessToken;
import dev.patguard.token.SecretDigest;
import dev.patguard.token.TokenJson;
import dev.patguard.token.TokenOwner;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several replicas (each a {@link PatGuard} with its own {@link RedisSharedCache}) sharing one real
 * redis-server and one fake-brms. Time for the guards is a {@link MutableClock}; only pub/sub
 * delivery and reconnection are awaited, by polling an observable condition with a deadline.
 */
class RedisFleetTest {
  private static final Requirement DEPLOY_WEB = Requirement.parse("releases:deploy@web-shop");
  private static final Duration DEADLINE = Duration.ofSeconds(15);

  static final FleetKey K1 = FleetKey.of("k1", bytes(1));
  static final FleetKey K2 = FleetKey.of("k2", bytes(2));
  static final FleetKey FOREIGN_K1 = FleetKey.of("k1", bytes(3));

  private final MutableClock clock = MutableClock.at("2026-11-29T12:00:00Z");
  private final List<AutoCloseable> open = new ArrayList<>();
  private RedisProcess redis;
  private FakeBrms brms;
  private MintedToken deployToken;
  private RedisClient rawClient;
  private StatefulRedisConnection<byte[], byte[]> raw;

  static byte[] bytes(int seed) {
    byte[] b = new byte[32];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (seed * 31 + i * 7);
    }
    return b;
  }

  @BeforeEach
  void start() {
    redis = RedisProcess.start(null);
    brms = FakeBrms.builder().clock(clock).start();
    FakeUser deployer = brms.createUser(u -> u.email("deployer@acme.test").serviceAccount());
    deployToken =
        brms.mint(
            t ->
                t.owner(deployer)
                    .permissions("releases:deploy")
                    .projects("web-shop")
                    .expiresIn(Duration.ofDays(30)));
    rawClient = RedisClient.create(redis.uri());
    raw = rawClient.connect(ByteArrayCodec.INSTANCE);
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    raw.close();
    rawClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    brms.close();
    redis.close();
  }

  /** One replica: its own connection to Redis and its own guard. */
  record Replica(PatGuard guard, RedisSharedCache fleet) implements AutoCloseable {
    Decision decide(String secret) {
      return guard.decideBlocking(secret, DEPLOY_WEB);
    }

    CacheStats stats() {
      return guard.cacheStats();
    }

    @Override
    public void close() {
      guard.close();
      fleet.close();
    }
  }

  private RedisSharedCache.Builder fleet(Supplier<FleetKeys> keys) {
    return RedisSharedCache.builder()
        .uri(redis.uri())
        .fleetKeys(keys)
        .reconnectDelay(Duration.ofMillis(50))
        .ticker(clock.ticker());
  }

  private Replica replica(RedisSharedCache.Builder fleetBuilder, boolean awaitSubscribed) {
    RedisSharedCache fleet = fleetBuilder.build();
    PatGuard guard =
        PatGuard.builder()
            .baseUrl(brms.baseUrl())
            .clock(clock)
            .ticker(clock.ticker())
            .requestTimeout(Duration.ofSeconds(10))
            .cacheTtl(Duration.ofSeconds(60))
            .negativeCacheTtl(Duration.ofSeconds(5))
            .sharedCache(fleet)
            .build();
    Replica r = new Replica(guard, fleet);
    open.add(r);
    if (awaitSubscribed) {
      // The guard subscribed when it was built; once confirmed, the confirmation's reset is done
      // and drops nothing a test caches afterwards.
      await("subscribed", () -> fleet.isSubscribed() && fleet.isConnected());
    }
    return r;
  }

  private Replica replica(FleetKey current, FleetKey... older) {
    FleetKeys keys = FleetKeys.of(current, older);
    return replica(fleet(() -> keys), true);
  }

  private Replica replica() {
    return replica(K1);
  }

  static void await(String what, BooleanSupplier condition) {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - end > 0) {
        throw new AssertionError("not " + what + " within " + DEADLINE);
      }
      Thread.onSpinWait();
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** Waits for an asynchronous write to reach Redis (a guard answers before its write lands). */
  private void awaitEntry(FleetKey key, String secret) {
    byte[] name = redisKey(key, secret);
    await("entry written", () -> redisCommands().exists(name) == 1);
  }

  private void awaitEntry(String secret) {
    awaitEntry(K1, secret);
  }

  private long selfCalls() {
    return brms.requestCount(Endpoint.SELF_LIST);
  }

  private RedisCommands<byte[], byte[]> redisCommands() {
    return raw.sync();
  }

  private List<byte[]> keys() {
    return redisCommands().keys("*");
  }

  /** The entries only: no locks ({@code l:}) or invalidation holds ({@code x:}). */
  private List<byte[]> entryKeys() {
    return redisCommands().keys("patguard:t:*");
  }

  static byte[] redisKey(FleetKey key, String secret) {
    String mac =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(key.mac(SecretDigest.of(secret).toBytes()));
    return ("patguard:t:" + key.id() + ":{" + mac + "}").getBytes(StandardCharsets.UTF_8);
  }

  private static List<DenyReason> denyReasons(Decision d) {
    return assertInstanceOf(Decision.Deny.class, d, d::explain).reasons();
  }

  @Test
  void decideWhenOneReplicaLookedTheTokenUpThenTheOthersDoNotAskBrms() {
    Replica a = replica();
    Replica b = replica();
    Replica c = replica();

    assertTrue(a.decide(deployToken.secret()).isPermit());
    awaitEntry(deployToken.secret());
    assertTrue(b.decide(deployToken.secret()).isPermit());
    assertTrue(c.decide(deployToken.secret()).isPermit());

    assertEquals(1, selfCalls());
    assertEquals(1, b.stats().sharedHits());
    assertEquals(1, c.stats().sharedHits());
    await("one entry and its token id's index, the lock released", () -> keys().size() == 2);
  }

  @Test
  void putWhenAGrantIsSharedThenRedisKeepsItNoLongerThanTheTtlOrTheTokensExpiry() {
    Replica a = replica();
    // Another owner: the self lookup of one owner's two tokens would be ambiguous, and an
    // ambiguous grant expires with its earliest candidate.
    FakeUser other = brms.createUser(u -> u.email("other@acme.test").serviceAccount());
    MintedToken shortLived =
        brms.mint(
            t ->
                t.owner(other)
                    .permissions("releases:deploy")
                    .projects("web-shop")
                    .expiresIn(Duration.ofSeconds(10)));
    assertTrue(a.decide(deployToken.secret()).isPermit());
    assertTrue(a.decide(shortLived.secret()).isPermit());
    awaitEntry(deployToken.secret());
    awaitEntry(shortLived.secret());

    long ttl = redisCommands().pttl(redisKey(K1, deployToken.secret()));
    assertTrue(ttl > 50_000 && ttl <= 60_000, "PTTL " + ttl);
    long shortTtl = redisCommands().pttl(redisKey(K1, shortLived.secret()));
    assertTrue(shortTtl > 5_000 && shortTtl <= 10_000, "PTTL " + shortTtl);
  }

  @Test
  void decideWhenTheSharedEntryIsOlderThanTheTtlByTheGuardsClockThenItIsNotServed() {
    Replica a = replica();
    Replica b = replica();
    assertTrue(a.decide(deployToken.secret()).isPermit());
    awaitEntry(deployToken.secret());
    brms.revoke(deployToken.id());
    // Redis still holds the entry (its own clock has not moved), but its sealed validity has ended.
    clock.advance(Duration.ofSeconds(61));
    await("the lock released", () -> keys().size() == 2);

    assertEquals(List.of(DenyReason.tokenInvalid()), denyReasons(b.decide(deployToken.secret())));
    assertEquals(2, selfCalls());
    assertEquals(0, b.stats().sharedHits());
  }

  @Test
  void decideWhenAnotherReplicaFoundTheSecretRejectedThenTheRejectionIsSharedBriefly() {
    Replica a = replica();
    Replica b = replica();
    String random = "pat_random-" + UUID.randomUUID();

    assertEquals(List.of(DenyReason.tokenInvalid()), denyReasons(a.decide(random)));
    awaitEntry(random);
    long ttl = redisCommands().pttl(redisKey(K1, random));
    assertTrue(ttl > 0 && ttl <= 5_000, "PTTL " + ttl);
    assertEquals(List.of(DenyReason.tokenInvalid()), denyReasons(b.decide(random)));

    assertEquals(1, selfCalls());
    assertEquals(1, b.stats().sharedHits());
  }

  @Test
  void invalidateWhenOneReplicaInvalidatesThenEveryReplicaDropsTheToken() {
    Replica a = replica();
    Replica b = replica();
    Replica c = replica();
    for (Replica r : List.of(a, b, c)) {
      assertTrue(r.decide(deployToken.secret()).isPermit());
      assertTrue(r.decide(deployToken.secret()).isPermit());
      awaitEntry(deployToken.secret());
    }
    assertEquals(1, selfCalls());

    brms.revoke(deployToken.id());
    a.guard().invalidateAsync(deployToken.secret()).join();

    await(
        "the shared entry deleted",
        () -> redisCommands().exists(redisKey(K1, deployToken.secret())) == 0);
    for (Replica r : List.of(a, b, c)) {
      await("invalidated", () -> r.stats().sharedInvalidations() >= 1);
      assertEquals(0, r.stats().size());
    }
    assertEquals(List.of(DenyReason.tokenInvalid()), denyReasons(b.decide(deployToken.secret())));
    assertEquals(List.of(DenyReason.tokenInvalid()), denyReasons(c.decide(deployToken.secret())));
    assertEquals(List.of(DenyReason.tokenInvalid()), denyReasons(a.decide(deployToken.secret())));
    // While the invalidation's hold lasts nobody writes the secret's entry: each asks BRMS.
    assertEquals(4, selfCalls());
  }

  @Test
  void invalidateWhenALookupFromBeforeTheRevocationWritesLateThenRedisRefusesIt() {
    Replica a = replica();
    Replica b = replica();
    // b's lookup of a still-valid token stands for one that BRMS answered just before the
    // revocation and whose write reaches Redis just after a's invalidation.
    a.guard().invalidateAsync(deployToken.secret()).join();
    assertTrue(b.decide(deployToken.secret()).isPermit());
    // b's next write goes down the same connection after the first: once it has landed, so has
    // (or has been refused) the first.
    MintedToken other =
        brms.mint(
            t ->
                t.owner(brms.createUser(u -> u.email("o@acme.test")))
                    .permissions("releases:deploy")
                    .projects("web-shop"));
    assertTrue(b.decide(other.secret()).isPermit());
    awaitEntry(other.secret());

    assertEquals(0, redisCommands().exists(redisKey(K1, deployToken.secret())));
    byte[] hold = redisKey(K1, deployToken.secret());
    hold[9] = 'x'; // patguard:x:k1:{...}
    long ttl = redisCommands().pttl(hold);
    assertTrue(ttl > 0 && ttl <= 10_000, "the hold lasts the default 10 s: PTTL " + ttl);
  }

  @Test
  void reconnectWhenRedisWasDownForSecondsThenTheReplicaIsBackWithinAboutTheReconnectDelay()
      throws Exception {
    Replica a = replica(); // reconnectDelay 50 ms
    assertTrue(a.decide(deployToken.secret()).isPermit());
    redis.kill();
    // Lettuce's own back-off would by now wait seconds between attempts (1 ms doubling to 30 s).
    // The outage is real time, since it is Lettuce's clock: decisions go on from BRMS meanwhile.
    long outageEnd = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (System.nanoTime() - outageEnd < 0) {
      MintedToken t =
          brms.mint(
              s ->
                  s.owner(brms.user(deployToken.userId()).orElseThrow())
                      .permissions("releases:deploy")
                      .projects("web-shop"));
      assertTrue(a.decide(t.secret()).isPermit(), "decisions go on while Redis is down");
      assertFalse(a.fleet().isSubscribed());
      Thread.sleep(500);
    }
    redis.start();
    long restarted = System.nanoTime();

    await("subscribed again", () -> a.fleet().isConnected() && a.fleet().isSubscribed());

    Duration back = Duration.ofNanos(System.nanoTime() - restarted);
    assertTrue(
        back.compareTo(Duration.ofMillis(2_000)) < 0,
        "back on the shared level " + back.toMillis() + " ms after Redis, with a 50 ms delay");
  }

  @Test
  void reconnectWhenRedisRestartedAndAnInvalidationWasLostThenReplicasDropWhatTheyHeld() {
    Replica a = replica();
    Replica b = replica();
    assertTrue(a.decide(deployToken.secret()).isPermit());
    assertTrue(b.decide(deployToken.secret()).isPermit());
    long resetsBefore = b.stats().sharedResets();

    redis.kill();
    // Revoked while Redis is down: the broadcast cannot be sent.
    brms.revoke(deployToken.id());
    CompletionException lost =
        assertThrows(
            CompletionException.class,
            () -> a.guard().invalidateAsync(deployToken.secret()).join());
    assertTrue(lost.getCause() instanceof RuntimeException, lost::toString);
    redis.start();

    await("b resubscribed", () -> b.stats().sharedResets() > resetsBefore);
    CacheStats afterReset = b.stats();
    assertEquals(0, afterReset.size(), () -> "b dropped what it held: " + afterReset);
    assertEquals(List.of(DenyReason.tokenInvalid()), denyReasons(b.decide(deployToken.secret())));
    await("a reconnected", () -> a.fleet().isConnected() && a.fleet().isSubscribed());
    // Sharing works again after the restart.
    MintedToken fresh =
        brms.mint(
            t ->
                t.owner(brms.user(deployToken.userId()).orElseThrow())
                    .permissions("releases:deploy")
                    .projects("web-shop"));
    long calls = selfCalls();
    await("b reconnected", () -> b.fleet().isConnected());
    assertTrue(b.decide(fresh.secret()).isPermit());
    awaitEntry(fresh.secret());
    assertTrue(a.decide(fresh.secret()).isPermit());
    assertEquals(calls + 1, selfCalls());
  }

  @Test
  void decideWhenAValueIsGarbledThenItIsACountedMissAndBrmsDecides() {
    Replica a = replica();
    Replica b = replica();
    assertTrue(a.decide(deployToken.secret()).isPermit());
    awaitEntry(deployToken.secret());
    byte[] key = redisKey(K1, deployToken.secret());
    byte[] value = redisCommands().get(key);
    value[value.length / 2] ^= 1;
    redisCommands().set(key, value);

    assertTrue(b.decide(deployToken.secret()).isPermit());
    assertEquals(2, selfCalls());
    assertEquals(1, b.stats().sharedErrors());
    assertEquals(0, b.stats().sharedHits());
  }

  @Test
  void decideWhenAGrantIsMovedUnderARejectedSecretsKeyThenTheSecretIsStillDenied() {
    Replica a = replica();
    Replica b = replica();
    String random = "pat_random-" + UUID.randomUUID();
    assertTrue(a.decide(deployToken.secret()).isPermit());
    awaitEntry(deployToken.secret());
    byte[] grant = redisCommands().get(redisKey(K1, deployToken.secret()));
    redisCommands().set(redisKey(K1, random), grant);

    assertEquals(List.of(DenyReason.tokenInvalid()), denyReasons(b.decide(random)));
    assertEquals(1, b.stats().sharedErrors());
  }

  @Test
  void decideWhenAnEntryIsSealedWithAForeignKeyOfTheSameIdThenItIsAMiss() {
    Replica ours = replica();
    Replica foreign = replica(FOREIGN_K1);
    String random = "pat_random-" + UUID.randomUUID();
    assertTrue(foreign.decide(deployToken.secret()).isPermit());
    awaitEntry(FOREIGN_K1, deployToken.secret());
    // The foreign fleet names entries by its own HMAC: find its one entry and move its value (its
    // coalescing lock, released asynchronously, may still be there beside it).
    List<byte[]> foreignKeys = entryKeys();
    assertEquals(1, foreignKeys.size());
    byte[] sealedByForeigner = redisCommands().get(foreignKeys.get(0));
    redisCommands().set(redisKey(K1, random), sealedByForeigner);
    redisCommands().set(redisKey(K1, deployToken.secret()), sealedByForeigner);

    assertEquals(List.of(DenyReason.tokenInvalid()), denyReasons(ours.decide(random)));
    assertTrue(ours.decide(deployToken.secret()).isPermit());
    assertEquals(2, ours.stats().sharedErrors());
    assertEquals(0, ours.stats().sharedHits());
  }

  @Test
  void decideWhenSomeoneWritesAPlainGrantStraightIntoRedisThenItIsNeverAPermit() {
    Replica a = replica();
    String random = "pat_random-" + UUID.randomUUID();
    // Core's own entry format, unsealed, granting everything: what a writer without the key
    // would try.
    PersonalAccessToken forged =
        new PersonalAccessToken(
            UUID.randomUUID(),
            "forged",
            List.of("owner"),
            true,
            List.of(),
            TokenOwner.of(UUID.randomUUID(), "mallory@evil.test", "active"),
            null,
            null,
            null);
    ObjectNode entry = JsonNodeFactory.instance.objectNode();
    entry.put("v", 1);
    entry.put("kind", "known");
    entry.put("until", Instant.parse("2030-01-01T00:00:00Z").toEpochMilli());
    entry.putArray("tokens").add(TokenJson.toTree(forged));
    byte[] plain = entry.toString().getBytes(StandardCharsets.UTF_8);
    redisCommands().set(redisKey(K1, random), plain);
    // And the same with a made-up seal.
    byte[] fakeSeal = new byte[plain.length + 29];
    fakeSeal[0] = 1;
    System.arraycopy(plain, 0, fakeSeal, 13, plain.length);
    redisCommands().set(redisKey(K2, random), fakeSeal);
    Replica rotated = replica(K2, K1);

    // rotated reads both and opens neither; it then shares BRMS's rejection under k2 only.
    assertEquals(List.of(DenyReason.tokenInvalid()), denyReasons(rotated.decide(random)));
    assertEquals(1, rotated.stats().sharedErrors());
    await("k2 rejection written", () -> redisCommands().exists(redisKey(K2, random)) == 1);
    await(
        "forged k2 entry replaced",
        () -> redisCommands().get(redisKey(K2, random)).length != fakeSeal.length);
    assertEquals(List.of(DenyReason.tokenInvalid()), denyReasons(a.decide(random)));
    assertEquals(1, a.stats().sharedErrors());
    assertEquals(2, selfCalls());
  }

  @Test
  void decideWhenRedisIsKilledThenDecisionsGoOnFromTheLocalCacheAndBrms() {
    Replica a = replica();
    assertTrue(a.decide(deployToken.secret()).isPermit());
    redis.kill();
    await("disconnected", () -> !a.fleet().isConnected());

    assertTrue(a.decide(deployToken.secret()).isPermit(), "from the local cache");
    MintedToken other =
        brms.mint(
            t ->
                t.owner(brms.user(deployToken.userId()).orElseThrow())
                    .permissions("releases:deploy")
                    .projects("web-shop"));
    long started = System.nanoTime();
    for (int i = 0; i < 20; i++) {
      assertEquals(List.of(DenyReason.tokenInvalid()), denyReasons(a.decide("pat_random-" + i)));
    }
    assertTrue(a.decide(other.secret()).isPermit());
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    // A dead Redis is refused at once: no command timeout per decision (21 of 100 ms = 2.1 s).
    assertTrue(took.compareTo(Duration.ofMillis(1500)) < 0, "21 decisions took " + took);
    CacheStats stats = a.stats();
    assertTrue(stats.sharedErrors() >= 21, stats::toString);
    assertEquals(0, stats.outages());
  }

  @Test
  void decideWhenRedisIsPausedThenTheBreakerOpensAndDecisionsGoOn() {
    Replica a = replica();
    assertTrue(a.decide(deployToken.secret()).isPermit());
    redis.pause();
    try {
      for (int i = 0; i < 10; i++) {
        assertEquals(List.of(DenyReason.tokenInvalid()), denyReasons(a.decide("pat_random-" + i)));
      }
      assertTrue(a.fleet().isCircuitOpen(), "five timeouts in a row open the breaker");
      long started = System.nanoTime();
      for (int i = 10; i < 30; i++) {
        assertEquals(List.of(DenyReason.tokenInvalid()), denyReasons(a.decide("pat_random-" + i)));
      }
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      assertTrue(took.compareTo(Duration.ofMillis(1500)) < 0, "20 decisions took " + took);
    } finally {
      redis.resume();
    }
    // The breaker's period passes by the injected ticker; the next call is a trial that succeeds.
    clock.advance(Duration.ofSeconds(3));
    String random = "pat_after-" + UUID.randomUUID();
    denyReasons(a.decide(random));
    await("breaker closed", () -> !a.fleet().isCircuitOpen());
  }

  @Test
  void decideWhenRedisIsFlushedThenReplicasAskBrmsAgain() {
    Replica a = replica();
    Replica b = replica();
    assertTrue(a.decide(deployToken.secret()).isPermit());
    awaitEntry(deployToken.secret());
    redisCommands().flushall();
    assertTrue(b.decide(deployToken.secret()).isPermit());
    assertEquals(2, selfCalls());
    assertEquals(1, b.stats().sharedMisses());
  }

  @Test
  void decideWhenRedisIsOutOfMemoryThenWritesFailAndDecisionsGoOn() {
    Replica a = replica();
    Replica b = replica();
    redisCommands().configSet("maxmemory-policy", "noeviction");
    redisCommands().configSet("maxmemory", "1");
    try {
      assertTrue(a.decide(deployToken.secret()).isPermit());
      await("the refused write counted", () -> a.stats().sharedErrors() >= 1);
      assertTrue(b.decide(deployToken.secret()).isPermit());
      assertEquals(2, selfCalls(), "nothing could be shared");
      assertEquals(0, a.stats().outages() + b.stats().outages());
    } finally {
      redisCommands().configSet("maxmemory", "0");
    }
  }

  @Test
  void buildWhenTlsIsAskedOfAPlainRedisThenDecisionsComeFromBrms() {
    Replica tls =
        replica(fleet(() -> FleetKeys.of(K1)).uri("rediss://127.0.0.1:" + redis.port()), false);
    assertTrue(tls.decide(deployToken.secret()).isPermit());
    denyReasons(tls.decide("pat_random-" + UUID.randomUUID()));
    assertFalse(tls.fleet().isConnected());
    assertTrue(tls.stats().sharedErrors() >= 2);
    assertEquals(0, tls.stats().outages());
  }

  @Test
  void buildWhenThePasswordIsWrongThenDecisionsComeFromBrmsAndTheRightOneShares() {
    redis.close();
    redis = RedisProcess.start("s3cret-redis-pw");
    raw.close();
    rawClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    rawClient = RedisClient.create("redis://default:s3cret-redis-pw@127.0.0.1:" + redis.port());
    raw = rawClient.connect(ByteArrayCodec.INSTANCE);
    // Everything logged meanwhile, by patguard and by Lettuce, must not show either password.
    java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    StringBuilder logged = new StringBuilder();
    java.util.logging.Handler capture =
        new java.util.logging.Handler() {
          @Override
          public void publish(java.util.logging.LogRecord r) {
            synchronized (logged) {
              logged.append(new java.util.logging.SimpleFormatter().format(r));
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    root.addHandler(capture);
    Replica wrong;
    try {
      wrong =
          replica(
              fleet(() -> FleetKeys.of(K1))
                  .uri(redis.uri())
                  .credentials(null, () -> "wrong-pw-7f3a9c"),
              false);
      assertTrue(wrong.decide(deployToken.secret()).isPermit());
      await("the refusal logged", () -> logged.toString().contains("WRONGPASS"));
    } finally {
      root.removeHandler(capture);
    }
    assertFalse(wrong.fleet().isConnected());
    assertTrue(wrong.stats().sharedErrors() >= 1);
    assertFalse(wrong.fleet().toString().contains("wrong-pw"));
    synchronized (logged) {
      assertFalse(logged.toString().contains("wrong-pw-7f3a9c"), logged::toString);
      assertFalse(logged.toString().contains("s3cret-redis-pw"), logged::toString);
      assertFalse(logged.toString().contains(deployToken.secret()), logged::toString);
    }

    Replica right =
        replica(
            fleet(() -> FleetKeys.of(K1))
                .uri(redis.uri())
                .credentials("default", () -> "s3cret-redis-pw"),
            true);
    Replica right2 =
        replica(
            fleet(() -> FleetKeys.of(K1))
                .uri("redis://default:s3cret-redis-pw@127.0.0.1:" + redis.port()),
            true);
    assertTrue(right.decide(deployToken.secret()).isPermit());
    awaitEntry(deployToken.secret());
    assertTrue(right2.decide(deployToken.secret()).isPermit());
    assertEquals(2, selfCalls(), "the wrong one asked BRMS, right2 read right's entry");
    assertEquals(1, right2.stats().sharedHits());
    assertFalse(right2.fleet().toString().contains("s3cret"));
  }

  @Test
  void rotateWhenKeysRotateThenOldEntriesAreReadAndAReplicaWithoutTheNewKeyDropsOnItsMessages() {
    Replica old = replica(K1);
    Replica staged = replica(K1, K2);
    Replica rotated = replica(K2, K1);

    assertTrue(old.decide(deployToken.secret()).isPermit());
    awaitEntry(deployToken.secret());
    assertTrue(staged.decide(deployToken.secret()).isPermit());
    assertTrue(rotated.decide(deployToken.secret()).isPermit());
    assertEquals(1, selfCalls(), "k1's entry serves every stage of the rotation");

    MintedToken fresh =
        brms.mint(
            t ->
                t.owner(brms.user(deployToken.userId()).orElseThrow())
                    .permissions("releases:deploy")
                    .projects("web-shop"));
    assertTrue(rotated.decide(fresh.secret()).isPermit());
    awaitEntry(K2, fresh.secret());
    assertTrue(staged.decide(fresh.secret()).isPermit());
    assertEquals(2, selfCalls(), "the staged replica reads k2's entry");
    assertEquals(1, redisCommands().exists(redisKey(K2, fresh.secret())));

    // An invalidation sealed with k2 reaches a replica that lacks k2: it cannot read whom it
    // names, so it drops everything.
    long resets = old.stats().sharedResets();
    rotated.guard().invalidateAsync(fresh.secret()).join();
    await("old replica reset", () -> old.stats().sharedResets() > resets);
    await("staged replica invalidated", () -> staged.stats().sharedInvalidations() >= 1);
    assertEquals(0, old.stats().size());
    assertEquals(0, redisCommands().exists(redisKey(K2, fresh.secret())));
  }

  @Test
  void decideWhenReplicasMissTogetherThenOneAsksBrmsAndTheOthersWaitForItsAnswer()
      throws Exception {
    List<Replica> replicas = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      replicas.add(replica());
    }
    brms.inject(Endpoint.SELF_LIST, dev.patguard.fakebrms.Fault.latency(Duration.ofMillis(300)), 1);
    List<java.util.concurrent.CompletableFuture<Decision>> decisions =
        replicas.stream().map(r -> r.guard().decide(deployToken.secret(), DEPLOY_WEB)).toList();
    for (var d : decisions) {
      assertTrue(d.get(20, java.util.concurrent.TimeUnit.SECONDS).isPermit());
    }
    assertEquals(1, selfCalls(), "one replica asked BRMS; three read its answer from Redis");
    assertEquals(3, replicas.stream().mapToLong(r -> r.stats().sharedHits()).sum());
    await("lock released", () -> keys().size() == 2);
  }

  @Test
  void decideWhenADeadReplicaHoldsTheLockThenOthersAskBrmsAfterTheLockWait() {
    Replica a = replica();
    String mac =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(K1.mac(SecretDigest.of(deployToken.secret()).toBytes()));
    redisCommands()
        .set(("patguard:l:k1:{" + mac + "}").getBytes(StandardCharsets.UTF_8), new byte[] {1});

    long started = System.nanoTime();
    assertTrue(a.decide(deployToken.secret()).isPermit());
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertEquals(1, selfCalls());
    assertTrue(
        took.compareTo(Duration.ofMillis(400)) >= 0 && took.compareTo(Duration.ofSeconds(5)) < 0,
        "waited the default 500 ms lock wait, no more: " + took);
  }

  @Test
  void redisWhenScannedThenHoldsNoSecretNoPlainHashNoTokenIdAndNoTokenFacts() {
    Replica a = replica();
    Replica b = replica();
    String random = "pat_random-" + UUID.randomUUID();
    assertTrue(a.decide(deployToken.secret()).isPermit());
    awaitEntry(deployToken.secret());
    assertTrue(b.decide(deployToken.secret()).isPermit());
    denyReasons(a.decide(random));
    awaitEntry(random);
    // And the holds an invalidation by token id leaves, for a token that was cached.
    MintedToken revoked =
        brms.mint(
            t ->
                t.owner(brms.createUser(u -> u.email("revoked@acme.test")))
                    .permissions("releases:deploy")
                    .projects("web-shop"));
    assertTrue(a.decide(revoked.secret()).isPermit());
    awaitEntry(revoked.secret());
    a.guard().invalidateTokenAsync(revoked.id()).join();

    // Two entries, one token id's index; the locks released; the invalidation's two holds.
    await("the locks released", () -> redisCommands().keys("patguard:l:*").isEmpty());
    assertEquals(2, entryKeys().size());
    assertEquals(1, redisCommands().keys("patguard:i:*").size());
    assertEquals(2, redisCommands().keys("patguard:x:*").size());
    List<byte[]> keys = keys();
    List<String> secrets = List.of(deployToken.secret(), random, revoked.secret());
    List<UUID> ids = List.of(deployToken.id(), revoked.id(), deployToken.userId());
    int scanned = 0;
    for (byte[] key : keys) {
      List<byte[]> blobs = new ArrayList<>(List.of(key));
      String type = redisCommands().type(key);
      if (type.equals("set")) {
        blobs.addAll(redisCommands().smembers(key));
      } else {
        assertEquals("string", type);
        blobs.add(redisCommands().get(key));
      }
      for (byte[] blob : blobs) {
        scanned++;
        String text = new String(blob, StandardCharsets.ISO_8859_1);
        String hex = HexFormat.of().formatHex(blob);
        String b64 = Base64.getEncoder().encodeToString(blob);
        for (String secret : secrets) {
          SecretDigest d = SecretDigest.of(secret);
          assertFalse(text.contains(secret));
          assertFalse(text.contains(d.hex()) || text.contains(d.fingerprint()));
          assertFalse(hex.contains(d.hex()), "raw SHA-256 bytes");
          String digestB64 = Base64.getEncoder().withoutPadding().encodeToString(d.toBytes());
          String digestB64Url = Base64.getUrlEncoder().withoutPadding().encodeToString(d.toBytes());
          assertFalse(text.contains(digestB64) || text.contains(digestB64Url));
          assertFalse(b64.contains(digestB64));
        }
        for (UUID id : ids) {
          assertFalse(text.contains(id.toString()), "a plain token or owner id");
          assertFalse(hex.contains(id.toString().replace("-", "")), "a token id's raw bytes");
        }
        assertFalse(text.contains("deployer@acme.test"));
        assertFalse(text.contains("releases:deploy"));
      }
    }
    assertTrue(scanned >= 2 * keys.size(), "every key and what it holds");
  }

  @Test
  void invalidateTokenWhenOneReplicaInvalidatesAnIdThenEveryReplicaDropsTheToken() {
    Replica a = replica();
    Replica b = replica();
    Replica c = replica();
    for (Replica r : List.of(a, b, c)) {
      assertTrue(r.decide(deployToken.secret()).isPermit());
      awaitEntry(deployToken.secret());
    }
    assertEquals(1, selfCalls());

    brms.revoke(deployToken.id());
    a.guard().invalidateTokenAsync(deployToken.id()).join();

    assertEquals(0, redisCommands().exists(redisKey(K1, deployToken.secret())));
    assertEquals(List.of(), redisCommands().keys("patguard:i:*"), "the index went with it");
    for (Replica r : List.of(a, b, c)) {
      await("invalidated", () -> r.stats().sharedInvalidations() >= 1);
      assertEquals(0, r.stats().size());
      assertEquals(0, r.stats().sharedResets() - 1, "dropped the one token, not everything");
    }
    assertEquals(List.of(DenyReason.tokenInvalid()), denyReasons(b.decide(deployToken.secret())));
    assertEquals(List.of(DenyReason.tokenInvalid()), denyReasons(c.decide(deployToken.secret())));
    assertEquals(3, selfCalls());
  }

  @Test
  void evictTokenWhenTheGrantWasAmbiguousThenTheEntryOfEachCandidatesSecretIsDeleted() {
    // Two tokens of one owner: the self lookup of either cannot tell them apart.
    MintedToken second =
        brms.mint(
            t ->
                t.owner(brms.user(deployToken.userId()).orElseThrow())
                    .permissions("releases:deploy")
                    .projects("web-shop"));
    Replica a = replica();
    Replica b = replica();
    Decision d = a.decide(deployToken.secret());
    assertTrue(d.isPermit(), d::explain);
    assertEquals(null, d.subject().tokenId(), "ambiguous");
    awaitEntry(deployToken.secret());
    assertTrue(b.decide(deployToken.secret()).isPermit());
    assertEquals(2, redisCommands().keys("patguard:i:*").size(), "one index per candidate");

    Eviction e = a.fleet().evictToken(second.id()).join();

    assertEquals(1, e.entriesDeleted());
    assertEquals(2, e.receivers());
    assertEquals(0, redisCommands().exists(redisKey(K1, deployToken.secret())));
    for (Replica r : List.of(a, b)) {
      await("invalidated", () -> r.stats().sharedInvalidations() >= 1);
      assertEquals(0, r.stats().size());
    }
  }

  @Test
  void evictWhenAToolWithoutGuardInvalidatesThenItCountsTheReplicasNotItself() throws Exception {
    Replica a = replica();
    Replica b = replica();
    assertTrue(a.decide(deployToken.secret()).isPermit());
    awaitEntry(deployToken.secret());
    try (RedisSharedCache tool =
        RedisSharedCache.builder().uri(redis.uri()).fleetKeys(() -> FleetKeys.of(K1)).build()) {
      tool.awaitConnection(DEADLINE);
      assertFalse(tool.isSubscribed(), "no listener, no subscription");

      Eviction first = tool.evict(SecretDigest.of(deployToken.secret())).join();
      Eviction again = tool.evict(SecretDigest.of(deployToken.secret())).join();
      Eviction byId = tool.evictToken(UUID.randomUUID()).join();

      assertEquals(new Eviction(1, 2), first);
      assertEquals(new Eviction(0, 2), again);
      assertEquals(new Eviction(0, 2), byId);
      await("b invalidated", () -> b.stats().sharedInvalidations() >= 3);
      assertEquals(0, b.stats().size());
    }
  }

  @Test
  void awaitConnectionWhenRedisIsDownThenTheTimeoutSaysWhereAndWhy() {
    redis.kill();
    try (RedisSharedCache tool =
        RedisSharedCache.builder()
            .uri(redis.uri())
            .fleetKeys(() -> FleetKeys.of(K1))
            .reconnectDelay(Duration.ofMillis(50))
            .build()) {
      java.util.concurrent.TimeoutException e =
          assertThrows(
              java.util.concurrent.TimeoutException.class,
              () -> tool.awaitConnection(Duration.ofMillis(500)));
      assertTrue(e.getMessage().startsWith("not connected to redis://127.0.0.1:"), e::getMessage);
      assertTrue(e.getMessage().contains("refused"), e::getMessage);
    }
  }

  @Test
  void invalidateTokenWhenALookupFromBeforeTheRevocationWritesLateThenRedisRefusesIt() {
    Replica a = replica();
    Replica b = replica();
    a.guard().invalidateTokenAsync(deployToken.id()).join();
    // b's lookup stands for one answered before the revocation whose write lands after it; its
    // secret was never cached, so only the token id's hold can refuse it.
    assertTrue(b.decide(deployToken.secret()).isPermit());
    MintedToken other =
        brms.mint(
            t ->
                t.owner(brms.createUser(u -> u.email("o@acme.test")))
                    .permissions("releases:deploy")
                    .projects("web-shop"));
    assertTrue(b.decide(other.secret()).isPermit());
    awaitEntry(other.secret());

    assertEquals(0, redisCommands().exists(redisKey(K1, deployToken.secret())));
    assertEquals(1, redisCommands().keys("patguard:i:*").size(), "only the other token's index");
  }
}
