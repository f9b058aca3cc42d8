package dev.patguard.cli.internal;

import dev.patguard.cli.PatGuardCli;
import dev.patguard.decision.Decision;

/** Decision → exit code. */
final class Exits {
  private Exits() {}

  static int of(Decision d) {
    if (d instanceof Decision.Permit) {
      return PatGuardCli.PERMIT;
    }
    return d instanceof Decision.Deny ? PatGuardCli.DENY : PatGuardCli.INDETERMINATE;
  }
}
