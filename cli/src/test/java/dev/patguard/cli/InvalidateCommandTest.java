package dev.patguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.patguard.decision.Decision;
import dev.patguard.decision.DenyReason;
import dev.patguard.fakebrms.FakeUser;
import dev.patguard.fakebrms.MintedToken;
import dev.patguard.token.SecretDigest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code patguard invalidate} through the real entry point, against replicas that share a real
 * redis-server: after it, each replica asks fake-brms again (counted), and a token revoked in BRMS
 * is denied everywhere.
 */
class InvalidateCommandTest {
  private final CliHarness cli = new CliHarness(Clock.systemUTC());
  private Fleet fleet;
  private FakeUser deployer;
  private MintedToken deployToken;

  @BeforeEach
  void start() {
    fleet = new Fleet(null);
    deployer = fleet.brms.createUser(u -> u.email("deployer@acme.test").serviceAccount());
    deployToken =
        fleet.brms.mint(t -> t.owner(deployer).permissions("releases:deploy").projects("web-shop"));
    cli.secret(deployToken.secret());
    cli.secret(Fleet.KEYS);
    cli.secret(Fleet.KEYS.substring(3)); // the key material alone
    cli.env("PATGUARD_REDIS_URI", fleet.redis.uri());
    cli.env("PATGUARD_FLEET_KEYS", Fleet.KEYS);
  }

  @AfterEach
  void stop() {
    fleet.close();
  }

  private static List<DenyReason> denyReasons(Decision d) {
    return assertInstanceOf(Decision.Deny.class, d, d::explain).reasons();
  }

  /** Every replica was told, dropped the token, and decides it again from BRMS: a deny. */
  private void assertEvictedEverywhereAndDenied(MintedToken token, long callsBefore) {
    for (Fleet.Replica r : fleet.replicas) {
      Fleet.await("invalidated", () -> r.guard().cacheStats().sharedInvalidations() >= 1);
      assertEquals(0, r.guard().cacheStats().size());
    }
    for (Fleet.Replica r : fleet.replicas) {
      assertEquals(List.of(DenyReason.tokenInvalid()), denyReasons(r.decide(token.secret())));
    }
    // Each replica asks BRMS itself while the invalidation's hold keeps the secret unshared.
    assertEquals(callsBefore + fleet.replicas.size(), fleet.selfCalls());
  }

  @Test
  void invalidateWhenTheSecretIsInAnEnvironmentVariableThenEveryReplicaAsksBrmsAgain() {
    fleet.replicas(3);
    fleet.cacheEverywhere(deployToken.secret());
    long calls = fleet.selfCalls();
    fleet.brms.revoke(deployToken.id());
    cli.env("REVOKED_TOKEN", deployToken.secret());

    CliHarness.Result r = cli.run("invalidate", "--token-env", "REVOKED_TOKEN");

    assertEquals(0, r.code(), r::toString);
    assertEquals(
        "INVALIDATED token "
            + SecretDigest.fingerprintOf(deployToken.secret())
            + ": 1 shared entry deleted, the invalidation received by 3 replicas on "
            + "redis://127.0.0.1:"
            + fleet.redis.port()
            + "\n",
        r.stdout());
    assertEquals("", r.stderr());
    assertEvictedEverywhereAndDenied(deployToken, calls);
  }

  @Test
  void invalidateWhenTheSecretComesOnStdinAsJsonThenItSaysWhatRedisConfirmed() {
    fleet.replicas(2);
    fleet.cacheEverywhere(deployToken.secret());
    long calls = fleet.selfCalls();
    fleet.brms.revoke(deployToken.id());

    CliHarness.Result r =
        cli.runWithStdin(
            deployToken.secret() + "\n", "invalidate", "--token-stdin", "--format", "json");

    assertEquals(0, r.code(), r::toString);
    JsonNode j = r.json();
    assertTrue(j.get("invalidated").booleanValue());
    assertEquals(SecretDigest.fingerprintOf(deployToken.secret()), j.get("fingerprint").asText());
    assertEquals(1, j.get("entriesDeleted").asLong());
    assertEquals(2, j.get("receivers").asLong());
    assertEquals("patguard:", j.get("keyPrefix").asText());
    assertEquals(0, j.get("exitCode").asInt());
    assertEvictedEverywhereAndDenied(deployToken, calls);
  }

  @Test
  void invalidateWhenByTokenIdThenEveryReplicaDropsItWithoutTheSecret() {
    fleet.replicas(3);
    fleet.cacheEverywhere(deployToken.secret());
    long calls = fleet.selfCalls();
    fleet.brms.revoke(deployToken.id());

    CliHarness.Result r = cli.run("invalidate", "--token-id", deployToken.id().toString());

    assertEquals(0, r.code(), r::toString);
    assertTrue(
        r.stdout()
            .startsWith(
                "INVALIDATED token id "
                    + deployToken.id()
                    + ": 1 shared entry deleted, the invalidation received by 3 replicas"),
        r::toString);
    assertEvictedEverywhereAndDenied(deployToken, calls);
  }

