package dev.patguard.maven;

import dev.patguard.cli.CliEnvironment;
import dev.patguard.cli.PatGuardCli;
import dev.patguard.decision.Requirement;
import dev.patguard.decision.RequirementFormatException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.jspecify.annotations.Nullable;

/**
 * What {@code check} and {@code explain} share: the requirements, where BRMS is, which environment
 * variable holds the token, and running the CLI in-process with the Maven process's environment.
 * The token is never a parameter or a property: only the NAME of its variable is.
 */
abstract class GateMojo extends AbstractMojo {
  static final String URL_VARIABLE = "PATGUARD_BRMS_URL";

  /** Upper-case letters, digits and '_': a random token (mixed case) never passes for a name. */
  private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Z_][A-Z0-9_]{0,63}");

  // Core logs through System.Logger (JUL by default); held so the level sticks, as the CLI does.
  private static final java.util.logging.Logger PATGUARD_LOGGER =
      java.util.logging.Logger.getLogger("dev.patguard");
  private static final Object JUL_LOCK = new Object();

  /**
   * What the release needs, such as {@code releases:deploy@web-shop}; all must hold. On the command
   * line: {@code -Dpatguard.requirements=releases:deploy@web-shop,releases:read@web-shop}.
   */
  @Parameter(property = "patguard.requirements", required = true)
  @Nullable List<String> requirements;

  /**
   * The BRMS base URL, such as {@code https://acme.us1.gorules.io}; default: $PATGUARD_BRMS_URL.
   */
  @Parameter(property = "patguard.brmsUrl")
  @Nullable String brmsUrl;

  /** The NAME of the environment variable that holds the token (never the token itself). */
  @Parameter(property = "patguard.tokenEnv", defaultValue = "PATGUARD_TOKEN")
  String tokenEnv = "PATGUARD_TOKEN";

  /** The token must expire within this long, such as {@code P90D} (ISO-8601 or {@code 90d}). */
  @Parameter(property = "patguard.maxLifetime")
  @Nullable String maxLifetime;

  /** Longest wait for one BRMS call, retries included (default: 5s). */
  @Parameter(property = "patguard.timeout")
  @Nullable String timeout;

  /**
   * Accept a required permission BRMS does not list (by default a typo is a configuration error).
   */
  @Parameter(property = "patguard.allowUnknownPermission", defaultValue = "false")
  boolean allowUnknownPermission;

  /**
   * Report-only: a deny, findings or an indeterminate outcome are logged as warnings and the build
   * goes on. Misconfiguration (no token variable, a bad requirement, a URL that is not BRMS) still
   * fails.
   */
  @Parameter(property = "patguard.warnOnly", defaultValue = "false")
  boolean warnOnly;

  /**
   * Fail when no decision could be reached (BRMS down, timeout). Off: only a warning, while a deny
   * still fails. Fail closed is the default.
   */
  @Parameter(property = "patguard.failOnIndeterminate", defaultValue = "true")
  boolean failOnIndeterminate = true;

  /** Skip the goal. */
  @Parameter(property = "patguard.skip", defaultValue = "false")
  boolean skip;

  /** The CLI options this plugin sets from a parameter, as the parameter is written in a POM. */
  private static final Map<String, String> OPTION_PARAMETERS =
      Map.of(
          "--allow-unknown-permission", "<allowUnknownPermission>true</allowUnknownPermission>",
          "--max-lifetime", "<maxLifetime>",
          "--timeout", "<timeout>",
          "--sarif-artifact", "<sarifArtifact>",
          "--brms-url", "<brmsUrl>",
          "--token-env", "<tokenEnv>",
          "--require", "requirement");

  /** The CLI's exit code and what it printed. */
  record Run(int exit, String stdout, String stderr) {
    /**
     * The CLI's error lines, without its {@code patguard: error: } prefix and its help hint, its
     * options named as this plugin's parameters.
     */
    String errors() {
      return stderr
          .lines()
          .filter(l -> l.startsWith("patguard: error: "))
          .map(l -> l.substring("patguard: error: ".length()))
          .map(l -> l.replaceAll(" \\(see '[^']*'\\)$", ""))
          .map(GateMojo::inPluginTerms)
          .collect(Collectors.joining("; "));
    }

    /** Progress and notes the CLI printed on standard error. */
    List<String> notes() {
      return stderr
          .lines()
          .filter(l -> !l.startsWith("patguard: error: ") && !l.isBlank())
          .collect(Collectors.toList());
    }
  }

  /** {@code --max-lifetime} → {@code <maxLifetime>}, and so on; the longest option first. */
  static String inPluginTerms(String message) {
    String m = message;
    List<String> options = new ArrayList<>(OPTION_PARAMETERS.keySet());
    options.sort((a, b) -> b.length() - a.length());
    for (String option : options) {
      m =
          m.replaceAll(
              "'?" + Pattern.quote(option) + "(?![a-z-])'?",
              Matcher.quoteReplacement(OPTION_PARAMETERS.get(option)));
    }
    return m;
  }

  /** The process environment; tests of the goals run real builds, so this is the real one. */
  Map<String, String> environment() {
    return System.getenv();
  }

  /**
   * The options every command takes from these parameters, after checking them here so that a
   * mistake is reported in the plugin's terms (a parameter, not a CLI option).
   */
  List<String> commonArguments() throws MojoExecutionException {
    List<String> args = new ArrayList<>();
    List<String> reqs = requirements == null ? List.of() : requirements;
    if (reqs.isEmpty() || reqs.stream().allMatch(String::isBlank)) {
      throw new MojoExecutionException(
          "patguard: no requirement: set <requirements><requirement>releases:deploy@web-shop"
              + "</requirement></requirements> (or -Dpatguard.requirements=…)");
    }
    for (String r : reqs) {
      String value = r.strip();
      if (value.isEmpty()) {
        continue;
      }
      try {
        Requirement.parse(value);
      } catch (RequirementFormatException e) {
        throw new MojoExecutionException(
            "patguard: requirement '" + value + "' is not valid: " + e.getMessage());
      }
      args.add("--require");
      args.add(value);
    }
    if (allowUnknownPermission) {
      args.add("--allow-unknown-permission");
    }
    String name = tokenEnv.strip();
    if (!VARIABLE_NAME.matcher(name).matches()) {
      // Never echo it: a token pasted here by mistake would land in the build log.
      throw new MojoExecutionException(
          "patguard: <tokenEnv> must be the NAME of an environment variable (A-Z, 0-9 and _, such"
              + " as PATGUARD_TOKEN), not the token itself (value not shown)");
    }
    String token = environment().get(name);
    if (token == null || token.isBlank()) {
      throw new MojoExecutionException(
          "patguard: environment variable "
              + name
              + " is not set or empty: it should hold the token (name another variable with"
              + " <tokenEnv> or -Dpatguard.tokenEnv)");
    }
    args.add("--token-env");
    args.add(name);
    String url = brmsUrl == null || brmsUrl.isBlank() ? null : brmsUrl.strip();
    if (url == null) {
      String fromEnv = environment().get(URL_VARIABLE);
      if (fromEnv == null || fromEnv.isBlank()) {
        throw new MojoExecutionException(
            "patguard: no BRMS URL: set <brmsUrl> (or -Dpatguard.brmsUrl) or the "
                + URL_VARIABLE
                + " environment variable");
      }
    } else {
      args.add("--brms-url");
      args.add(url);
    }
    if (timeout != null && !timeout.isBlank()) {
      args.add("--timeout");
      args.add(timeout.strip());
    }
    return args;
  }

  /** Runs {@code patguard args} in-process, with this process's variables and captured streams. */
  Run runCli(List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CliEnvironment env =
        CliEnvironment.builder()
            .variables(environment())
            .stdout(new PrintStream(out, true, StandardCharsets.UTF_8))
            .stderr(new PrintStream(err, true, StandardCharsets.UTF_8))
            .build();
    int exit;
    synchronized (JUL_LOCK) {
      java.util.logging.Level before = PATGUARD_LOGGER.getLevel();
      // As the CLI's main: core's multi-line outage logs only with -X; the result says it all.
      PATGUARD_LOGGER.setLevel(
          getLog().isDebugEnabled() ? java.util.logging.Level.ALL : java.util.logging.Level.OFF);
      try {
        exit = PatGuardCli.run(env, args.toArray(String[]::new));
      } finally {
        PATGUARD_LOGGER.setLevel(before);
      }
    }
    Run run =
        new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    run.notes().forEach(n -> getLog().info(n));
    return run;
  }

  /**
   * A usage error (64) as a configuration error; a URL that does not lead to BRMS says so. Other
   * codes: nothing.
   */
  static void refuseUsage(Run run) throws MojoExecutionException {
    if (run.exit() == PatGuardCli.USAGE) {
      String errors = run.errors();
      if (errors.startsWith("misconfigured BRMS URL")) {
        throw new MojoExecutionException(
            "patguard: "
                + errors
                + " — check the BRMS URL (<brmsUrl>, -Dpatguard.brmsUrl or "
                + URL_VARIABLE
                + ")");
      }
      throw new MojoExecutionException("patguard: " + errors);
    }
    if (run.exit() == PatGuardCli.INTERNAL_ERROR) {
      throw new MojoExecutionException("patguard: " + run.errors());
    }
  }

  /**
   * A deny or a could-not-decide: fails the build, or only warns in report-only mode (and, for
   * could-not-decide, with {@code failOnIndeterminate=false}).
   */
  void failOrWarn(Run run, String message) throws MojoFailureException {
    boolean indeterminate = run.exit() == PatGuardCli.INDETERMINATE;
    String text = indeterminate ? message + " — retry later" : message;
    if (warnOnly || (indeterminate && !failOnIndeterminate)) {
      getLog()
          .warn(text + (warnOnly ? " (report-only: warnOnly)" : " (failOnIndeterminate=false)"));
      return;
    }
    throw new MojoFailureException(text);
  }
}
