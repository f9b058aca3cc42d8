package dev.patguard.servlet;

import dev.patguard.LookupStrategy;
import dev.patguard.PatGuard;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
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
          "recheck-dispatch-types");

  private InitParams() {}

  /**
   * The configuration read from init-params.
   *
   * @param builder the filter's settings, the guard set
   * @param guard the guard built from them; the filter closes it
   */
  record Configured(PatGuardFilter.Builder builder, PatGuard guard) {}

  /** Reads every init-param; throws naming the one that is wrong. */
  static Configured read(FilterConfig config, Function<String, @Nullable String> environment) {
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
    String url = required(config, "brms-url");
    PatGuard.Builder guard = PatGuard.builder().baseUrl(url);
    String lookup = config.getInitParameter("lookup");
    if (lookup != null) {
      guard.lookup(LookupStrategy.parse(lookup));
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
    return new Configured(b.guard(built), built);
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
