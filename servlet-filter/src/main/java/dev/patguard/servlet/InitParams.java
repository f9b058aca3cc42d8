package dev.patguard.servlet;

import dev.patguard.LookupStrategy;
import dev.patguard.PatGuard;
import dev.patguard.spi.SharedTokenCache;
import dev.patguard.spi.SharedTokenCacheProvider;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
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
          "max-retries",
          "shared-cache",
          "shared-cache-timeout",
          "shared-lock-wait");

  /** The environment variable {@code brms-url} falls back to. */
  static final String BRMS_URL_ENV = "PATGUARD_BRMS_URL";

  /** The system property {@code brms-url} falls back to, after the environment variable. */
  static final String BRMS_URL_PROPERTY = "patguard.brms.url";

  private InitParams() {}

  /**
   * The configuration read from init-params.
   *
   * @param builder the filter's settings, the guard set
   * @param guard the guard built from them; the filter closes it
   * @param urlSource where the BRMS URL came from, for the log
   * @param shared the shared cache opened for the {@code shared-cache} init-param, or null; the
   *     filter closes it after the guard
   */
  record Configured(
      PatGuardFilter.Builder builder,
      PatGuard guard,
      String urlSource,
      @Nullable SharedTokenCache shared) {

    /** Closes the guard, then the shared cache it used. */
    void close() {
      guard.close();
      closeShared(shared);
    }
  }

  /** Closes a shared cache the filter opened, if it can be closed. */
  static void closeShared(@Nullable SharedTokenCache shared) {
    if (shared instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        System.getLogger(PatGuardFilter.class.getName())
            .log(System.Logger.Level.WARNING, "closing the shared cache " + shared + " failed", e);
      }
    }
  }

  /** The shared caches on the class path (or module path): patguard-redis provides redis. */
  static Iterable<SharedTokenCacheProvider> installedProviders() {
    return ServiceLoader.load(SharedTokenCacheProvider.class);
  }

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
    return read(config, environment, properties, installedProviders());
  }

  /**
   * Reads every init-param; throws naming the one that is wrong.
   *
   * @param providers the shared caches {@code shared-cache} may name
   */
  static Configured read(
      FilterConfig config,
      Function<String, @Nullable String> environment,
      Function<String, @Nullable String> properties,
      Iterable<SharedTokenCacheProvider> providers) {
    SharedTokenCacheProvider provider = provider(config, providers);
    Set<String> known = new TreeSet<>(INIT_PARAMS);
    if (provider != null) {
      for (String s : provider.settingNames()) {
        known.add(provider.name() + "-" + s);
      }
    }
    for (String name : Collections.list(config.getInitParameterNames())) {
      if (!known.contains(name)) {
        throw new IllegalArgumentException(
            "unknown init-param \""
                + name
                + "\" (known: "
                + String.join(", ", known)
                + ")"
                + (provider == null && name.startsWith("redis-")
                    ? "; fleet-mode settings such as redis-uri need shared-cache=redis"
                    : ""));
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
    for (String name : new String[] {"shared-cache-timeout", "shared-lock-wait"}) {
      if (provider == null && config.getInitParameter(name) != null) {
        throw new IllegalArgumentException(
            "init-param " + name + " needs the init-param shared-cache (such as redis)");
      }
    }
    duration(config, "shared-cache-timeout", guard::sharedCacheTimeout);
    duration(config, "shared-lock-wait", guard::sharedLockWait);
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
    // Opened and built last, once nothing else can fail: a container does not destroy() a filter
    // whose init threw.
    SharedTokenCache shared = provider == null ? null : open(provider, config, environment);
    if (shared != null) {
      guard.sharedCache(shared);
    }
    PatGuard built;
    try {
      built = guard.build();
    } catch (RuntimeException e) {
      closeShared(shared);
      if (shared != null && String.valueOf(e.getMessage()).startsWith("sharedLockWait")) {
        throw new IllegalArgumentException("init-param shared-lock-wait: " + e.getMessage(), e);
      }
      throw e;
    }
    return new Configured(b.guard(built), built, urlSource, shared);
  }

  /** The provider the init-param shared-cache names, or null if it is unset. */
  private static @Nullable SharedTokenCacheProvider provider(
      FilterConfig config, Iterable<SharedTokenCacheProvider> providers) {
    String name = config.getInitParameter("shared-cache");
    if (name == null || name.isBlank()) {
      return null;
    }
    String wanted = name.strip();
    Set<String> available = new TreeSet<>();
    try {
      for (SharedTokenCacheProvider p : providers) {
        if (p.name().equals(wanted)) {
          return p;
        }
        available.add(p.name());
      }
    } catch (java.util.ServiceConfigurationError e) {
      throw new IllegalArgumentException(
          "init-param shared-cache \""
              + name
              + "\": a shared cache could not be loaded: "
              + e.getMessage(),
          e);
    }
    String hint =
        wanted.equals("redis")
            ? "add the artifact dev.patguard:patguard-redis to the web app (WEB-INF/lib)"
            : "known here: " + (available.isEmpty() ? "none" : String.join(", ", available));
    throw new IllegalArgumentException(
        "init-param shared-cache \""
            + name
            + "\": no such shared cache on the class path; "
            + hint);
  }

  /** Opens the shared cache from the init-params named {@code <provider>-<setting>}. */
  private static SharedTokenCache open(
      SharedTokenCacheProvider provider,
      FilterConfig config,
      Function<String, @Nullable String> environment) {
    String prefix = provider.name() + "-";
    Map<String, String> values = new HashMap<>();
    for (String name : Collections.list(config.getInitParameterNames())) {
      if (name.startsWith(prefix)) {
        values.put(name.substring(prefix.length()), config.getInitParameter(name));
      }
    }
    try {
      return provider.open(
          SharedTokenCacheProvider.Settings.of(
              values, key -> "init-param " + prefix + key, environment));
    } catch (LinkageError e) {
      // Such as patguard-redis without its client library (io.lettuce:lettuce-core).
      throw new IllegalArgumentException(
          "init-param shared-cache \""
              + provider.name()
              + "\": a class it needs is missing ("
              + e
              + "); add the artifact's dependencies to the web app",
          e);
    }
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
    return SharedTokenCacheProvider.Settings.parseDuration(text);
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
