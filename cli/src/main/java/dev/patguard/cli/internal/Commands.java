package dev.patguard.cli.internal;

import dev.patguard.cli.PatGuardCli;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/** Builds the command line: the root command, its subcommands and the error handling. */
public final class Commands {
  private Commands() {}

  /**
   * The subcommands, in help order. A new command is one more entry here: a
   * {@code @Command}-annotated {@code Callable<Integer>} taking the {@link Context}.
   */
  static List<Object> subcommands(Context ctx) {
    List<Object> commands = new ArrayList<>();
    commands.add(new CheckCommand(ctx));
    commands.add(new ExplainCommand(ctx));
    commands.add(new VerifyReceiptCommand(ctx));
    commands.add(new KeygenCommand(ctx));
    commands.add(new InvalidateCommand(ctx));
    return commands;
  }

  /**
   * The configured command line for one run.
   *
   * @param ctx the run's environment; the command line writes to its output
   * @return a new command line with every subcommand and the error handlers
   */
  public static CommandLine commandLine(Context ctx) {
    CommandLine cl = new CommandLine(new RootCommand(ctx));
    for (Object sub : subcommands(ctx)) {
      cl.addSubcommand(sub);
    }
    cl.addSubcommand("help", new CommandLine.HelpCommand());
    cl.setOut(ctx.output().outWriter());
    cl.setErr(ctx.output().errWriter());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setParameterExceptionHandler((ex, args) -> usageError(ctx, ex));
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> failure(ctx, ex, commandLine));
    return cl;
  }

  /**
   * Refuses secrets in argv, then parses and runs.
   *
   * @param ctx the run's environment
   * @param args the command line, without the program name
   * @return the exit code, one of {@link PatGuardCli}'s constants
   */
  public static int run(Context ctx, String[] args) {
    for (String arg : args) {
      if (isTokenOption(arg)) {
        ctx.output()
            .error(
                "a token on the command line is refused ("
                    + optionName(arg)
                    + "): argv is visible"
                    + " to other users through ps and /proc and is kept in shell history; put the token in an environment"
                    + " variable (--token-env NAME, default PATGUARD_TOKEN) or pipe it on standard input (--token-stdin)");
        return PatGuardCli.USAGE;
      }
    }
    if (args.length > 0 && args[0].equals("demo")) {
      ctx.output().error("the demo moved: java -jar demo/target/patguard-demo.jar");
      return PatGuardCli.USAGE;
    }
    return commandLine(ctx).execute(args);
  }

  /**
   * {@code --token}, {@code --token=…}, {@code -t}, {@code -t…}: never {@code --token-env}/{@code
   * --token-stdin}.
   */
  static boolean isTokenOption(String arg) {
    return arg.equals("--token")
        || arg.startsWith("--token=")
        || (arg.startsWith("-t") && !arg.startsWith("--"));
  }

  private static String optionName(String arg) {
    return arg.startsWith("--") ? "--token" : "-t";
  }

  private static int usageError(Context ctx, ParameterException ex) {
    String message;
    if (ex instanceof UnmatchedArgumentException u) {
      // Never echo what was not understood in full: it may be a secret typed in the wrong place.
      List<String> shown = new ArrayList<>();
      for (String arg : u.getUnmatched()) {
        if (arg.startsWith("-")) {
          int eq = arg.indexOf('=');
          shown.add(
              eq < 0 ? "'" + arg + "'" : "'" + arg.substring(0, eq) + "=…' (value not shown)");
        } else {
          shown.add("an argument (not shown, in case it is a secret)");
        }
      }
      message = "unknown option or unexpected argument: " + String.join(", ", shown);
    } else {
      message = ex.getMessage();
    }
    String name = ex.getCommandLine().getCommandSpec().qualifiedName();
    ctx.output().error(message + " (see '" + name + " --help')");
    return PatGuardCli.USAGE;
  }

  private static int failure(Context ctx, Exception ex, CommandLine commandLine) {
    boolean debug = commandLine.getCommand() instanceof Debuggable d && d.debug();
    if (ex instanceof CliException c) {
      ctx.output().error(c.getMessage());
      if (debug) {
        ctx.output().stackTrace(c);
      }
      return c.exitCode();
    }
    ctx.output()
        .error("internal error: " + ex + (debug ? "" : " (run with --debug for a stack trace)"));
    if (debug) {
      ctx.output().stackTrace(ex);
    }
    return PatGuardCli.INTERNAL_ERROR;
  }

  /** A command with a {@code --debug} flag. */
  interface Debuggable {
    boolean debug();
  }
}
