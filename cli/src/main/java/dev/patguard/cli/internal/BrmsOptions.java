package dev.patguard.cli.internal;

import dev.patguard.PatGuard;
import java.time.Duration;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** Where BRMS is and how long to wait for it. */
final class BrmsOptions {
  static final String URL_VARIABLE = "PATGUARD_BRMS_URL";

  @Option(
      names = "--brms-url",
      paramLabel = "URL",
      description =
          "The BRMS base URL, such as https://acme.us1.gorules.io (default: $"
              + URL_VARIABLE
              + ").")
  @Nullable String url;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = Converters.DurationConverter.class,
      description = "Longest wait for one BRMS call, retries included (default: 5s).")
  @Nullable Duration timeout;

  /** A guard for this run; the caller closes it. */
  PatGuard guard(Context ctx, @Nullable Supplier<String> adminCredential) {
    String base =
        url != null
            ? url
            : ctx.variable(URL_VARIABLE)
                .orElseThrow(
                    () ->
                        CliException.usage(
                            "no BRMS URL: pass --brms-url URL or set " + URL_VARIABLE));
    Duration t = timeout != null ? timeout : Duration.ofSeconds(5);
    try {
      PatGuard.Builder b =
          PatGuard.builder()
              .baseUrl(base)
              .clock(ctx.clock())
              .requestTimeout(t)
              .connectTimeout(t.compareTo(Duration.ofSeconds(2)) < 0 ? t : Duration.ofSeconds(2));
      if (adminCredential != null) {
        b.adminCredential(adminCredential);
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw CliException.usage("BRMS URL: " + e.getMessage(), e);
    }
  }
}
