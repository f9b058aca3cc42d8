package dev.patguard.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.patguard.DeployGate;
import dev.patguard.PatGuard;
import dev.patguard.cli.PatGuardCli;
import dev.patguard.decision.Decision;
import dev.patguard.decision.DenyReason;
import dev.patguard.decision.Grant;
import dev.patguard.decision.LeastPrivilegeReport;
import dev.patguard.decision.LeastPrivilegeReview;
import dev.patguard.decision.Requirement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code patguard explain}: the least-privilege review of one token. */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Reviews a token against what it is for: granted, required, excess, lifetime.",
      "The token comes from its secret (--token-env/--token-stdin, self lookup) or from its ids"
          + " (--user-id and --pat-id, read with an admin credential).",
      "Exit 0 least privilege, 1 findings (or token rejected/not found), 2 could not review"
          + " (BRMS unreachable, several candidate tokens for the secret), 64 usage error."
    })
final class ExplainCommand extends ContextCommand {
  static final String DEFAULT_ADMIN_VARIABLE = "BRMS_ADMIN_TOKEN";

  @Option(
      names = "--require",
      paramLabel = "REQUIREMENT",
      required = true,
      converter = Converters.RequirementConverter.class,
      description = "What the token is for, such as releases:deploy@web-shop; repeat for more.")
  List<Requirement> requirements = new ArrayList<>();

  @Option(
      names = "--allow-unknown-permission",
      description =
          "Accept a --require permission BRMS does not list (by default a usage error: a typo).")
  boolean allowUnknownPermission;

  @Mixin BrmsOptions brms = new BrmsOptions();
  @Mixin TokenOptions token = new TokenOptions();

  @Option(
      names = "--user-id",
      paramLabel = "UUID",
      converter = Converters.UuidConverter.class,
      description = "The token owner's (service user's) id; with --pat-id, instead of a secret.")
  @Nullable UUID userId;

  @Option(
      names = "--pat-id",
      paramLabel = "UUID",
      converter = Converters.UuidConverter.class,
      description = "The token's id; with --user-id.")
  @Nullable UUID patId;

  @Option(
      names = "--admin-token-env",
      paramLabel = "NAME",
      description =
          "With --user-id/--pat-id: the environment variable holding the admin credential"
              + " (default: "
              + DEFAULT_ADMIN_VARIABLE
              + ").")
  @Nullable String adminVariable;

  @Option(
      names = "--max-lifetime",
      paramLabel = "DURATION",
      converter = Converters.DurationConverter.class,
      description = "The token must expire within this long, such as P90D.")
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

  ExplainCommand(Context ctx) {
    super(ctx);
  }

  @Override
  public Integer call() {
    if ((userId == null) != (patId == null)) {
      throw CliException.usage("--user-id and --pat-id go together: they name one token");
    }
    artifact.checkUsedBy(format.locatesFindings());
    KnownPermissions.check(requirements, allowUnknownPermission);
    boolean byId = userId != null && patId != null;
    if (byId && (token.stdin || token.variable != null)) {
      throw CliException.usage(
          "name the token either by secret (--token-env/--token-stdin) or by id"
              + " (--user-id/--pat-id), not both");
    }
    if (!byId && adminVariable != null) {
      throw CliException.usage("--admin-token-env is for --user-id/--pat-id");
    }
    DeployGate.GateResult result;
    if (byId) {
      String name = adminVariable != null ? adminVariable : DEFAULT_ADMIN_VARIABLE;
      String admin =
          ctx.variable(name)
              .map(String::strip)
              .filter(s -> !s.isEmpty())
              .orElseThrow(
                  () ->
                      CliException.usage(
                          "environment variable "
                              + name
                              + " is not set or empty: it should hold an admin credential to read tokens by id"
                              + (adminVariable == null
                                  ? " (or name another with --admin-token-env NAME)"
                                  : "")));
      Supplier<String> credential = () -> admin;
      try (PatGuard guard = brms.guard(ctx, credential)) {
        result =
            Progress.await(
                ctx,
                DeployGate.of(guard)
                    .checkByIdAsync(String.valueOf(userId), String.valueOf(patId), requirements));
        return reviewReported(guard, result);
      }
    }
    String secret = token.read(ctx);
    try (PatGuard guard = brms.guard(ctx, null)) {
      result = Progress.await(ctx, DeployGate.of(guard).checkAsync(secret, requirements));
      return reviewReported(guard, result);
    }
  }

