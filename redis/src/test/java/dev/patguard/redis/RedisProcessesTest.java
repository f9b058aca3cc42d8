package dev.patguard.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patguard.PatGuard;
import dev.patguard.decision.Requirement;
import dev.patguard.fakebrms.Endpoint;
import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.FakeUser;
import dev.patguard.fakebrms.MintedToken;
import dev.patguard.redis.testing.RedisProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Replicas in separate JVM processes share one Redis: sharing and revocation across processes. */
class RedisProcessesTest {
  private static final Requirement DEPLOY_WEB = Requirement.parse("releases:deploy@web-shop");

  /**
   * Timeouts for a test of sharing across processes, not of timeouts: two JVMs on a loaded two-core
   * machine can stall longer than the production defaults (100 ms, 250 ms) allow.
   */
  static final Duration PATIENT = Duration.ofSeconds(5);

  @Test
  void replicasWhenInSeparateProcessesThenTheyShareFactsAndRevocations() throws Exception {
    String keys = "k1:" + Base64.getEncoder().encodeToString(RedisFleetTest.bytes(9));
    try (RedisProcess redis = RedisProcess.start(null);
        FakeBrms brms = FakeBrms.start();
        RedisSharedCache fleet =
            RedisSharedCache.builder()
                .uri(redis.uri())
                .fleetKeys(() -> FleetKeys.parse(keys))
                .commandTimeout(PATIENT)
                .build()) {
      FakeUser owner = brms.createUser(u -> u.email("deployer@acme.test").serviceAccount());
      MintedToken token =
          brms.mint(
              t ->
                  t.owner(owner)
                      .permissions("releases:deploy")
                      .projects("web-shop")
                      .neverExpires());
      try (PatGuard here =
          PatGuard.builder()
              .baseUrl(brms.baseUrl())
              .sharedCache(fleet)
              .sharedCacheTimeout(PATIENT)
              .build()) {
        RedisFleetTest.await("subscribed", () -> fleet.isSubscribed() && fleet.isConnected());
        assertTrue(here.decideBlocking(token.secret(), DEPLOY_WEB).isPermit());
        // The write lands asynchronously; wait until the other process could read it.
        RedisFleetTest.await(
            "entry written",
            () -> fleet.get(dev.patguard.token.SecretDigest.of(token.secret())).join().isPresent());

        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb =
            new ProcessBuilder(
                    List.of(
                        java.toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        ReplicaProcessMain.class.getName()))
                .redirectErrorStream(false)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("TEST_REDIS_URI", redis.uri());
        pb.environment().put("TEST_BRMS_URL", brms.baseUrl().toString());
        pb.environment().put("TEST_FLEET_KEYS", keys);
        Process other = pb.start();
        try (PrintWriter to =
                new PrintWriter(other.getOutputStream(), true, StandardCharsets.UTF_8);
            BufferedReader from =
                new BufferedReader(
                    new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8))) {
          to.println(token.secret()); // on stdin, never argv
          assertEquals("ready", line(from));

          to.println("decide");
          assertEquals("PERMIT sharedHits=1 hits=0", line(from));
          assertEquals(1, brms.requestCount(Endpoint.SELF_LIST), "the other JVM read our entry");

          brms.revoke(token.id());
          here.invalidateAsync(token.secret()).join();
          to.println("await-invalidation");
          assertEquals("invalidated size=0", line(from));
          to.println("decide");
          assertEquals("DENY sharedHits=1 hits=0", line(from));
          assertEquals(2, brms.requestCount(Endpoint.SELF_LIST));
          to.println("quit");
          assertEquals("bye", line(from));
        } finally {
          if (!other.waitFor(20, TimeUnit.SECONDS)) {
            other.destroyForcibly();
          }
        }
        assertEquals(0, other.exitValue());
      }
    }
  }

  private static String line(BufferedReader from) throws Exception {
    return CompletableFuture.supplyAsync(
            () -> {
              try {
                return from.readLine();
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            })
        .get(60, TimeUnit.SECONDS);
  }
}