  @Test
  void invalidateWhenByTheIdOfOneCandidateOfAnAmbiguousGrantThenTheGrantIsDroppedToo() {
    // The deployer's second token: a self lookup of either secret cannot tell the two apart.
    MintedToken second =
        fleet.brms.mint(t -> t.owner(deployer).permissions("releases:deploy").projects("web-shop"));
    fleet.replicas(2);
    Decision d = fleet.replicas.get(0).decide(deployToken.secret());
    assertEquals(null, d.subject().tokenId(), "ambiguous: " + d.explain());
    fleet.cacheEverywhere(second.secret());
    fleet.replicas.get(1).decide(deployToken.secret());
    long calls = fleet.selfCalls();

    CliHarness.Result r =
        cli.run("invalidate", "--token-id", second.id().toString(), "--format", "json");

    assertEquals(0, r.code(), r::toString);
    assertEquals(2, r.json().get("entriesDeleted").asLong(), "both secrets' entries name it");
    for (Fleet.Replica replica : fleet.replicas) {
      Fleet.await("invalidated", () -> replica.guard().cacheStats().sharedInvalidations() >= 1);
      assertEquals(0, replica.guard().cacheStats().size());
      assertTrue(replica.decide(deployToken.secret()).isPermit());
    }
    assertEquals(calls + 2, fleet.selfCalls(), "each replica asked BRMS again");
  }

  @Test
  void invalidateWhenNoReplicaListensOnThePrefixThenAWarningAndStillExit0() {
    fleet.replicas(1);
    fleet.cacheEverywhere(deployToken.secret());
    cli.env("PATGUARD_TOKEN", deployToken.secret());

    CliHarness.Result r = cli.run("invalidate", "--key-prefix", "other:");

    assertEquals(0, r.code(), r::toString);
    assertTrue(r.stdout().contains(": 0 shared entries deleted"), r::toString);
    assertTrue(
        r.stderr()
            .startsWith(
                "patguard: warning: no replica is subscribed to other:invalidations on redis://"),
        r::toString);
    assertEquals(1, fleet.replicas.get(0).guard().cacheStats().size(), "nobody was told");
  }

  @Test
  void invalidateWhenTheFleetKeysComeFromAFileThenTheyAreUsed(@TempDir Path dir) throws Exception {
    fleet.replicas(1);
    fleet.cacheEverywhere(deployToken.secret());
    Path keys = dir.resolve("fleet-keys");
    Files.writeString(keys, Fleet.KEYS + "\n");
    cli.env("PATGUARD_FLEET_KEYS", "");
    cli.env("PATGUARD_TOKEN", deployToken.secret());

    CliHarness.Result r = cli.run("invalidate", "--fleet-keys-file", keys.toString());

    assertEquals(0, r.code(), r::toString);
    assertTrue(r.stdout().contains(": 1 shared entry deleted"), r::toString);
  }

  @Test
  void invalidateWhenTheUriIsNotRedisThenExit64NamingIt() {
    cli.env("PATGUARD_TOKEN", deployToken.secret());

    CliHarness.Result r = cli.run("invalidate", "--redis-uri", "http://127.0.0.1:6379");

    assertEquals(64, r.code(), r::toString);
    assertEquals(
        "patguard: error: --redis-uri: the Redis URI must start with redis:// or rediss:// (TLS),"
            + " got \"http://\"\n",
        r.stderr());
  }

