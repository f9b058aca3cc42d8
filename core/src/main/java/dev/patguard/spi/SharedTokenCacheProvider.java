package dev.patguard.spi;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Opens a {@link SharedTokenCache} from text settings, so that fleet mode can be configured without
 * code (the servlet filter's init-params {@code shared-cache=redis}, {@code redis-uri}, ...).
 * Implementations are found with {@link java.util.ServiceLoader}: a module {@code provides
 * dev.patguard.spi.SharedTokenCacheProvider with ...}, a class-path jar lists its class in {@code
 * META-INF/services/dev.patguard.spi.SharedTokenCacheProvider}. {@code patguard-redis} provides
 * {@code redis}.
 *
 * <p>A bad setting must fail {@link #open} with an {@link IllegalArgumentException} that names the
 * setting as the caller calls it ({@link Settings#label}) and, unless it could be secret, the
 * value: {@link Settings} builds such messages. Settings hold no secrets themselves: a password or
 * a key is named by an environment variable or a file, never given as a value.
 */
public interface SharedTokenCacheProvider {

  /**
   * The name users select the provider by, such as {@code redis}; lower case, and also the prefix
   * of its settings in the filter ({@code redis-uri}).
   *
   * @return the name
   */
  String name();

  /**
   * Every setting {@link #open} reads, without the caller's prefix (such as {@code uri}), so that
   * the caller can refuse unknown ones (a typo must not silently drop a setting).
   *
   * @return the setting names
   */
  Set<String> settingNames();

  /**
   * Opens the shared level; it should never wait for its store (connect in the background), since a
   * store that is down only means misses.
   *
   * @param settings the provider's settings, each checked
   * @return the shared level; if it is also {@link AutoCloseable}, whoever opened it closes it
   * @throws IllegalArgumentException naming the setting (and its value, unless secret) that is
   *     missing or wrong, or the environment variable or file it names that is unset or unreadable
   */
  SharedTokenCache open(Settings settings);

  /**
   * A read-only view of a provider's text settings with typed getters whose errors name the setting
   * as the user wrote it ({@code init-param redis-command-timeout}) and the value.
   */
  final class Settings {
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,18})(ms|s|m|h)");

    private final Map<String, String> values;
    private final Function<String, String> label;
    private final Function<String, @Nullable String> environment;

    private Settings(
        Map<String, String> values,
        Function<String, String> label,
        Function<String, @Nullable String> environment) {
      this.values = Map.copyOf(values);
      this.label = label;
      this.environment = environment;
    }

    /**
     * Settings.
     *
     * @param values the settings by name (without the caller's prefix); blank values count as unset
     * @param label how the user calls a setting, for messages: {@code uri -> "init-param
     *     redis-uri"}
     * @param environment reads environment variables (the ones settings name)
     * @return the view
     */
    public static Settings of(
        Map<String, String> values,
        Function<String, String> label,
        Function<String, @Nullable String> environment) {
      Objects.requireNonNull(values, "values must not be null");
      Objects.requireNonNull(label, "label must not be null");
      Objects.requireNonNull(environment, "environment must not be null");
      return new Settings(values, label, environment);
    }

    /**
     * How the user calls {@code key}.
     *
     * @param key a setting name
     * @return such as {@code init-param redis-uri}
     */
    public String label(String key) {
      return label.apply(key);
    }

    /**
     * The names of the settings that are set.
     *
     * @return the names, sorted
     */
    public Set<String> names() {
      return new TreeMap<>(values).keySet();
    }

    /**
     * A text setting, stripped.
     *
     * @param key the setting
     * @return its value, or empty if unset or blank
     */
    public Optional<String> string(String key) {
      String v = values.get(key);
      return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }

    /**
     * A text setting that must be set.
     *
     * @param key the setting
     * @return its value, stripped
     * @throws IllegalArgumentException naming the setting if it is unset or blank
     */
    public String required(String key) {
      return string(key)
          .orElseThrow(() -> new IllegalArgumentException(label(key) + " is required"));
    }

    /**
     * A duration setting: ISO-8601 ({@code PT30S}) or a whole number with {@code ms}, {@code s},
     * {@code m} or {@code h} ({@code 500ms}, {@code 30s}).
     *
     * @param key the setting
     * @return the duration, or empty if unset
     * @throws IllegalArgumentException naming the setting and the value if it is not a duration
     */
    public Optional<Duration> duration(String key) {
      Optional<String> v = string(key);
      if (v.isEmpty()) {
        return Optional.empty();
      }
      try {
        return Optional.of(parseDuration(v.get()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            label(key)
                + " must be a duration such as PT30S, 30s, 500ms, 5m or 1h; got \""
                + values.get(key)
                + "\"",
            e);
      }
    }

    /**
     * A whole-number setting.
     *
     * @param key the setting
     * @return the number, or empty if unset
     * @throws IllegalArgumentException naming the setting and the value if it is not a number
     */
    public Optional<Integer> integer(String key) {
      Optional<String> v = string(key);
      if (v.isEmpty()) {
        return Optional.empty();
      }
      try {
        return Optional.of(Integer.parseInt(v.get()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            label(key) + " must be a whole number; got \"" + values.get(key) + "\"", e);
      }
    }

    /**
     * The value of the environment variable a setting names (the setting's value is the variable's
     * name, never a secret).
     *
     * @param key the setting
     * @return the variable's value, or empty if the setting is unset
     * @throws IllegalArgumentException naming the setting and the variable if it is unset or empty;
     *     never quoting the variable's value
     */
    public Optional<String> environmentVariable(String key) {
      Optional<String> name = string(key);
      if (name.isEmpty()) {
        return Optional.empty();
      }
      String value = environment.apply(name.get());
      if (value == null || value.isEmpty()) {
        throw new IllegalArgumentException(
            label(key) + " names the environment variable " + name.get() + ", which is not set");
      }
      return Optional.of(value);
    }

    /**
     * A message for a value the provider's own checks refused, naming the setting and the value.
     *
     * @param key the setting
     * @param problem what is wrong, such as the builder's message
     * @param cause the builder's exception, or null
     * @return the exception to throw
     */
    public IllegalArgumentException invalid(String key, String problem, @Nullable Throwable cause) {
      return new IllegalArgumentException(
          label(key) + " \"" + values.get(key) + "\": " + problem, cause);
    }

    /**
     * A message for a value that may hold a secret (such as a URI with a password): names the
     * setting, never the value.
     *
     * @param key the setting
     * @param problem what is wrong; must not quote the value
     * @return the exception to throw
     */
    public IllegalArgumentException invalidSecret(String key, String problem) {
      return new IllegalArgumentException(label(key) + ": " + problem);
    }

    /**
     * Parses an ISO-8601 duration ({@code PT30S}) or a short form: a whole number and {@code ms},
     * {@code s}, {@code m} or {@code h} ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}; lower
     * case, no space).
     *
     * @param text the text
     * @return the duration (possibly zero or negative: callers check the range)
     * @throws IllegalArgumentException if {@code text} is neither
     */
    public static Duration parseDuration(String text) {
      String t = text.strip();
      if (t.startsWith("P") || t.startsWith("p") || t.startsWith("-P") || t.startsWith("+P")) {
        try {
          return Duration.parse(t);
        } catch (DateTimeParseException e) {
          throw new IllegalArgumentException("not an ISO-8601 duration: " + text, e);
        }
      }
      Matcher m = SHORT_DURATION.matcher(t);
      if (!m.matches()) {
        throw new IllegalArgumentException("not a duration: " + text);
      }
      long n = Long.parseLong(m.group(1));
      try {
        return switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          default -> Duration.ofHours(n);
        };
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("duration too long: " + text, e);
      }
    }

    /** Lists the names set, never the values (which may name secrets' variables). */
    @Override
    public String toString() {
      return "Settings" + names();
    }
  }
}
