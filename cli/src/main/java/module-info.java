/**
 * patguard-cli: the {@code patguard} deploy gate ({@code check}, {@code explain}, {@code
 * verify-receipt}, {@code keygen}, {@code invalidate}).
 *
 * <p>Exports {@code dev.patguard.cli} ({@code PatGuardCli}, {@code CliEnvironment}) for tools that
 * run the gate in-process; the commands are internal and opened to picocli, which reads their
 * annotated options reflectively. The runnable jar is shaded and runs on the class path.
 */
module dev.patguard.cli {
  exports dev.patguard.cli;

  opens dev.patguard.cli.internal to
      info.picocli;

  requires dev.patguard.core;
  requires dev.patguard.receipts;
  // invalidate: the fleet's shared cache (Lettuce), loaded only when that command runs.
  requires dev.patguard.redis;
  // PatGuardCli.commandLine hands out the configured picocli CommandLine.
  requires transitive info.picocli;
  requires com.fasterxml.jackson.databind;
  requires com.nimbusds.jose.jwt;
  // The gate sets the JDK logger's level for --debug.
  requires java.logging;
  requires static org.jspecify;
}