  @Test
  void invalidateWhenTheFleetKeysAreBadThenExit64NamingTheEntryNotTheMaterial() {
    String shortKey = "k1:" + Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4, 5, 6});
    cli.secret(shortKey.substring(3));
    cli.env("PATGUARD_FLEET_KEYS", shortKey);
    cli.env("PATGUARD_TOKEN", deployToken.secret());

    CliHarness.Result bad = cli.run("invalidate");
    cli.env("PATGUARD_FLEET_KEYS", "");
    CliHarness.Result missing = cli.run("invalidate");
    CliHarness.Result notBase64 = cli.run("invalidate", "--fleet-keys-env", "NOT_B64");
    cli.env("NOT_B64", "k1:!!!not base64!!!");
    CliHarness.Result garbled = cli.run("invalidate", "--fleet-keys-env", "NOT_B64");

    assertEquals(64, bad.code(), bad::toString);
    assertTrue(
        bad.stderr()
            .startsWith(
                "patguard: error: environment variable PATGUARD_FLEET_KEYS: fleet key \"k1\" has 6"
                    + " bytes"),
        bad::toString);
    assertEquals(64, missing.code(), missing::toString);
    assertTrue(
        missing.stderr().contains("PATGUARD_FLEET_KEYS is not set or empty"), missing::toString);
    assertEquals(64, notBase64.code(), notBase64::toString);
    assertTrue(notBase64.stderr().contains("NOT_B64 is not set"), notBase64::toString);
    assertEquals(64, garbled.code(), garbled::toString);
    assertTrue(
        garbled.stderr().contains("fleet key entry 1 (id \"k1\") is not valid base64"),
        garbled::toString);
    assertFalse(garbled.stderr().contains("!!!not"), garbled::toString);
  }

  @Test
  void invalidateWhenRedisIsDownThenExit2WithOneLineAndNoStackTrace() {
    fleet.redis.kill();
    cli.env("PATGUARD_TOKEN", deployToken.secret());

    CliHarness.Result r = cli.run("invalidate", "--timeout", "1s");

    assertEquals(2, r.code(), r::toString);
    assertEquals(1, r.stderr().lines().count(), r::toString);
    assertTrue(
        r.stderr()
            .startsWith(
                "patguard: error: token "
                    + SecretDigest.fingerprintOf(deployToken.secret())
                    + " NOT invalidated: not connected to redis://127.0.0.1:"
                    + fleet.redis.port()
                    + " within PT1S"),
        r::toString);
    assertTrue(r.stderr().contains("refused"), r::toString);
    assertEquals("", r.stdout());
  }

  @Test
  void invalidateWhenThePasswordIsWrongThenExit64SayingSoAndNeverPrintingEither() {
    fleet.close();
    fleet = new Fleet("s3cret-redis-pw");
    deployer = fleet.brms.createUser(u -> u.email("deployer@acme.test").serviceAccount());
    deployToken =
        fleet.brms.mint(t -> t.owner(deployer).permissions("releases:deploy").projects("web-shop"));
    cli.secret(deployToken.secret());
    cli.secret("s3cret-redis-pw");
    cli.secret("wrong-pw-7f3a9c");
    String withPassword = "redis://default:s3cret-redis-pw@127.0.0.1:" + fleet.redis.port();
    fleet.replicas(1, withPassword);
    fleet.cacheEverywhere(deployToken.secret());
    cli.env("PATGUARD_TOKEN", deployToken.secret());
    cli.env("PATGUARD_REDIS_URI", "redis://127.0.0.1:" + fleet.redis.port());
    cli.env("REDIS_PW", "wrong-pw-7f3a9c");
    cli.env("RIGHT_PW", "s3cret-redis-pw");

    CliHarness.Result wrong =
        cli.run("invalidate", "--redis-password-env", "REDIS_PW", "--timeout", "1s");
    CliHarness.Result none = cli.run("invalidate", "--timeout", "1s");
    CliHarness.Result right =
        cli.run("invalidate", "--redis-user", "default", "--redis-password-env", "RIGHT_PW");
    cli.env("PATGUARD_REDIS_URI", withPassword);
    CliHarness.Result inUri = cli.run("invalidate");

    assertEquals(64, wrong.code(), wrong::toString);
    assertTrue(wrong.stderr().contains("WRONGPASS"), wrong::toString);
    assertTrue(wrong.stderr().contains("--redis-password-env"), wrong::toString);
    assertEquals(64, none.code(), none::toString);
    assertTrue(none.stderr().contains("NOAUTH"), none::toString);
    assertEquals(0, right.code(), right::toString);
    assertTrue(right.stdout().contains(": 1 shared entry deleted"), right::toString);
    assertEquals(0, inUri.code(), inUri::toString);
    assertTrue(inUri.stdout().contains(": 0 shared entries deleted"), inUri::toString);
  }

  @Test
  void invalidateWhenTheOptionsConflictOrTheIdIsNoUuidThenExit64() {
    cli.env("PATGUARD_TOKEN", deployToken.secret());

    CliHarness.Result both =
        cli.run("invalidate", "--token-id", deployToken.id().toString(), "--token-stdin");
    CliHarness.Result secretAsId = cli.run("invalidate", "--token-id", "pat_oops-a-secret-42");
    CliHarness.Result user = cli.run("invalidate", "--redis-user", "patguard");
    CliHarness.Result prefix = cli.run("invalidate", "--key-prefix", "bad prefix");
    cli.secret("pw-in-argv-123");
    CliHarness.Result passwordInArgv =
        cli.run("invalidate", "--redis-uri", "redis://default:pw-in-argv-123@127.0.0.1:6379/0");
    CliHarness.Result passwordOnly =
        cli.run("invalidate", "--redis-uri", "rediss://pw-in-argv-123@cache.internal");

    assertEquals(64, both.code(), both::toString);
    assertTrue(both.stderr().contains("exclude each other"), both::toString);
    assertEquals(64, secretAsId.code(), secretAsId::toString);
    assertFalse(secretAsId.stderr().contains("pat_oops"), secretAsId::toString);
    assertTrue(secretAsId.stderr().contains("is not a token id"), secretAsId::toString);
    assertEquals(64, user.code(), user::toString);
    assertTrue(user.stderr().contains("--redis-user needs --redis-password-env"), user::toString);
    assertEquals(64, prefix.code(), prefix::toString);
    assertTrue(prefix.stderr().startsWith("patguard: error: --key-prefix: "), prefix::toString);
    for (CliHarness.Result r : List.of(passwordInArgv, passwordOnly)) {
      assertEquals(64, r.code(), r::toString);
      assertTrue(
          r.stderr().startsWith("patguard: error: --redis-uri holds a password"), r::toString);
    }
  }
}
