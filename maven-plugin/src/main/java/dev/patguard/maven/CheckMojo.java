package dev.patguard.maven;

import dev.patguard.cli.PatGuardCli;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * {@code patguard:check}: the deploy gate. Fails the build when the token in the environment
 * variable {@code tokenEnv} may not do everything the requirements say (with the reasons), and when
 * no decision could be reached (BRMS down, timeout: retry later). Bound to {@code verify} by
 * default; bind it to {@code deploy} to gate only releases.
 */
@Mojo(
    name = "check",
    defaultPhase = LifecyclePhase.VERIFY,
    threadSafe = true,
    requiresProject = false)
public class CheckMojo extends GateMojo {
  /** Also fail when the token holds more than the requirements need (or lives past maxLifetime). */
  @Parameter(property = "patguard.leastPrivilege", defaultValue = "false")
  boolean leastPrivilege;

  /** Maven instantiates the goal. */
  public CheckMojo() {}

  /**
   * Runs the gate.
   *
   * @throws MojoExecutionException when the goal is misconfigured: no token variable, a bad
   *     requirement, a URL that is not BRMS
   * @throws MojoFailureException on a deny (the reasons) or when no decision could be reached
   */
  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("patguard: check skipped");
      return;
    }
    List<String> args = new ArrayList<>();
    args.add("check");
    args.addAll(commonArguments());
    if (leastPrivilege) {
      args.add("--least-privilege");
    }
    if (maxLifetime != null && !maxLifetime.isBlank()) {
      args.add("--max-lifetime");
      args.add(maxLifetime.strip());
    }
    Run run = runCli(args);
    refuseUsage(run);
    String result = run.stdout().strip();
    if (run.exit() == PatGuardCli.PERMIT) {
      result.lines().forEach(l -> getLog().info("patguard: " + l));
      return;
    }
    String message = "patguard: " + (result.isEmpty() ? run.errors() : result);
    failOrWarn(run, message);
  }
}
