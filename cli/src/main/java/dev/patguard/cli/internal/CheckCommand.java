package dev.patguard.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.ECKey;
import dev.patguard.DeployGate;
import dev.patguard.PatGuard;
import dev.patguard.cli.PatGuardCli;
import dev.patguard.decision.DecisionJson;
import dev.patguard.decision.Grant;
import dev.patguard.decision.LeastPrivilegeReport;
import dev.patguard.decision.LeastPrivilegeReview;
import dev.patguard.decision.Requirement;
import dev.patguard.receipt.DecisionReceipts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code patguard check}: the deploy gate. */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Checks that the token may do everything a release needs.",
      "Exit 0 permit, 1 deny (or not least privilege, with --least-privilege), 2 indeterminate"
          + " (BRMS unreachable, timeout), 64 usage error."
    })
final class CheckCommand extends ContextCommand {

  @Option(
      names = "--require",
      paramLabel = "REQUIREMENT",
      required = true,
      converter = Converters.RequirementConverter.class,
      description =
          "What the release needs, such as releases:deploy@web-shop; repeat for more (all must hold).")
  List<Requirement> requirements = new ArrayList<>();

  @Option(
      names = "--allow-unknown-permission",
      description =
          "Accept a --require permission BRMS does not list (by default a usage error: a typo).")
  boolean allowUnknownPermission;

  @Mixin BrmsOptions brms = new BrmsOptions();
  @Mixin TokenOptions token = new TokenOptions();

  @Option(
      names = "--least-privilege",
      description = "Also fail (exit 1) when the token holds more than the requirements need.")
  boolean leastPrivilege;

