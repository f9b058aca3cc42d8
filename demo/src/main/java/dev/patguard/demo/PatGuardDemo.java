package dev.patguard.demo;

import dev.patguard.cli.CliEnvironment;
import dev.patguard.cli.PatGuardCli;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code java -jar demo/target/patguard-demo.jar [--serve [--port N]]}: patguard end to end on
 * loopback, with no BRMS account. Exits {@value PatGuardCli#PERMIT} when every scenario behaved as
 * expected, {@value PatGuardCli#DENY} otherwise, {@value PatGuardCli#USAGE} on a usage error and
 * {@value PatGuardCli#INTERNAL_ERROR} on a bug — the gate's own exit codes.
 */
public final class PatGuardDemo {
  // Held so the levels stick: JUL keeps loggers weakly.
  private static final Logger PATGUARD_LOGGER = Logger.getLogger("dev.patguard");
  // Jetty logs through SLF4J, bound to JUL by slf4j-jdk14 (see demo/pom.xml).
  private static final Logger JETTY_LOGGER = Logger.getLogger("org.eclipse.jetty");

  private PatGuardDemo() {}

  /** The process entry point: runs with the real environment and exits with the run's code. */
  public static void main(String[] args) {
    // As in the gate: core logs the demo's deliberate BRMS outage through System.Logger (JUL by
    // default), which would be noise beside the table. --debug lets it through.
    boolean debug = Arrays.asList(args).contains("--debug");
    PATGUARD_LOGGER.setLevel(debug ? Level.ALL : Level.OFF);
    // Jetty's start-up INFO lines ("Started ServerConnector...") too; its warnings still show.
    JETTY_LOGGER.setLevel(debug ? Level.ALL : Level.WARNING);
    System.exit(run(CliEnvironment.system(), args));
  }

  /**
   * Runs the demo in {@code env} and returns the exit code: {@link #main} minus {@code
   * System.exit}.
   */
  public static int run(CliEnvironment env, String... args) {
    Objects.requireNonNull(env, "env must not be null");
    Objects.requireNonNull(args, "args must not be null");
    return run(new DemoCommand(env), args);
  }

  /** Parses {@code args} into {@code demo} and runs it; errors are one line on standard error. */
  static int run(DemoCommand demo, String... args) {
    PrintWriter out = demo.out();
    PrintWriter err = demo.err();
    CommandLine cl = new CommandLine(demo);
    cl.setOut(out);
    cl.setErr(err);
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          err.println("patguard-demo: error: " + message(ex) + " (see 'patguard-demo --help')");
          return PatGuardCli.USAGE;
        });
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          err.println(
              "patguard-demo: error: internal error: "
                  + ex
                  + (demo.debug ? "" : " (run with --debug for a stack trace)"));
          if (demo.debug) {
            ex.printStackTrace(err);
          }
          return PatGuardCli.INTERNAL_ERROR;
        });
    try {
      return cl.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** Picocli's message, except that arguments it did not understand are not echoed in full. */
  private static String message(ParameterException ex) {
    if (!(ex instanceof UnmatchedArgumentException u)) {
      return String.valueOf(ex.getMessage());
    }
    List<String> shown = new ArrayList<>();
    for (String arg : u.getUnmatched()) {
      int eq = arg.indexOf('=');
      shown.add(
          !arg.startsWith("-")
              ? "an argument (not shown)"
              : eq < 0 ? "'" + arg + "'" : "'" + arg.substring(0, eq) + "=…' (value not shown)");
    }
    return "unknown option or unexpected argument: " + String.join(", ", shown);
  }

  /** {@code --version}: the version the shaded jar's manifest names. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = PatGuardDemo.class.getPackage().getImplementationVersion();
      return new String[] {
        "patguard-demo " + (v == null ? "(development build)" : v), "Java " + Runtime.version()
      };
    }
  }
}
