package dev.patguard.cli.internal;

import dev.patguard.decision.Decision;
import dev.patguard.decision.DenyReason;
import dev.patguard.decision.Requirement;
import dev.patguard.decision.Warning;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * {@code --format github}: workflow-command annotations ({@code ::error ...::message}) for the log
 * and the checks page, and a Markdown job summary for {@code $GITHUB_STEP_SUMMARY}.
 */
final class GitHub {
  static final String SUMMARY_VARIABLE = "GITHUB_STEP_SUMMARY";

  private GitHub() {}

  /**
   * Prints the headline and one annotation per finding on standard output, and appends the job
   * summary to {@code $GITHUB_STEP_SUMMARY} when it is set. A summary that cannot be written is a
   * note on standard error: it does not change the gate's exit code.
   */
  static void print(
      Context ctx,
      String command,
      ArtifactOptions artifact,
      String headline,
      String outcome,
      int exit,
      Decision decision,
      List<Requirement> requirements,
      List<Finding> findings,
      @Nullable String failure) {
    Output out = ctx.output();
    String file = artifact.resolve(ctx);
    out.line(headline);
    findings.forEach(f -> out.line(annotation(f, file)));
    Optional<String> target = ctx.variable(SUMMARY_VARIABLE);
    if (target.isPresent()) {
      String md = summary(command, outcome, exit, decision, requirements, findings, failure);
      try {
        Files.writeString(
            Path.of(target.get()),
            md,
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND,
            StandardOpenOption.WRITE);
      } catch (IOException | InvalidPathException e) {
        out.note(
            "cannot append the job summary to $"
                + SUMMARY_VARIABLE
                + " ("
                + target.get()
                + "): "
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
      }
    }
  }

  /** {@code ::error file=F,line=1,title=T::message}; the command follows the rule's level. */
  static String annotation(Finding f, String file) {
    String command =
        switch (f.rule().level) {
          case "error" -> "error";
          case "warning" -> "warning";
          default -> "notice";
        };
    return "::"
        + command
        + " file="
        + property(file)
        + ",line=1,title="
        + property(f.rule().id)
        + "::"
        + data(f.message());
  }

  /** Escapes a command's message as GitHub's runner reads it: {@code %}, CR and LF. */
  static String data(String s) {
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
  }

  /** Escapes a property value: as {@link #data}, plus {@code :} and {@code ,}. */
  static String property(String s) {
    return data(s).replace(":", "%3A").replace(",", "%2C");
  }

  /**
   * The job summary: a heading with the outcome and exit code, a table of requirement, outcome and
   * reason, then every finding. The token appears by fingerprint (or id) only.
   */
  static String summary(
      String command,
      String outcome,
      int exit,
      Decision decision,
      List<Requirement> requirements,
      List<Finding> findings,
      @Nullable String failure) {
    StringBuilder b = new StringBuilder();
    b.append("### patguard ").append(command).append(": ").append(markdown(outcome)).append("\n\n");
    b.append(markdown(decision.subject().label())).append(" · exit ").append(exit).append("\n\n");
    b.append("| requirement | outcome | reason |\n|---|---|---|\n");
    for (Requirement r : requirements) {
      Row row = row(decision, r);
      b.append("| `")
          .append(r.toString().replace("`", "'").replace("|", "\\|"))
          .append("` | ")
          .append(row.outcome)
          .append(" | ")
          .append(markdown(row.reason))
          .append(" |\n");
    }
    if (failure != null) {
      b.append("\n**").append(markdown(failure)).append("**\n");
    }
    if (!findings.isEmpty()) {
      b.append("\n");
      for (Finding f : findings) {
        b.append("- **")
            .append(f.rule().level)
            .append("** `")
            .append(f.rule().id)
            .append("`: ")
            .append(markdown(f.message()))
            .append("\n");
      }
    }
    return b.append("\n").toString();
  }

  private record Row(String outcome, String reason) {}

  /**
   * One requirement's outcome, from the combined decision's reasons: the token's own reasons deny
   * every requirement; a missing permission or project denies those that name it. A requirement the
   * gate denied always has one of these (the authorizer names the permission, the any-of set or the
   * project), so no denied requirement shows as permitted.
   */
  private static Row row(Decision d, Requirement r) {
    if (d instanceof Decision.Indeterminate i) {
      return new Row("INDETERMINATE", i.cause() + " (" + i.detail() + ")");
    }
    if (d instanceof Decision.Deny deny) {
      List<String> reasons = new ArrayList<>();
      boolean denied = false;
      String anyOf = String.join("|", r.permissions());
      Optional<String> project = r.project().map(Object::toString);
      for (DenyReason reason : deny.reasons()) {
        String detail = reason.detail();
        boolean applies =
            switch (reason.code()) {
              case PERMISSION_MISSING ->
                  detail != null && (r.permissions().contains(detail) || detail.equals(anyOf));
              case PROJECT_OUT_OF_SCOPE -> detail != null && project.equals(Optional.of(detail));
              default -> true;
            };
        if (applies) {
          reasons.add(reason.toString());
          // AMBIGUOUS_TOKEN comes with the candidates' own reasons: alone it denies nothing here.
          denied |= reason.code() != DenyReason.Code.AMBIGUOUS_TOKEN;
        }
      }
      if (denied) {
        return new Row("DENY", String.join("; ", reasons));
      }
    }
    String warnings =
        d.warnings().stream().map(Warning::toString).collect(Collectors.joining(", "));
    return new Row("PERMIT", warnings.isEmpty() ? "—" : warnings);
  }

  /** Text in a Markdown table cell: no line breaks, Markdown and HTML characters escaped. */
  static String markdown(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.replace("\r", " ").replace("\n", " ").toCharArray()) {
      if ("\\`*_[]<>|#~".indexOf(c) >= 0) {
        b.append('\\');
      }
      b.append(c);
    }
    return b.toString();
  }
}