  /**
   * {@link #review}, and when it ends without a report (token rejected, could not review) the SARIF
   * or GitHub output says so too before the error line: an upload then shows the failure instead of
   * an empty, seemingly clean run.
   */
  private int reviewReported(PatGuard guard, DeployGate.GateResult result) {
    try {
      return review(guard, result);
    } catch (CliException e) {
      if (format.locatesFindings() && e.exitCode() != PatGuardCli.USAGE) {
        Decision d = result.decision();
        List<Finding> findings =
            d instanceof Decision.Indeterminate
                    || (d instanceof Decision.Deny && result.grant().isEmpty())
                ? Finding.ofDecision(d, requirements)
                : List.of(Finding.notReviewed(d.subject(), requirements, e.getMessage()));
        String failure = e.exitCode() == PatGuardCli.INDETERMINATE ? e.getMessage() : null;
        String outcome =
            e.exitCode() == PatGuardCli.DENY
                ? "token rejected or not found"
                : outcome(e.exitCode());
        printFindings(e.getMessage(), e.exitCode(), result, findings, failure, outcome);
      }
      throw e;
    }
  }

  private void printFindings(
      String headline,
      int exit,
      DeployGate.GateResult result,
      List<Finding> findings,
      @Nullable String failure,
      String outcome) {
    format.printFindings(
        ctx,
        "explain",
        artifact,
        headline,
        outcome,
        exit,
        result.decision(),
        requirements,
        findings,
        failure);
  }

  private static String outcome(int exit) {
    return switch (exit) {
      case PatGuardCli.PERMIT -> "least privilege";
      case PatGuardCli.DENY -> "NOT least privilege";
      default -> "could not review";
    };
  }

  private int review(PatGuard guard, DeployGate.GateResult result) {
    Decision d = result.decision();
    Exits.refuseMisconfigured(d);
    Grant grant = result.grant().orElse(null);
    if (d instanceof Decision.Indeterminate) {
      throw new CliException(PatGuardCli.INDETERMINATE, result.explanation());
    }
    if (grant == null) {
      if (d instanceof Decision.Deny deny && deny.hasReason(DenyReason.Code.LOOKUP_FORBIDDEN)) {
        throw new CliException(
            PatGuardCli.INDETERMINATE,
            deny.subject().label()
                + " may not read its own facts"
                + " (403), so it cannot be reviewed by secret: use --user-id/--pat-id with an admin credential");
      }
      if (d instanceof Decision.Deny deny && deny.hasReason(DenyReason.Code.TOKEN_INVALID)) {
        throw new CliException(
            PatGuardCli.DENY,
            (userId != null
                ? "BRMS has no token " + patId + " of service user " + userId + " (404)"
                : deny.subject().label()
                    + " was rejected by BRMS (401): unknown, revoked or expired"));
      }
      throw new CliException(
          PatGuardCli.INDETERMINATE,
          "the token's grant could not be read: " + result.explanation());
    }
    if (grant.isAmbiguous()) {
      // The grant is the intersection of several tokens: reviewing it would describe none of them.
      throw new CliException(
          PatGuardCli.INDETERMINATE,
          "the self lookup found "
              + grant.candidates().size()
              + " live tokens of this owner and cannot tell which one "
              + grant.subject().label()
              + " is;"
              + " review it by id: patguard explain --user-id … --pat-id …");
    }
    LeastPrivilegeReview.Builder lp =
        LeastPrivilegeReview.builder().clock(ctx.clock()).permissionModel(guard.permissionModel());
    if (maxLifetime != null) {
      lp.maxLifetime(maxLifetime);
    }
    LeastPrivilegeReport report = lp.build().analyseGrant(grant, requirements);
    int exit = report.isLeastPrivilege() ? PatGuardCli.PERMIT : PatGuardCli.DENY;
    Output out = ctx.output();
    switch (format) {
      case JSON:
        ObjectNode json = Reports.toJson(report);
        json.put("exitCode", exit);
        out.json(json);
        break;
      case SARIF:
      case GITHUB:
        printFindings(
            report.describe().lines().findFirst().orElse(""),
            exit,
            result,
            Finding.ofReport(report),
            null,
            outcome(exit));
        break;
      default:
        // describe() lists the excess permissions twice (its "excess:" line and its findings):
        // print each finding once.
        report
            .describe()
            .lines()
            .filter(line -> !line.startsWith("  excess:   "))
            .forEach(out::line);
        out.line(
            "  expires:  "
                + (report.expiresAt() == null ? "never" : report.expiresAt().toString()));
    }
    return exit;
  }
}
