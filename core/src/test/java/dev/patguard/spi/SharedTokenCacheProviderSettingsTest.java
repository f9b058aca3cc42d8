package dev.patguard.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.patguard.spi.SharedTokenCacheProvider.Settings;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The settings view providers read: typed values, and errors naming the setting as users wrote it.
 */
class SharedTokenCacheProviderSettingsTest {
  private static Settings settings(Map<String, String> values, Map<String, String> env) {
    return Settings.of(values, key -> "init-param redis-" + key, env::get);
  }

  @Test
  void gettersWhenValuesSetThenTypedAndStripped() {
    Settings s =
        settings(
            Map.of("uri", " redis://h:1 ", "timeout", "250ms", "n", " 7 ", "blank", "  "),
            Map.of());
    assertEquals(Optional.of("redis://h:1"), s.string("uri"));
    assertEquals(Optional.of(Duration.ofMillis(250)), s.duration("timeout"));
    assertEquals(Optional.of(7), s.integer("n"));
    assertEquals(Optional.empty(), s.string("blank"));
    assertEquals(Optional.empty(), s.duration("absent"));
    assertEquals("init-param redis-uri", s.label("uri"));
  }

  @Test
  void gettersWhenValuesWrongThenTheMessageNamesSettingAndValue() {
    Settings s = settings(Map.of("timeout", "soon", "n", "many"), Map.of());
    assertEquals(
        "init-param redis-timeout must be a duration such as PT30S, 30s, 500ms, 5m or 1h; got"
            + " \"soon\"",
        assertThrows(IllegalArgumentException.class, () -> s.duration("timeout")).getMessage());
    assertEquals(
        "init-param redis-n must be a whole number; got \"many\"",
        assertThrows(IllegalArgumentException.class, () -> s.integer("n")).getMessage());
    assertEquals(
        "init-param redis-uri is required",
        assertThrows(IllegalArgumentException.class, () -> s.required("uri")).getMessage());
    assertEquals(
        "init-param redis-n \"many\": too many", s.invalid("n", "too many", null).getMessage());
  }

  @Test
  void environmentVariableWhenNamedThenItsValueAndNeverInAMessage() {
    Settings s =
        settings(
            Map.of("password-env", "REDIS_PASSWORD", "keys-env", "UNSET"),
            Map.of("REDIS_PASSWORD", "hunter2-secret"));
    assertEquals(Optional.of("hunter2-secret"), s.environmentVariable("password-env"));
    String why =
        assertThrows(IllegalArgumentException.class, () -> s.environmentVariable("keys-env"))
            .getMessage();
    assertEquals(
        "init-param redis-keys-env names the environment variable UNSET, which is not set", why);
    assertFalse(s.toString().contains("REDIS_PASSWORD"), s.toString());
    assertEquals("Settings[keys-env, password-env]", s.toString());
  }

  @Test
  void parseDurationWhenIsoOrShortThenParsedAndOtherwiseRefused() {
    assertEquals(Duration.ofSeconds(30), Settings.parseDuration("PT30S"));
    assertEquals(Duration.ofHours(1), Settings.parseDuration("1h"));
    assertEquals(Duration.ofSeconds(-1), Settings.parseDuration("PT-1S"));
    assertThrows(IllegalArgumentException.class, () -> Settings.parseDuration("-1s"));
    assertThrows(IllegalArgumentException.class, () -> Settings.parseDuration("30 s"));
  }
}
