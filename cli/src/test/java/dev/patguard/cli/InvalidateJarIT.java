package dev.patguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patguard.decision.Decision;
import dev.patguard.decision.DenyReason;
import dev.patguard.fakebrms.FakeUser;
import dev.patguard.fakebrms.MintedToken;
import dev.patguard.token.SecretDigest;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code patguard invalidate} from the built fat jar, in its own java process, against replicas in
 * this JVM that share a real redis-server; and the other commands loading none of its client.
 */
class InvalidateJarIT {
  /** Classes of invalidate's Redis client, as -verbose:class names them when loaded. */
  private static final Pattern REDIS_CLIENT =
      Pattern.compile(
          "\\[class,load\\] (io\\.lettuce|io\\.netty|reactor\\.|dev\\.patguard\\.redis)");

  private Fleet fleet;
  private MintedToken deployToken;

  @BeforeEach
  void start() {
    fleet = new Fleet(null);
    FakeUser deployer = fleet.brms.createUser(u -> u.email("deployer@acme.test").serviceAccount());
    deployToken =
        fleet.brms.mint(t -> t.owner(deployer).permissions("releases:deploy").projects("web-shop"));
  }

  @AfterEach
  void stop() {
    fleet.close();
  }

  private Map<String, String> env() {
    return Map.of(
        "PATGUARD_TOKEN",
        deployToken.secret(),
        "PATGUARD_REDIS_URI",
        fleet.redis.uri(),
        "PATGUARD_FLEET_KEYS",
        Fleet.KEYS,
        "PATGUARD_BRMS_URL",
        fleet.brms.baseUrl().toString());
  }

  private void assertNoSecretPrinted(PatGuardJarIT.Run r) {
    for (String secret : List.of(deployToken.secret(), Fleet.KEYS, Fleet.KEYS.substring(3))) {
      assertFalse(r.stdout().contains(secret) || r.stderr().contains(secret), r::toString);
    }
  }

  private void assertEvictedEverywhereAndDenied(long callsBefore) {
    for (Fleet.Replica r : fleet.replicas) {
      Fleet.await("invalidated", () -> r.guard().cacheStats().sharedInvalidations() >= 1);
      assertEquals(0, r.guard().cacheStats().size());
      Decision d = r.decide(deployToken.secret());
      assertEquals(
          List.of(DenyReason.tokenInvalid()),
          assertInstanceOf(Decision.Deny.class, d, d::explain).reasons());
    }
    assertEquals(callsBefore + fleet.replicas.size(), fleet.selfCalls());
  }

  @Test
  void invalidateWhenRunFromTheJarBySecretThenEveryReplicaDeniesTheRevokedToken() throws Exception {
    fleet.replicas(2);
    fleet.cacheEverywhere(deployToken.secret());
    long calls = fleet.selfCalls();
    fleet.brms.revoke(deployToken.id());

    // A patient timeout: a JVM starting Netty on a loaded two-core machine may take seconds.
    PatGuardJarIT.Run r = PatGuardJarIT.java(env(), "invalidate", "--timeout", "30s");

    assertEquals(0, r.code(), r::toString);
    assertTrue(
        r.stdout()
            .startsWith(
                "INVALIDATED token "
                    + SecretDigest.fingerprintOf(deployToken.secret())
                    + ": 1 shared entry deleted, the invalidation received by 2 replicas"),
        r::toString);
    assertEquals("", r.stderr(), "no log noise from Lettuce, Netty or Reactor");
    assertNoSecretPrinted(r);
    assertEvictedEverywhereAndDenied(calls);
  }

  @Test
  void invalidateWhenRunFromTheJarByTokenIdThenEveryReplicaDeniesTheRevokedToken()
      throws Exception {
    fleet.replicas(2);
    fleet.cacheEverywhere(deployToken.secret());
    long calls = fleet.selfCalls();
    fleet.brms.revoke(deployToken.id());

    PatGuardJarIT.Run r =
        PatGuardJarIT.java(
            Map.of("PATGUARD_REDIS_URI", fleet.redis.uri(), "PATGUARD_FLEET_KEYS", Fleet.KEYS),
            "invalidate",
            "--token-id",
            deployToken.id().toString(),
            "--format",
            "json",
            "--timeout",
            "30s");

    assertEquals(0, r.code(), r::toString);
    assertTrue(r.stdout().contains("\"entriesDeleted\" : 1"), r::toString);
    assertTrue(r.stdout().contains("\"receivers\" : 2"), r::toString);
    assertEquals("", r.stderr());
    assertEvictedEverywhereAndDenied(calls);
  }

  @Test
  void invalidateWhenRunFromTheJarAndRedisIsDownThenExit2AndOneLine() throws Exception {
    fleet.redis.kill();

    PatGuardJarIT.Run r = PatGuardJarIT.java(env(), "invalidate", "--timeout", "1s");

    assertEquals(2, r.code(), r::toString);
    assertEquals(1, r.stderr().lines().count(), r::toString);
    assertTrue(r.stderr().startsWith("patguard: error: token "), r::toString);
    assertTrue(r.stderr().contains("NOT invalidated"), r::toString);
    assertFalse(r.stderr().contains("\tat "), "no stack trace");
    assertNoSecretPrinted(r);
  }

  @Test
  void checkWhenRunFromTheJarThenLoadsNoneOfInvalidatesRedisClient() throws Exception {
    fleet.redis.kill();
    List<String> verbose = List.of("-verbose:class");

    PatGuardJarIT.Run version = PatGuardJarIT.java(verbose, Map.of(), "--version");
    PatGuardJarIT.Run check =
        PatGuardJarIT.java(verbose, env(), "check", "--require", "releases:deploy@web-shop");
    PatGuardJarIT.Run invalidate =
        PatGuardJarIT.java(verbose, env(), "invalidate", "--timeout", "1s");

    assertEquals(0, version.code(), version::toString);
    assertEquals(0, check.code(), check::toString);
    assertFalse(REDIS_CLIENT.matcher(version.stdout()).find(), "--version loads no Redis client");
    assertFalse(REDIS_CLIENT.matcher(check.stdout()).find(), "check loads no Redis client");
    // The pattern does find them when they are loaded.
    assertEquals(2, invalidate.code(), invalidate::toString);
    assertTrue(REDIS_CLIENT.matcher(invalidate.stdout()).find(), "invalidate loads Lettuce");
  }
}
