package dev.patguard.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.patguard.internal.Uuids;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hand-written timestamp and UUID ({@link Uuids}) readers must accept exactly what the general
 * ones do.
 */
class TimestampsTest {
  private static final Pattern UUID_SHAPE =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  /**
   * What the formatter makes of {@code text}: its instant, or the exception's class. Years of ten
   * digits and more lie beyond OffsetDateTime, within Instant: those are Instant.parse's.
   */
  private static Object formatter(String text) {
    try {
      return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      if (text.matches("[+-][0-9]{10,}-.*")) {
        try {
          return Instant.parse(text);
        } catch (DateTimeParseException beyond) {
          return DateTimeParseException.class;
        }
      }
      return DateTimeParseException.class;
    }
  }

  private static Object fast(String text) {
    try {
      return Timestamps.parse(text);
    } catch (DateTimeParseException e) {
      return DateTimeParseException.class;
    }
  }

  @Property(tries = 3000)
  void parseWhenNearlyCanonicalThenSameAsTheFormatter(@ForAll("nearlyCanonical") String text) {
    assertEquals(formatter(text), fast(text), text);
  }

  @Property(tries = 2000)
  void parseWhenCanonicalInstantThenTakesTheFastPathAndAgrees(@ForAll("canonical") String text) {
    Instant fast = Timestamps.canonicalUtcOrNull(text);
    assertNotNull(fast, text);
    assertEquals(formatter(text), fast, text);
  }

  @Property(tries = 2000)
  void isCanonicalWhenAnyNearUuidThenSameAsTheRegex(@ForAll("nearlyUuid") String text) {
    assertEquals(UUID_SHAPE.matcher(text).matches(), Uuids.isCanonical(text), text);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-02-29T00:00:00Z",
        "2026-04-31T00:00:00Z",
        "2026-13-01T00:00:00Z",
        "2026-00-10T00:00:00Z",
        "2026-11-29T24:00:00Z",
        "2026-11-29T23:60:00Z",
        "2026-11-29T23:59:60Z",
        "2026-11-29T12:00:00.1234567890Z",
        "2026-11-29 12:00:00Z",
        "2026-11-29T12:00:00",
        "+2026-11-29T12:00:00Z",
        "2026-11-29T12:00:00+25:00",
        "２０２６-11-29T12:00:00Z",
        "",
        "+1000000001-01-01T00:00:00Z",
        "+10000000000-01-01T00:00:00Z"
      })
  void parseWhenInvalidThenRefusedAsTheFormatterRefusesIt(String text) {
    assertThrows(DateTimeParseException.class, () -> Timestamps.parse(text), text);
    assertEquals(DateTimeParseException.class, formatter(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-11-29T12:00:00+01:00",
        "2026-11-29T12:00:00.5-05:30",
        "2026-11-29T12:00:00z",
        "2026-11-29t12:00:00Z",
        "2026-11-29T12:00Z",
        "2024-02-29T23:59:59.999999999Z",
        "0000-01-01T00:00:00Z",
        "2026-11-29T12:00:00+00:00:00",
        "2026-11-29T12:00:00.Z",
        "+10000-01-01T00:00:00Z",
        "+275760-09-13T00:00:00.000Z",
        "+999999999-12-31T23:59:59.999999999Z",
        "+1000000000-12-31T23:59:59.999999999Z",
        "-1000000000-01-01T00:00:00Z"
      })
  void parseWhenValidButNotTheBrmsShapeThenTheFormatterReadsIt(String text) {
    assertInstanceOf(Instant.class, fast(text), text);
    assertEquals(formatter(text), fast(text), text);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-11-29T12:00:00Z",
        "2026-11-29T12:00:00.1Z",
        "2026-11-29T12:00:00.123Z",
        "2024-02-29T23:59:59.999999999Z",
        "1970-01-01T00:00:00Z"
      })
  void canonicalUtcOrNullWhenTheBrmsShapeThenReadWithoutTheFormatter(String text) {
    assertEquals(Instant.parse(text), Timestamps.canonicalUtcOrNull(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"2026-11-29T12:00:00+01:00", "2026-11-29T12:00Z", "2026-11-29T12:00:00.Z"})
  void canonicalUtcOrNullWhenAnotherShapeThenNull(String text) {
    assertNull(Timestamps.canonicalUtcOrNull(text));
  }

  @Provide
  Arbitrary<String> canonical() {
    Arbitrary<Instant> instants =
        Arbitraries.longs()
            .between(-62_167_219_200L, 253_402_300_799L)
            .flatMap(
                seconds ->
                    Arbitraries.integers()
                        .between(0, 999_999_999)
                        .map(nanos -> Instant.ofEpochSecond(seconds, nanos)));
    return Combinators.combine(instants, Arbitraries.integers().between(0, 9))
        .as(
            (instant, digits) -> {
              String whole =
                  DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")
                      .withZone(java.time.ZoneOffset.UTC)
                      .format(instant);
              String fraction = String.format("%09d", instant.getNano()).substring(0, digits);
              return whole + (digits == 0 ? "" : "." + fraction) + "Z";
            });
  }

  /** Canonical timestamps with one to three characters replaced by likely trouble. */
  @Provide
  Arbitrary<String> nearlyCanonical() {
    Arbitrary<Character> trouble =
        Arbitraries.of(
            '0', '1', '2', '3', '5', '9', '-', ':', '.', 'T', 't', 'Z', 'z', '+', ' ', 'x');
    return Combinators.combine(
            canonical(),
            Arbitraries.integers().between(0, 3),
            Arbitraries.integers().between(0, Integer.MAX_VALUE),
            trouble.list().ofSize(3))
        .as(
            (text, edits, seed, with) -> {
              StringBuilder b = new StringBuilder(text);
              java.util.Random random = new java.util.Random(seed);
              for (int i = 0; i < edits; i++) {
                int at = random.nextInt(b.length());
                switch (random.nextInt(3)) {
                  case 0 -> b.setCharAt(at, with.get(i));
                  case 1 -> b.insert(at, with.get(i));
                  default -> b.deleteCharAt(at);
                }
                if (b.length() == 0) {
                  break;
                }
              }
              return b.toString();
            });
  }

  @Provide
  Arbitrary<String> nearlyUuid() {
    Arbitrary<String> uuids =
        Arbitraries.randomValue(r -> new java.util.UUID(r.nextLong(), r.nextLong()).toString())
            .flatMap(u -> Arbitraries.of(u, u.toUpperCase(java.util.Locale.ROOT)));
    Arbitrary<Character> trouble = Arbitraries.of('0', 'a', 'F', 'g', 'G', '-', '+', ' ', 'é');
    return Combinators.combine(
            uuids,
            Arbitraries.integers().between(0, 2),
            Arbitraries.integers().between(0, Integer.MAX_VALUE),
            trouble)
        .as(
            (text, edits, seed, with) -> {
              StringBuilder b = new StringBuilder(text);
              java.util.Random random = new java.util.Random(seed);
              for (int i = 0; i < edits && b.length() > 0; i++) {
                int at = random.nextInt(b.length());
                switch (random.nextInt(3)) {
                  case 0 -> b.setCharAt(at, with);
                  case 1 -> b.insert(at, with);
                  default -> b.deleteCharAt(at);
                }
              }
              return b.toString();
            });
  }
}
