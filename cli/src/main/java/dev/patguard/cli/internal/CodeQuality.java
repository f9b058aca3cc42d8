package dev.patguard.cli.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code check --codequality-file}: the findings as a GitLab code quality report (the subset of the
 * Code Climate format GitLab reads: description, check_name, fingerprint, severity, location). The
 * same findings, file and fingerprints as the SARIF log, so GitLab's merge-request widget compares
 * runs by the same identity code scanning uses.
 */
final class CodeQuality {
  private CodeQuality() {}

  /** The report: one issue per finding; an empty array when there is none. */
  static ArrayNode report(List<Finding> findings, String path) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ArrayNode issues = f.arrayNode();
    for (Finding finding : findings) {
      ObjectNode issue = issues.addObject();
      issue.put("description", finding.message());
      issue.put("check_name", finding.rule().id);
      issue.put("fingerprint", finding.fingerprint());
      issue.put("severity", severity(finding.rule()));
      ObjectNode location = issue.putObject("location");
      location.put("path", path);
      location.putObject("lines").put("begin", 1);
    }
    return issues;
  }

  /**
   * GitLab's severities from the rule: an over-privilege rule with a security severity of 7 or more
   * is critical, other errors major, warnings minor, notes info.
   */
  static String severity(Rule rule) {
    if (rule.securitySeverity != null && Double.parseDouble(rule.securitySeverity) >= 7.0) {
      return "critical";
    }
    return switch (rule.level) {
      case "error" -> "major";
      case "warning" -> "minor";
      default -> "info";
    };
  }

  /**
   * Writes the report of one run to a file.
   *
   * @throws CliException (usage) when the file cannot be written
   */
  static void write(Context ctx, ArtifactOptions artifact, List<Finding> findings, Path file) {
    try {
      Files.writeString(
          file,
          Output.JSON.writeValueAsString(report(findings, artifact.resolve(ctx))) + "\n",
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw CliException.usage(
          "cannot write the code quality report to "
              + file
              + ": "
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
          e);
    }
  }
}
