package dev.patguard.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;

/** The parameter checks and message translation, without a Maven build (the ITs run real ones). */
class GateMojoTest {
  private static final String SECRET = "Zq8mN2xWv4Kp7Rt1Ys6Lb3Hc9Jd0Fg5Ae2Ui7Oo";

  private final Map<String, String> env = new HashMap<>();

  private CheckMojo mojo() {
    CheckMojo m =
        new CheckMojo() {
          @Override
          Map<String, String> environment() {
            return env;
          }
        };
    m.requirements = List.of("releases:deploy@web-shop");
    return m;
  }

  @Test
  void commonArgumentsWhenAllSetThenCliOptionsWithoutTheSecret() throws Exception {
    env.put("PATGUARD_TOKEN", SECRET);
    CheckMojo m = mojo();
    m.brmsUrl = "https://acme.us1.gorules.io";
    m.timeout = "2s";

    List<String> args = m.commonArguments();

    assertEquals(
        List.of(
            "--require",
            "releases:deploy@web-shop",
            "--token-env",
            "PATGUARD_TOKEN",
            "--brms-url",
            "https://acme.us1.gorules.io",
            "--timeout",
            "2s"),
        args);
  }

  @Test
  void commonArgumentsWhenTokenEnvHoldsATokenThenRefusedWithoutShowingIt() {
    env.put("PATGUARD_BRMS_URL", "https://acme.us1.gorules.io");
    CheckMojo m = mojo();
    m.tokenEnv = SECRET;

    MojoExecutionException e = assertThrows(MojoExecutionException.class, m::commonArguments);

    assertTrue(e.getMessage().contains("(value not shown)"), e.getMessage());
    assertFalse(e.getMessage().contains(SECRET), e.getMessage());
  }

  @Test
  void commonArgumentsWhenNoUrlThenNamesParameterAndVariable() {
    env.put("PATGUARD_TOKEN", SECRET);

    MojoExecutionException e = assertThrows(MojoExecutionException.class, mojo()::commonArguments);

    assertEquals(
        "patguard: no BRMS URL: set <brmsUrl> (or -Dpatguard.brmsUrl) or the PATGUARD_BRMS_URL"
            + " environment variable",
        e.getMessage());
  }

  @Test
  void commonArgumentsWhenNoRequirementThenSaysHowToSetOne() {
    env.put("PATGUARD_TOKEN", SECRET);
    CheckMojo m = mojo();
    m.requirements = List.of(" ");

    MojoExecutionException e = assertThrows(MojoExecutionException.class, m::commonArguments);

    assertTrue(e.getMessage().startsWith("patguard: no requirement: set <requirements>"));
  }

  @Test
  void failOrWarnWhenIndeterminateAndNotFailOnIndeterminateThenWarnsButDenyStillFails()
      throws Exception {
    CheckMojo m = mojo();
    m.failOnIndeterminate = false;

    m.failOrWarn(new GateMojo.Run(2, "", ""), "patguard: INDETERMINATE");

    MojoFailureException e =
        assertThrows(
            MojoFailureException.class,
            () -> m.failOrWarn(new GateMojo.Run(1, "", ""), "patguard: DENY: …"));
    assertEquals("patguard: DENY: …", e.getMessage());
  }

  @Test
  void failOrWarnWhenIndeterminateThenFailsWithRetryLater() {
    MojoFailureException e =
        assertThrows(
            MojoFailureException.class,
            () -> mojo().failOrWarn(new GateMojo.Run(2, "", ""), "patguard: INDETERMINATE: x"));

    assertEquals("patguard: INDETERMINATE: x — retry later", e.getMessage());
  }

  @Test
  void failOrWarnWhenWarnOnlyThenNeitherFails() throws Exception {
    CheckMojo m = mojo();
    m.warnOnly = true;

    m.failOrWarn(new GateMojo.Run(1, "", ""), "patguard: DENY");
    m.failOrWarn(new GateMojo.Run(2, "", ""), "patguard: INDETERMINATE");
  }

  @Test
  void errorsWhenCliNamesItsOptionsThenThePluginsParameters() {
    GateMojo.Run run =
        new GateMojo.Run(
            64,
            "",
            "patguard: still waiting for BRMS (1 s)\u2026\n"
                + "patguard: error: Invalid value for option '--max-lifetime': 'soon' is not a"
                + " duration (see 'patguard check --help')\n");

    assertEquals("Invalid value for option <maxLifetime>: 'soon' is not a duration", run.errors());
    assertEquals(List.of("patguard: still waiting for BRMS (1 s)\u2026"), run.notes());
  }
}