  @Option(
      names = "--max-lifetime",
      paramLabel = "DURATION",
      converter = Converters.DurationConverter.class,
      description =
          "With --least-privilege (implied): the token must expire within this long, such as P90D.")
  @Nullable Duration maxLifetime;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description =
          "text, json, sarif (SARIF 2.1.0 for code scanning) or github (annotations and a job"
              + " summary) (default: ${DEFAULT-VALUE}).")
  Formats.Report format = Formats.Report.TEXT;

  @Mixin ArtifactOptions artifact = new ArtifactOptions();

  @Option(
      names = "--sarif-file",
      paramLabel = "FILE",
      description =
          "Also write the SARIF 2.1.0 log to this file, whatever --format prints (one BRMS"
              + " lookup for both, e.g. --format github --sarif-file patguard.sarif).")
  @Nullable Path sarifFile;

  @Option(
      names = "--codequality-file",
      paramLabel = "FILE",
      description =
          "Also write the findings as a GitLab code quality report (JSON) to this file, whatever"
              + " --format prints.")
  @Nullable Path codequalityFile;

  @Option(
      names = "--receipt",
      paramLabel = "FILE",
      description =
          "Write the decision, signed (a compact JWS), to this file. Needs --signing-key.")
  @Nullable Path receipt;

  @Option(
      names = "--signing-key",
      paramLabel = "JWK_FILE",
      description = "The private ES256 JWK to sign the receipt with (see keygen).")
  @Nullable Path signingKey;

  CheckCommand(Context ctx) {
    super(ctx);
  }

  @Override
  public Integer call() {
    if ((receipt == null) != (signingKey == null)) {
      throw CliException.usage(
          "--receipt and --signing-key go together: a receipt is signed with the key");
    }
    artifact.checkUsedBy(format.locatesFindings() || sarifFile != null || codequalityFile != null);
    KnownPermissions.check(requirements, allowUnknownPermission);
    DecisionReceipts receipts = null;
    if (signingKey != null && receipt != null) {
      ReceiptFiles.checkWritable(receipt);
      ECKey key = ReceiptFiles.readSigningKey(signingKey);
      receipts =
          DecisionReceipts.builder()
              .signingKey(key)
              .clock(ctx.clock())
              .issuer("patguard-cli")
              .build();
    }
    if (sarifFile != null) {
      ReceiptFiles.checkWritable(sarifFile, "the SARIF log");
    }
    if (codequalityFile != null) {
      ReceiptFiles.checkWritable(codequalityFile, "the code quality report");
    }
    String secret = token.read(ctx);
    boolean review = leastPrivilege || maxLifetime != null;
    try (PatGuard guard = brms.guard(ctx, null)) {
      DeployGate.GateResult result =
          Progress.await(ctx, DeployGate.of(guard).checkAsync(secret, requirements));
      Exits.refuseMisconfigured(result.decision());
      int exit = Exits.of(result.decision());
      LeastPrivilegeReport report = null;
      String reviewProblem = null;
      if (review && exit != PatGuardCli.INDETERMINATE) {
        Grant grant = result.grant().orElse(null);
        if (grant == null) {
          reviewProblem = "least privilege not reviewed: the token's grant could not be read";
          exit = exit == PatGuardCli.PERMIT ? PatGuardCli.INDETERMINATE : exit;
        } else if (grant.isAmbiguous()) {
          reviewProblem =
              "least privilege not reviewed: the self lookup found "
                  + grant.candidates().size()
                  + " candidate tokens for this secret (use 'patguard explain --user-id … --pat-id …')";
          exit = exit == PatGuardCli.PERMIT ? PatGuardCli.INDETERMINATE : exit;
        } else {
          LeastPrivilegeReview.Builder lp =
              LeastPrivilegeReview.builder()
                  .clock(ctx.clock())
                  .permissionModel(guard.permissionModel());
          if (maxLifetime != null) {
            lp.maxLifetime(maxLifetime);
          }
          report = lp.build().analyseGrant(grant, requirements);
          if (!report.isLeastPrivilege() && exit == PatGuardCli.PERMIT) {
            exit = PatGuardCli.DENY;
          }
        }
      }
      String receiptNote = null;
      if (receipts != null && receipt != null) {
        String jws = receipts.sign(result.decision(), requirements);
        try {
          Files.writeString(receipt, jws + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
          throw CliException.usage(
              "cannot write the receipt to "
                  + receipt
                  + ": "
                  + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
              e);
        }
        receiptNote = receipt.toString();
      }
      print(result, report, reviewProblem, receiptNote, exit);
      return exit;
    }
  }

  private void print(
      DeployGate.GateResult result,
      @Nullable LeastPrivilegeReport report,
      @Nullable String reviewProblem,
      @Nullable String receiptFile,
      int exit) {
    Output out = ctx.output();
    String outcome = outcome(result, exit);
    if (format.locatesFindings() || sarifFile != null || codequalityFile != null) {
      List<Finding> findings = new ArrayList<>(Finding.ofDecision(result.decision(), requirements));
      if (report != null) {
        findings.addAll(Finding.ofReport(report));
      } else if (reviewProblem != null) {
        findings.add(Finding.notReviewed(result.decision().subject(), requirements, reviewProblem));
      }
      findings = Finding.distinct(findings);
      String failure =
          exit != PatGuardCli.INDETERMINATE
              ? null
              : reviewProblem != null ? reviewProblem : result.explanation();
      if (sarifFile != null) {
        Sarif.write(ctx, "check", artifact, findings, exit, failure, sarifFile);
      }
      if (codequalityFile != null) {
        CodeQuality.write(ctx, artifact, findings, codequalityFile);
      }
      if (!format.locatesFindings()) {
        printPlain(result, report, reviewProblem, receiptFile, exit, outcome);
        return;
      }
      format.printFindings(
          ctx,
          "check",
          artifact,
          outcome + ": " + result.explanation(),
          outcome,
          exit,
          result.decision(),
          requirements,
          findings,
          failure);
      if (format == Formats.Report.GITHUB && receiptFile != null) {
        out.line("receipt: " + receiptFile); // SARIF is one JSON document: nothing after it
      }
      return;
    }
    printPlain(result, report, reviewProblem, receiptFile, exit, outcome);
  }

  /** Text or JSON. */
  private void printPlain(
      DeployGate.GateResult result,
      @Nullable LeastPrivilegeReport report,
      @Nullable String reviewProblem,
      @Nullable String receiptFile,
      int exit,
      String outcome) {
    Output out = ctx.output();
    if (format == Formats.Report.JSON) {
      ObjectNode json = DecisionJson.toTree(result.decision(), requirements);
      json.put("outcome", outcome);
      json.put("summary", result.explanation());
      if (report != null) {
        json.set("leastPrivilege", Reports.toJson(report));
      } else if (reviewProblem != null) {
        json.putObject("leastPrivilege").put("error", reviewProblem);
      }
      if (receiptFile != null) {
        json.put("receipt", receiptFile);
      }
      json.put("exitCode", exit);
      out.json(json);
      return;
    }
    out.line(outcome + ": " + result.explanation());
    if (report != null) {
      if (report.isLeastPrivilege()) {
        out.line("least privilege: yes");
      } else {
        out.line("least privilege: NO");
        report.findings().forEach(f -> out.line("  - " + f));
      }
    } else if (reviewProblem != null) {
      out.line(reviewProblem);
    }
    if (receiptFile != null) {
      out.line("receipt: " + receiptFile);
    }
  }

  /**
   * The first word(s) of the output, agreeing with the exit code: the gate's outcome, or, when the
   * least-privilege review changed the exit code of a permit, what it turned into.
   */
  private static String outcome(DeployGate.GateResult result, int exit) {
    String gate = DecisionJson.outcome(result.decision());
    if (!"PERMIT".equals(gate) || exit == PatGuardCli.PERMIT) {
      return gate;
    }
    return exit == PatGuardCli.DENY
        ? "DENY (not least privilege)"
        : "INDETERMINATE (least privilege not reviewed)";
  }
}
