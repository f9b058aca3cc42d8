package dev.patguard.cli.internal;

import dev.patguard.cli.PatGuardCli;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code patguard}: only dispatches; without a subcommand it is a usage error. */
@Command(
    name = "patguard",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Decides whether a GoRules BRMS personal access token may do what a release needs.",
      "'patguard help COMMAND' (or 'patguard COMMAND --help') describes a command."
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0   permit (verify-receipt: valid; explain: least privilege; invalidate: done)",
      "  1   deny (verify-receipt: rejected; explain: findings)",
      "  2   indeterminate: BRMS unreachable, outage or timeout (fail closed);",
      "      invalidate: not done, Redis unreachable, timeout or credentials refused",
      " 64   usage error: bad option, unknown permission, missing environment variable,",
      "      unreadable file",
      " 70   internal error (a bug)"
    })
final class RootCommand implements Callable<Integer> {
  private final Context ctx;

  RootCommand(Context ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    ctx.output()
        .error(
            "a command is required: check, explain, verify-receipt, keygen, invalidate or help (see"
                + " 'patguard --help')");
    return PatGuardCli.USAGE;
  }
}
