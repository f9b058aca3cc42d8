package dev.patguard.cli.internal;

import picocli.CommandLine.Option;

/** Options every command has. */
final class CommonOptions {
  @Option(
      names = "--debug",
      description = "On an error, print its stack trace too, and let core's log through.")
  boolean debug;
}
