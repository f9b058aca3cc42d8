package dev.patguard.cli.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.patguard.cli.PatGuardCli;
import dev.patguard.decision.TokenSubject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * SARIF 2.1.0 as GitHub code scanning accepts it: every result has a physical location (the {@code
 * --sarif-artifact} file, line 1, relative to {@code %SRCROOT%}), a rule id listed in {@code
 * tool.driver.rules} with its help, a level, a message and partial fingerprints that stay the same
 * across runs, so an upload updates an alert instead of adding a duplicate.
 */
final class Sarif {
  static final String SCHEMA =
      "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

  /**
   * patguard's own fingerprint key; the value is also given as GitHub's primaryLocationLineHash.
   */
  static final String FINGERPRINT_KEY = "patguardFinding/v1";

  private Sarif() {}

  /** Prints the log of one run on standard output. */
  static void print(
      Context ctx,
      String command,
      ArtifactOptions artifact,
      List<Finding> findings,
      int exit,
      @Nullable String failure) {
    String uri = ArtifactOptions.toUri(artifact.resolve(ctx));
    ctx.output().json(log(command, findings, uri, VersionProvider.version(), exit, failure));
  }

  /**
   * Writes the log of one run to a file ({@code check --sarif-file}), beside the chosen format.
   *
   * @throws CliException (usage) when the file cannot be written
   */
  static void write(
      Context ctx,
      String command,
      ArtifactOptions artifact,
      List<Finding> findings,
      int exit,
      @Nullable String failure,
      Path file) {
    String uri = ArtifactOptions.toUri(artifact.resolve(ctx));
    ObjectNode log = log(command, findings, uri, VersionProvider.version(), exit, failure);
    try {
      Files.writeString(file, Output.JSON.writeValueAsString(log) + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw CliException.usage(
          "cannot write the SARIF log to "
              + file
              + ": "
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
          e);
    }
  }

  /**
   * The log of one run.
   *
   * @param command {@code check} or {@code explain}: the automation category
   * @param findings the results, in order
   * @param artifactUri the relative URI every result is located at
   * @param version patguard's version
   * @param exit the run's exit code
   * @param failure why the run could not decide or review, or null
   */
  static ObjectNode log(
      String command,
      List<Finding> findings,
      String artifactUri,
      String version,
      int exit,
      @Nullable String failure) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode sarif = f.objectNode();
    sarif.put("$schema", SCHEMA);
    sarif.put("version", "2.1.0");
    ObjectNode run = sarif.putArray("runs").addObject();
    ObjectNode driver = run.putObject("tool").putObject("driver");
    driver.put("name", "patguard");
    driver.put("semanticVersion", version);
    driver.put("version", version);
    driver.put("informationUri", "https://github.com/patguard/patguard");
    ArrayNode rules = driver.putArray("rules");
    for (Rule rule : Rule.values()) {
      rules.add(rule(rule));
    }
    // One category per command: a check's upload does not close an explain's alerts.
    run.putObject("automationDetails").put("id", "patguard/" + command + "/");
    ObjectNode invocation = run.putArray("invocations").addObject();
    invocation.put("executionSuccessful", exit == PatGuardCli.PERMIT || exit == PatGuardCli.DENY);
    invocation.put("exitCode", exit);
    if (failure != null) {
      ObjectNode n = invocation.putArray("toolExecutionNotifications").addObject();
      n.put("level", "error");
      n.putObject("message").put("text", failure);
    }
    ArrayNode results = run.putArray("results");
    for (Finding finding : findings) {
      results.add(result(finding, artifactUri));
    }
    return sarif;
  }

  private static ObjectNode rule(Rule rule) {
    ObjectNode r = JsonNodeFactory.instance.objectNode();
    r.put("id", rule.id);
    r.put("name", rule.name);
    r.putObject("shortDescription").put("text", rule.shortDescription);
    r.putObject("fullDescription").put("text", rule.fullDescription);
    ObjectNode help = r.putObject("help");
    help.put("text", rule.fullDescription + " " + rule.help);
    help.put(
        "markdown",
        "**"
            + rule.shortDescription
            + "**\n\n"
            + rule.fullDescription
            + "\n\n**Fix:** "
            + rule.help);
    r.putObject("defaultConfiguration").put("level", rule.level);
    ObjectNode props = r.putObject("properties");
    ArrayNode tags = props.putArray("tags");
    tags.add("patguard");
    tags.add("access-token");
    if (rule.securitySeverity != null) {
      tags.add("security");
      props.put("security-severity", rule.securitySeverity);
    }
    return r;
  }

  private static ObjectNode result(Finding finding, String artifactUri) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("ruleId", finding.rule().id);
    o.put("ruleIndex", finding.rule().ordinal());
    o.put("level", finding.rule().level);
    o.putObject("message").put("text", finding.message());
    ObjectNode location = o.putArray("locations").addObject();
    ObjectNode physical = location.putObject("physicalLocation");
    physical.putObject("artifactLocation").put("uri", artifactUri).put("uriBaseId", "%SRCROOT%");
    physical.putObject("region").put("startLine", 1);
    TokenSubject s = finding.subject();
    location
        .putArray("logicalLocations")
        .addObject()
        .put("name", s.label())
        .put("kind", "resource");
    String fingerprint = finding.fingerprint();
    // upload-sarif computes primaryLocationLineHash from the file's line only when it is missing:
    // every finding is on line 1, so without ours distinct findings would merge into one alert.
    o.putObject("partialFingerprints")
        .put(FINGERPRINT_KEY, fingerprint)
        .put("primaryLocationLineHash", fingerprint);
    ObjectNode props = o.putObject("properties");
    props.setAll(Reports.token(s));
    ArrayNode reqs = props.putArray("requirements");
    finding.requirements().forEach(reqs::add);
    return o;
  }
}
