package dev.patguard.cli;

import dev.patguard.cli.internal.Commands;
import dev.patguard.cli.internal.Context;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;

/**
 * {@code patguard}: the deploy gate on the command line.
 *
 * <pre>
 *   PATGUARD_TOKEN=… patguard check --brms-url https://acme.us1.gorules.io --require releases:deploy@web-shop
 * </pre>
 *
 * Exit codes: {@value #PERMIT} permit (or: valid, least privilege), {@value #DENY} deny (or:
 * rejected, findings), {@value #INDETERMINATE} could not decide (BRMS unreachable, timeout),
 * {@value #USAGE} usage error, {@value #INTERNAL_ERROR} a bug.
 */
public final class PatGuardCli {
  /** The decision was a permit; a receipt is valid; a token is least privilege. */
  public static final int PERMIT = 0;

  /** The decision was a deny; a receipt was rejected; a review has findings. */
  public static final int DENY = 1;

  /** No decision could be reached: BRMS unreachable, an outage, a timeout. Fail closed. */
  public static final int INDETERMINATE = 2;

  /** Bad option, missing environment variable, unreadable file (sysexits EX_USAGE). */
  public static final int USAGE = 64;

  /** An unexpected error: a bug (sysexits EX_SOFTWARE). */
  public static final int INTERNAL_ERROR = 70;

  // Held so the level sticks: JUL keeps loggers weakly.
  private static final Logger PATGUARD_LOGGER = Logger.getLogger("dev.patguard");

  // invalidate's Redis client (Lettuce on Netty and Reactor) logs through JUL too; held likewise.
  private static final java.util.List<Logger> CLIENT_LOGGERS =
      java.util.List.of(
          Logger.getLogger("io.lettuce"),
          Logger.getLogger("io.netty"),
          Logger.getLogger("reactor"));

  private PatGuardCli() {}

  /**
   * The process entry point: runs with the real environment and exits with the run's code.
   *
   * @param args the command line, such as {@code check --require releases:deploy@web-shop}; {@code
   *     --debug} also lets patguard's own log output through
   */
  public static void main(String[] args) {
    boolean debug = java.util.Arrays.asList(args).contains("--debug");
    // Core logs outages through System.Logger (JUL by default): on a terminal that would be
    // multi-line noise beside our one-line error. --debug lets it through.
    PATGUARD_LOGGER.setLevel(debug ? Level.ALL : Level.OFF);
    CLIENT_LOGGERS.forEach(l -> l.setLevel(debug ? Level.ALL : Level.OFF));
    // Lettuce brings slf4j-api (through redis-authx-core) but no provider: Netty's probe for one
    // would print "No SLF4J providers were found" on stderr, then log through JUL as set above.
    if (!debug && System.getProperty("slf4j.internal.verbosity") == null) {
      System.setProperty("slf4j.internal.verbosity", "ERROR");
    }
    System.exit(run(CliEnvironment.system(), args));
  }

  /**
   * Runs {@code patguard args} in {@code env} and returns the exit code: what {@link #main} does,
   * minus {@code System.exit}. Tests call this with their own environment.
   *
   * @param env what the run reads and writes
   * @param args the command line, without the program name; a token given in it ({@code --token},
   *     {@code -t}) is refused before anything runs
   * @return the exit code: {@link #PERMIT}, {@link #DENY}, {@link #INDETERMINATE}, {@link #USAGE}
   *     or {@link #INTERNAL_ERROR}
   */
  public static int run(CliEnvironment env, String... args) {
    Objects.requireNonNull(env, "env must not be null");
    Objects.requireNonNull(args, "args must not be null");
    Context ctx = new Context(env);
    try {
      return Commands.run(ctx, args);
    } finally {
      ctx.output().flush();
    }
  }

  /**
   * The configured picocli command line (every subcommand, the error handlers, {@code env}'s
   * streams), for embedding. {@link #run} also refuses secrets in argv before parsing; call it
   * rather than {@code commandLine(env).execute(args)} when the arguments come from a user.
   *
   * @param env what runs of the command line read and write
   * @return a new command line; {@code execute} returns the same exit codes as {@link #run}
   */
  public static CommandLine commandLine(CliEnvironment env) {
    return Commands.commandLine(new Context(Objects.requireNonNull(env, "env must not be null")));
  }
}
