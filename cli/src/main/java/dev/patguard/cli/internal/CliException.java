package dev.patguard.cli.internal;

/** Ends a command with one error line and an exit code; never carries a secret. */
final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  CliException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  static CliException usage(String message) {
    return new CliException(dev.patguard.cli.PatGuardCli.USAGE, message);
  }

  static CliException usage(String message, Throwable cause) {
    return new CliException(dev.patguard.cli.PatGuardCli.USAGE, message, cause);
  }

  int exitCode() {
    return exitCode;
  }
}
