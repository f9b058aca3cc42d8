package dev.patguard.cli.internal;

import dev.patguard.cli.PatGuardCli;
import dev.patguard.decision.Decision;
import dev.patguard.decision.IndeterminateCause;

/** Decision → exit code. */
final class Exits {
  private Exits() {}

  static int of(Decision d) {
    if (d instanceof Decision.Permit) {
      return PatGuardCli.PERMIT;
    }
    return d instanceof Decision.Deny ? PatGuardCli.DENY : PatGuardCli.INDETERMINATE;
  }

  /**
   * A BRMS URL that does not lead to BRMS is the user's to fix, not an outage to retry: exit 64
   * with the one line that names the host and says what to check.
   */
  static void refuseMisconfigured(Decision d) {
    if (d instanceof Decision.Indeterminate i && i.cause() == IndeterminateCause.MISCONFIGURED) {
      throw CliException.usage("misconfigured BRMS URL: " + i.detail());
    }
  }
}
