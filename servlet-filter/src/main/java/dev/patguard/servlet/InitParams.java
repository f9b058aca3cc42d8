package dev.patguard.servlet;

import dev.patguard.LookupStrategy;
import dev.patguard.PatGuard;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The filter's {@code web.xml} configuration: reads and checks the init-params into a configured
 * {@link PatGuardFilter.Builder} and the {@link PatGuard} it built for them, which the filter owns.
 * Unknown init-params are refused, so that a typo such as {@code report_only} cannot silently
 * disable anything.
 */
final class InitParams {
  private static final Set<String> INIT_PARAMS =
      Set.of(
          "policy",
          "brms-url",
          "lookup",
          "admin-credential-env",
          "realm",
          "report-only",
          "unmatched",
          "allow-query-token",
          "max-token-length",
          "recheck-dispatch-types",
          "cache-ttl",
          "negative-cache-ttl",
          "connect-timeout",
          "request-timeout",
          "decision-timeout",
          "stale-if-error",
          "max-retries");

  /** The environment variable {@code brms-url} falls back to. */
  static final String BRMS_URL_ENV = "PATGUARD_BRMS_URL";

  /** The system property {@code brms-url} falls back to, after the environment variable. */
  static final String BRMS_URL_PROPERTY = "patguard.brms.url";

  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,18})(ms|s|m|h)");

  private InitParams() {}

  /**
   * The configuration read from init-params.
   *
   * @param builder the filter's settings, the guard set
   * @param guard the guard built from them; the filter closes it
   */
  record Configured(PatGuardFilter.Builder builder, PatGuard guard, String urlSource) {}

  /**
   * Reads every init-param, with the real system properties; throws naming the one that is wrong.
   */
  static Configured read(FilterConfig config, Function<String, @Nullable String> environment) {
    return read(config, environment, System::getProperty);
  }

  /**
   * Reads every init-param; throws naming the one that is wrong.
   *
   * @param environment reads environment variables ({@code PATGUARD_BRMS_URL}, the one {@code
   *     admin-credential-env} names)
   * @param properties reads system properties ({@code patguard.brms.url})
   */
  static Configured read(
      FilterConfig config,
      Function<String, @Nullable String> environment,
      Function<String, @Nullable String> properties) {
    for (String name : Collections.list(config.getInitParameterNames())) {
      if (!INIT_PARAMS.contains(name)) {
        throw new IllegalArgumentException(
            "unknown init-param \""
                + name
                + "\" (known: "
                + String.join(", ", new java.util.TreeSet<>(INIT_PARAMS))
                + ")");
      }
    }
    PatGuard.Builder guard = PatGuard.builder();
    String urlSource = brmsUrl(config, environment, properties, guard);
    duration(config, "cache-ttl", guard::cacheTtl);
    duration(config, "negative-cache-ttl", guard::negativeCacheTtl);
    duration(config, "connect-timeout", guard::connectTimeout);
    duration(config, "request-timeout", guard::requestTimeout);
    duration(config, "decision-timeout", guard::decisionTimeout);
    duration(config, "stale-if-error", guard::staleIfError);
    String retries = config.getInitParameter("max-retries");
    if (retries != null) {
      int n;
      try {
        n = Integer.parseInt(retries.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "init-param max-retries must be a number; got \"" + retries + "\"", e);
      }
      try {
        guard.maxRetries(n);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "init-param max-retries \"" + retries + "\": " + e.getMessage(), e);
      }
    }
    String lookup = config.getInitParameter("lookup");
    if (lookup != null) {
      try {
        guard.lookup(LookupStrategy.parse(lookup.strip()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "init-param lookup \"" + lookup + "\": " + e.getMessage(), e);
      }
    }
    String env = config.getInitParameter("admin-credential-env");
    if (env != null) {
      if (environment.apply(env) == null) {
        throw new IllegalArgumentException(
            "init-param admin-credential-env names " + env + ", which is not set");
      }
      Function<String, @Nullable String> read = environment;
      guard.adminCredential(
          () -> Objects.requireNonNull(read.apply(env), "environment variable " + env));
    }
    RoutePolicy policy = loadPolicy(required(config, "policy"), config);
    String unmatched = config.getInitParameter("unmatched");
    if (unmatched != null) {
      try {
        policy = policy.withUnmatched(Unmatched.parse(unmatched));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("init-param unmatched " + e.getMessage(), e);
      }
    }
    PatGuardFilter.Builder b = PatGuardFilter.builder().policy(policy);
    String realm = config.getInitParameter("realm");
    if (realm != null) {
      b.realm(realm);
    }
    b.reportOnly(bool(config, "report-only"));
    b.allowQueryToken(bool(config, "allow-query-token"));
    String max = config.getInitParameter("max-token-length");
    if (max != null) {
      try {
        b.maxTokenLength(Integer.parseInt(max.strip()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "init-param max-token-length must be a number; got \"" + max + "\"", e);
      }
    }
    String types = config.getInitParameter("recheck-dispatch-types");
    if (types != null && !types.isBlank()) {
      java.util.List<DispatcherType> list = new java.util.ArrayList<>();
      for (String t : types.split(",", -1)) {
        try {
          list.add(DispatcherType.valueOf(t.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "init-param recheck-dispatch-types: \""
                  + t.strip()
                  + "\" is not one of FORWARD, INCLUDE, ERROR",
              e);
        }
      }
      try {
        b.recheckDispatchTypes(list.toArray(DispatcherType[]::new));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "init-param recheck-dispatch-types: " + e.getMessage(), e);
      }
    }
    // Built last, once nothing else can fail: a container does not destroy() a filter whose init
    // threw.
    PatGuard built = guard.build();
    return new Configured(b.guard(built), built, urlSource);
  }

  /**
   * Sets the BRMS URL from the first of the init-param, the environment variable and the system
   * property that is set and not blank.
   *
   * @return where the URL came from, for the log
   */
  private static String brmsUrl(
      FilterConfig config,
      Function<String, @Nullable String> environment,
      Function<String, @Nullable String> properties,
      PatGuard.Builder guard) {
    String[] sources = {
      "init-param brms-url",
      "environment variable " + BRMS_URL_ENV,
      "system property " + BRMS_URL_PROPERTY
    };
    String[] values = {
      config.getInitParameter("brms-url"),
      environment.apply(BRMS_URL_ENV),
      properties.apply(BRMS_URL_PROPERTY)
    };
    for (int i = 0; i < sources.length; i++) {
      String v = values[i];
      if (v != null && !v.isBlank()) {
        try {
          guard.baseUrl(v.strip());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(sources[i] + ": " + e.getMessage(), e);
        }
        return sources[i];
      }
    }
    throw new IllegalArgumentException(
        "no BRMS URL: set the init-param brms-url, the environment variable "
            + BRMS_URL_ENV
            + " or the system property "
            + BRMS_URL_PROPERTY);
  }

  private static void duration(FilterConfig config, String name, Consumer<Duration> setting) {
    String v = config.getInitParameter(name);
    if (v == null) {
      return;
    }
    Duration d;
    try {
      d = parseDuration(v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "init-param "
              + name
              + " must be a duration such as PT30S, 30s, 500ms, 5m or 1h; got \""
              + v
              + "\"",
          e);
    }
    try {
      setting.accept(d);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "init-param " + name + " \"" + v + "\": " + e.getMessage(), e);
    }
  }

  /**
   * Parses an ISO-8601 duration ({@code PT30S}) or a short form: a whole number and {@code ms},
   * {@code s}, {@code m} or {@code h} ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}).
   *
   * @throws IllegalArgumentException if {@code text} is neither
   */
  static Duration parseDuration(String text) {
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

  private static RoutePolicy loadPolicy(String location, FilterConfig config) {
    if (location.startsWith("classpath:")) {
      String resource = location.substring("classpath:".length());
      while (resource.startsWith("/")) {
        resource = resource.substring(1);
      }
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      if (loader == null) {
        loader = InitParams.class.getClassLoader();
      }
      InputStream in = loader.getResourceAsStream(resource);
      if (in == null) {
        throw new PolicyException("policy " + location + ": no such classpath resource");
      }
      try (in) {
        return RoutePolicy.read(in, RoutePolicy.Format.ofFileName(resource), location);
      } catch (IOException e) {
        throw new PolicyException("policy " + location + ": " + e.getMessage(), e);
      }
    }
    return RoutePolicy.load(Path.of(location));
  }

  private static String required(FilterConfig config, String name) {
    String v = config.getInitParameter(name);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("init-param " + name + " is required");
    }
    return v.strip();
  }

  private static boolean bool(FilterConfig config, String name) {
    String v = config.getInitParameter(name);
    if (v == null) {
      return false;
    }
    return switch (v.strip().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new IllegalArgumentException(
              "init-param " + name + " must be true or false; got \"" + v + "\"");
    };
  }
}
