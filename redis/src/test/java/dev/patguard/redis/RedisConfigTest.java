package dev.patguard.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patguard.fakebrms.MutableClock;
import dev.patguard.spi.SharedTokenCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration checks, the key ring's text form and the circuit breaker, without Redis. */
class RedisConfigTest {
  private static final String KEY_A = Base64.getEncoder().encodeToString(RedisFleetTest.bytes(1));
  private static final String KEY_B = Base64.getEncoder().encodeToString(RedisFleetTest.bytes(2));

  @Test
  void parseWhenTwoKeysThenTheFirstIsCurrentAndBothAreRead() {
    FleetKeys keys = FleetKeys.parse(" k2:" + KEY_B + " , k1:" + KEY_A);
    assertEquals("k2", keys.current().id());
    assertEquals(2, keys.all().size());
    assertTrue(keys.find("k1").isPresent());
    assertEquals("FleetKeys[k2, k1]", keys.toString());
    assertFalse(keys.toString().contains(KEY_A));
  }

  @Test
  void parseWhenMalformedThenTheMessageNamesTheEntryButNeverTheKeyMaterial() {
    String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
    IllegalArgumentException tooShort =
        assertThrows(IllegalArgumentException.class, () -> FleetKeys.parse("k1:" + shortKey));
    assertEquals(
        "fleet key \"k1\" has 16 bytes; a fleet key needs at least 32 random bytes (openssl rand"
            + " -base64 32)",
        tooShort.getMessage());
    IllegalArgumentException noId =
        assertThrows(IllegalArgumentException.class, () -> FleetKeys.parse(KEY_A));
    assertEquals(
        "fleet key entry 1 is not id:base64 (for example k1:$(openssl rand -base64 32))",
        noId.getMessage());
    IllegalArgumentException notBase64 =
        assertThrows(
            IllegalArgumentException.class, () -> FleetKeys.parse("k1:" + KEY_A + ",k2:***"));
    assertEquals("fleet key entry 2 (id \"k2\") is not valid base64", notBase64.getMessage());
    IllegalArgumentException twice =
        assertThrows(
            IllegalArgumentException.class, () -> FleetKeys.parse("k1:" + KEY_A + ",k1:" + KEY_B));
    assertEquals("fleet key id \"k1\" appears twice", twice.getMessage());
    IllegalArgumentException badId =
        assertThrows(IllegalArgumentException.class, () -> FleetKeys.parse("k 1:" + KEY_A));
    assertTrue(badId.getMessage().startsWith("a fleet key id is 1 to 32 characters"));
  }

  @Test
  void fromFileWhenTheFileChangesThenTheNewKeysAreRead(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("fleet-keys");
    Files.writeString(file, "k1:" + KEY_A + "\n");
    Supplier<FleetKeys> keys = FleetKeys.fromFile(file);
    assertEquals("k1", keys.get().current().id());
    FleetKeys first = keys.get();
    assertTrue(first == keys.get(), "unchanged file: not parsed again");

    Files.writeString(file, "k2:" + KEY_B + ",k1:" + KEY_A + "\n");
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
    assertEquals("k2", keys.get().current().id());

    Files.delete(file);
    IllegalStateException gone = assertThrows(IllegalStateException.class, keys::get);
    assertTrue(gone.getMessage().startsWith("cannot read the fleet keys from " + file));
  }

  @Test
  void fromEnvWhenUnsetThenTheMessageSaysWhatToSet() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> FleetKeys.fromEnv("PATGUARD_TEST_SURELY_UNSET_VARIABLE").get());
    assertEquals(
        "environment variable PATGUARD_TEST_SURELY_UNSET_VARIABLE is not set: give it the fleet"
            + " keys as id:base64[,id:base64...]",
        e.getMessage());
  }

  @Test
  void builderWhenMisconfiguredThenEachSettingSaysWhatIsWrong() {
    RedisSharedCache.Builder b = RedisSharedCache.builder();
    assertEquals(
        "the Redis URI must start with redis:// or rediss:// (TLS), got \"http://\"",
        assertThrows(IllegalArgumentException.class, () -> b.uri("http://user:pw@host"))
            .getMessage());
    assertEquals(
        "the Redis URI must start with redis:// or rediss:// (TLS), got no scheme",
        assertThrows(IllegalArgumentException.class, () -> b.uri("host:6379")).getMessage());
    assertEquals(
        "keyPrefix must be 1 to 64 characters from A-Z a-z 0-9 _ . : { } -, got \"a b\"",
        assertThrows(IllegalArgumentException.class, () -> b.keyPrefix("a b")).getMessage());
    assertEquals(
        "commandTimeout must be positive, got PT0S",
        assertThrows(IllegalArgumentException.class, () -> b.commandTimeout(Duration.ZERO))
            .getMessage());
    assertEquals(
        "circuitBreaker failures must be at least 1, got 0",
        assertThrows(
                IllegalArgumentException.class, () -> b.circuitBreaker(0, Duration.ofSeconds(1)))
            .getMessage());
    assertTrue(
        assertThrows(IllegalStateException.class, b::build).getMessage().startsWith("uri must"));
    b.uri("rediss://127.0.0.1:1");
    assertTrue(
        assertThrows(IllegalStateException.class, b::build)
            .getMessage()
            .startsWith("fleetKeys must be set"));
    b.fleetKeys(FleetKeys.fromEnv("PATGUARD_TEST_SURELY_UNSET_VARIABLE"));
    assertThrows(IllegalStateException.class, b::build, "a missing key fails at start");
  }

  @Test
  void buildWhenRedisIsNotThereThenItNeitherWaitsNorThrowsAndEveryCallFailsFast() {
    FleetKeys keys = FleetKeys.of(RedisFleetTest.K1);
    try (RedisSharedCache cache =
        RedisSharedCache.builder().uri("redis://127.0.0.1:1").fleetKeys(() -> keys).build()) {
      SharedTokenCache spi = cache;
      dev.patguard.token.SecretDigest d = dev.patguard.token.SecretDigest.of("pat_x");
      assertTrue(spi.get(d).isCompletedExceptionally());
      assertTrue(spi.put(d, new byte[] {1}, Duration.ofSeconds(1)).isCompletedExceptionally());
      assertTrue(spi.invalidate(d).isCompletedExceptionally());
      assertFalse(cache.isConnected());
      assertEquals("RedisSharedCache[redis://127.0.0.1:1, prefix=patguard:]", cache.toString());
    }
  }

  @Test
  void circuitBreakerWhenFailuresInARowThenOpenUntilOneTrialSucceeds() {
    MutableClock clock = MutableClock.at("2026-11-29T12:00:00Z");
    CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofSeconds(2).toNanos(), clock.ticker());
    breaker.failure();
    breaker.failure();
    breaker.success();
    breaker.failure();
    breaker.failure();
    assertTrue(breaker.allow(), "a success reset the count");
    breaker.failure();
    assertFalse(breaker.allow());
    clock.advance(Duration.ofMillis(1999));
    assertFalse(breaker.allow());
    clock.advance(Duration.ofMillis(1));
    assertTrue(breaker.allow(), "one trial");
    assertFalse(breaker.allow(), "only one");
    breaker.failure();
    assertFalse(breaker.allow(), "the failed trial opens another period");
    clock.advance(Duration.ofSeconds(2));
    assertTrue(breaker.allow());
    breaker.success();
    assertTrue(breaker.allow());
    assertTrue(breaker.allow());
    assertFalse(breaker.isOpen());
  }
}
