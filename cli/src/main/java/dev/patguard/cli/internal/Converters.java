package dev.patguard.cli.internal;

import dev.patguard.decision.Requirement;
import dev.patguard.decision.RequirementFormatException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option value converters; each failure is a usage error quoting the value (never a secret). */
final class Converters {
  private Converters() {}

  /** {@code releases:deploy@web-shop} and the rest of {@link Requirement#parse}'s forms. */
  static final class RequirementConverter implements ITypeConverter<Requirement> {
    @Override
    public Requirement convert(String value) {
      try {
        return Requirement.parse(value);
      } catch (RequirementFormatException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /**
   * ISO-8601 ({@code P90D}, {@code PT5S}) or a number with a unit ({@code 90d}, {@code 12h}, {@code
   * 30m}, {@code 5s}, {@code 500ms}).
   */
  static final class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern SHORT = Pattern.compile("(\\d{1,9})(ms|[dhms])");

    @Override
    public Duration convert(String value) {
      String v = value.strip();
      Matcher m = SHORT.matcher(v.toLowerCase(Locale.ROOT));
      Duration d;
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        switch (m.group(2)) {
          case "d":
            d = Duration.ofDays(n);
            break;
          case "h":
            d = Duration.ofHours(n);
            break;
          case "m":
            d = Duration.ofMinutes(n);
            break;
          case "ms":
            d = Duration.ofMillis(n);
            break;
          default:
            d = Duration.ofSeconds(n);
        }
      } else {
        try {
          d = Duration.parse(v);
        } catch (DateTimeParseException e) {
          throw new TypeConversionException(
              "'" + value + "' is not a duration such as P90D, PT5S, 90d, 5s or 500ms");
        }
      }
      if (d.isNegative() || d.isZero()) {
        throw new TypeConversionException("'" + value + "' is not a positive duration");
      }
      return d;
    }
  }

  /** A UUID, as BRMS ids are. */
  static final class UuidConverter implements ITypeConverter<UUID> {
    @Override
    public UUID convert(String value) {
      try {
        UUID id = UUID.fromString(value);
        if (!id.toString().equalsIgnoreCase(value)) {
          throw new IllegalArgumentException(value);
        }
        return id;
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("'" + value + "' is not a UUID");
      }
    }
  }

  /**
   * A token id for {@code invalidate --token-id}. The value is not quoted back: an operator who
   * puts the secret there by mistake must not find it in the job log.
   */
  static final class TokenIdConverter implements ITypeConverter<UUID> {
    @Override
    public UUID convert(String value) {
      try {
        UUID id = UUID.fromString(value.strip());
        if (!id.toString().equalsIgnoreCase(value.strip())) {
          throw new IllegalArgumentException("not canonical");
        }
        return id;
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(
            "is not a token id (a UUID such as 3f2a9c1b-…); the value is not shown, in case it is"
                + " a secret: a secret goes in --token-env NAME or --token-stdin");
      }
    }
  }
}
