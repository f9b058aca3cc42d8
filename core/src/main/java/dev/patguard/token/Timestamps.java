package dev.patguard.token;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads the ISO-8601 timestamps of the token JSON. {@link DateTimeFormatter} is general and slow (a
 * few microseconds and a dozen objects per value, and a token carries up to ten of them, so it was
 * the largest patguard cost of a cold lookup). The shape BRMS sends — UTC, {@code Z}, whole seconds
 * or a 1–9 digit fraction — is read by hand; anything else, valid or not, goes to the formatter, so
 * the accepted language and its results are the formatter's. A hand-written fast path kept on
 * purpose: jqwik properties in {@code TimestampsTest} hold it equal to the formatter on near-miss
 * inputs, and a JFR profile of the cold lookup (benchmarks/RESULTS.md §4) is why it exists.
 */
final class Timestamps {
  private static final int[] SCALE = {
    0, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1
  };

  /** A year beyond OffsetDateTime's nine digits: only Instant's range reaches there. */
  private static final Pattern EXTENDED_YEAR = Pattern.compile("[+-][0-9]{10,}-");

  private Timestamps() {}

  /**
   * As {@code OffsetDateTime.parse(text, ISO_OFFSET_DATE_TIME).toInstant()}, including its
   * exceptions; a signed year of ten or more digits, which {@code OffsetDateTime} cannot hold but
   * {@link Instant} can (up to {@code +1000000000-12-31T23:59:59.999999999Z}), as {@link
   * Instant#parse}.
   */
  static Instant parse(String text) {
    Instant fast = canonicalUtcOrNull(text);
    if (fast != null) {
      return fast;
    }
    try {
      return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      if (!EXTENDED_YEAR.matcher(text).lookingAt()) {
        throw e;
      }
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException beyond) {
        throw e;
      }
    }
  }

  /**
   * {@code uuuu-MM-ddTHH:mm:ss[.f{1,9}]Z} with every field in range, else null (not necessarily
   * invalid).
   */
  static @Nullable Instant canonicalUtcOrNull(String s) {
    int n = s.length();
    if (n < 20
        || n > 30
        || s.charAt(n - 1) != 'Z'
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || s.charAt(10) != 'T'
        || s.charAt(13) != ':'
        || s.charAt(16) != ':') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if (year < 0
        || month < 1
        || month > 12
        || day < 1
        || day > 31
        || hour < 0
        || hour > 23
        || minute < 0
        || minute > 59
        || second < 0
        || second > 59) {
      return null;
    }
    int nano = 0;
    if (n > 20) {
      int fractionDigits = n - 21;
      if (s.charAt(19) != '.' || fractionDigits < 1) {
        return null;
      }
      int fraction = digits(s, 20, fractionDigits);
      if (fraction < 0) {
        return null;
      }
      nano = fraction * SCALE[fractionDigits];
    }
    long epochDay;
    try {
      epochDay = LocalDate.of(year, month, day).toEpochDay(); // refuses 31 April, 29 February 2026
    } catch (DateTimeException e) {
      return null;
    }
    return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nano);
  }

  /** The decimal value of {@code count} ASCII digits at {@code from}, or -1 if any is not one. */
  private static int digits(String s, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
