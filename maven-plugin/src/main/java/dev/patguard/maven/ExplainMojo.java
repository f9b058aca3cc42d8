package dev.patguard.maven;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.patguard.cli.PatGuardCli;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.jspecify.annotations.Nullable;

/**
 * {@code patguard:explain}: the least-privilege review of the token in {@code tokenEnv} against the
 * requirements, written as {@code explain.txt}, {@code explain.json} and {@code explain.sarif}
 * (SARIF 2.1.0, for code scanning) under {@code ${project.build.directory}/patguard/}. Findings are
 * warnings unless {@code failOnFindings}; a token BRMS rejects fails the build, and so does a
 * review that could not run (retry later), unless {@code warnOnly}.
 */
@Mojo(name = "explain", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class ExplainMojo extends GateMojo {
  /** Which reports to write: {@code text}, {@code json}, {@code sarif}. */
  @Parameter(property = "patguard.formats", defaultValue = "text,json,sarif")
  @Nullable List<String> formats;

  /** Where the reports go. */
  @Parameter(
      property = "patguard.outputDirectory",
      defaultValue = "${project.build.directory}/patguard")
  @Nullable File outputDirectory;

  /**
   * The repository-relative file SARIF results point at, such as {@code
   * .github/workflows/deploy.yml} (default: the running GitHub workflow, GitLab's CI_CONFIG_PATH,
   * else {@code patguard.yml}).
   */
  @Parameter(property = "patguard.sarifArtifact")
  @Nullable String sarifArtifact;

  /** Fail the build when the token holds more than it needs or lives too long. */
  @Parameter(property = "patguard.failOnFindings", defaultValue = "false")
  boolean failOnFindings;

  /** Maven instantiates the goal. */
  public ExplainMojo() {}

  /**
   * Reviews the token and writes the reports.
   *
   * @throws MojoExecutionException when the goal is misconfigured or a report cannot be written
   * @throws MojoFailureException when the token is rejected, the review could not run, or (with
   *     {@code failOnFindings}) it has findings
   */
  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("patguard: explain skipped");
      return;
    }
    Set<String> wanted = new LinkedHashSet<>();
    for (String f : formats == null ? List.<String>of() : formats) {
      String format = f.strip().toLowerCase(Locale.ROOT);
      if (!format.isEmpty() && !List.of("text", "json", "sarif").contains(format)) {
        throw new MojoExecutionException(
            "patguard: report format '" + f.strip() + "' is not one of text, json, sarif");
      }
      if (!format.isEmpty()) {
        wanted.add(format);
      }
    }
    if (wanted.isEmpty()) {
      throw new MojoExecutionException("patguard: <formats> names no report (text, json, sarif)");
    }
    if (outputDirectory == null) {
      throw new MojoExecutionException("patguard: <outputDirectory> is not set");
    }
    List<String> common = commonArguments();
    Path dir = outputDirectory.toPath();
    Run review = null;
    Path reviewFile = null;
    boolean reviewIsText = false;
    List<Path> written = new ArrayList<>();
    for (String format : wanted) {
      List<String> args = new ArrayList<>();
      args.add("explain");
      args.addAll(common);
      if (maxLifetime != null && !maxLifetime.isBlank()) {
        args.add("--max-lifetime");
        args.add(maxLifetime.strip());
      }
      args.add("--format");
      args.add(format);
      if (format.equals("sarif") && sarifArtifact != null && !sarifArtifact.isBlank()) {
        args.add("--sarif-artifact");
        args.add(sarifArtifact.strip());
      }
      // One run per report: each format is the CLI's own rendering of the same review.
      Run run = runCli(args);
      refuseUsage(run);
      String content = run.stdout();
      if (content.isBlank() && !run.errors().isEmpty()) {
        // No review to print (token rejected, BRMS down): the report says why instead.
        content = format.equals("json") ? errorJson(run) : run.errors() + System.lineSeparator();
      }
      Path file = dir.resolve(format.equals("text") ? "explain.txt" : "explain." + format);
      write(file, content);
      written.add(file);
      if (review == null || format.equals("text")) {
        review = run;
        reviewFile = file;
        reviewIsText = format.equals("text");
      }
    }
    getLog().info("patguard: wrote " + written);
    if (review != null && reviewFile != null) {
      judge(review, reviewIsText ? null : reviewFile);
    }
  }

  private static String errorJson(Run run) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("error", run.errors());
    json.put("exitCode", run.exit());
    return json.toPrettyString() + System.lineSeparator();
  }

  /**
   * Logs the review or fails; {@code report} is the file to point at when the review ran in a
   * machine format (JSON, SARIF), whose text is not for the log.
   */
  private void judge(Run run, @Nullable Path report) throws MojoFailureException {
    String result =
        report == null
            ? run.stdout().strip()
            : (run.exit() == PatGuardCli.PERMIT ? "least privilege" : "NOT least privilege")
                + ": see "
                + report;
    switch (run.exit()) {
      case PatGuardCli.PERMIT -> result.lines().forEach(l -> getLog().info("patguard: " + l));
      case PatGuardCli.DENY -> {
        if (!run.errors().isEmpty()) {
          // No review: BRMS rejected the token (or has no such token).
          failOrWarn(run, "patguard: " + run.errors());
        } else if (failOnFindings) {
          failOrWarn(run, "patguard: " + result);
        } else {
          result.lines().forEach(l -> getLog().warn("patguard: " + l));
        }
      }
      default -> failOrWarn(run, "patguard: " + (run.errors().isEmpty() ? result : run.errors()));
    }
  }

  private static void write(Path file, String content) throws MojoExecutionException {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new MojoExecutionException("patguard: cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
