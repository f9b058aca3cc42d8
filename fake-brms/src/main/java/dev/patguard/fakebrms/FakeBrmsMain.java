package dev.patguard.fakebrms;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a fake BRMS until the process is stopped: {@code java -jar
 * patguard-fake-brms-VERSION-all.jar [--port N] [--data FILE]...}.
 *
 * <p>Exit status: 0 after {@code --help} or when stopped by SIGTERM or SIGINT (Ctrl-C), 64 for a
 * bad option, an unreadable data file or bad data, 69 if the port cannot be bound. Errors are one
 * line on stderr, {@code fake-brms: ...}, without a stack trace.
 */
public final class FakeBrmsMain {

  /** The exit status for a bad command line or data file (EX_USAGE in sysexits.h). */
  private static final int USAGE = 64;

  /** The exit status when the port cannot be bound (EX_UNAVAILABLE in sysexits.h). */
  private static final int UNAVAILABLE = 69;

  private static final String USAGE_TEXT =
      String.join(
          System.lineSeparator(),
          "usage: java -jar patguard-fake-brms-VERSION-all.jar [--port N] [--data FILE]...",
          "",
          "Runs a fake GoRules BRMS on 127.0.0.1 until SIGTERM or Ctrl-C, and prints",
          "  fake-brms listening on http://127.0.0.1:PORT",
          "",
          "options:",
          "  --port N      the port on 127.0.0.1, 0 to 65535; 0 (the default) picks a free port",
          "  --data FILE   projects, users and tokens to load (JSON, see the README); repeatable",
          "  -h, --help    print this help and exit",
          "",
          "exit status: 0 when stopped by SIGTERM or SIGINT, 64 for a bad option or data file,",
          "69 if the port cannot be bound");

  private FakeBrmsMain() {}

  /**
   * Starts the fake, prints {@code fake-brms listening on http://127.0.0.1:PORT} and serves until
   * the process is stopped; see the class comment for the exit status.
   *
   * @param args {@code --port N} (default 0, an ephemeral port), {@code --data FILE} (repeatable)
   *     or {@code --help}
   */
  public static void main(String[] args) {
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      System.out.println(USAGE_TEXT);
      System.out.flush();
      return;
    }
    FakeBrms.Builder builder;
    try {
      builder = configure(args);
    } catch (IllegalArgumentException e) {
      // DataFileException too: its message names the file and the JSON path, never a secret.
      exit(USAGE, e.getMessage());
      return;
    } catch (UncheckedIOException e) {
      exit(USAGE, e.getMessage() + ": " + describe(e.getCause()));
      return;
    }
    FakeBrms brms;
    try {
      brms = builder.start();
    } catch (DataFileException e) {
      exit(USAGE, e.getMessage());
      return;
    } catch (UncheckedIOException e) {
      exit(UNAVAILABLE, e.getMessage() + ": " + describe(e.getCause()));
      return;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  brms.close();
                  System.out.flush();
                  System.err.flush();
                  // A signal would otherwise end the JVM with 128 + the signal number; being told
                  // to stop is how this program ends normally.
                  Runtime.getRuntime().halt(0);
                },
                "fake-brms-shutdown"));
    System.out.println("fake-brms listening on " + brms.baseUrl());
    System.out.flush();
    try {
      new CountDownLatch(1).await(); // until the shutdown hook halts the JVM
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Parses the command line into a builder, reading and checking the data files.
   *
   * @param args the arguments: {@code --port N}, {@code --port=N}, {@code --data FILE}, {@code
   *     --data=FILE}
   * @return the configured builder
   * @throws IllegalArgumentException for a bad argument or a missing data file
   * @throws DataFileException for bad data
   * @throws UncheckedIOException if a data file cannot be read
   */
  static FakeBrms.Builder configure(String[] args) {
    FakeBrms.Builder builder = FakeBrms.builder();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String option = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        option = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      if (!option.equals("--port") && !option.equals("--data")) {
        throw new IllegalArgumentException("unknown option: " + arg + " (see --help)");
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(option + " needs a value (see --help)");
        }
        value = args[++i];
      }
      if (option.equals("--port")) {
        int port;
        try {
          port = Integer.parseInt(value);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("--port must be a number: '" + value + "'", e);
        }
        builder.port(port);
      } else {
        Path file = Path.of(value);
        if (!Files.exists(file)) {
          throw new IllegalArgumentException("data file not found: " + file);
        }
        if (!Files.isRegularFile(file)) {
          throw new IllegalArgumentException("data file is not a regular file: " + file);
        }
        builder.load(file);
      }
    }
    return builder;
  }

  private static String describe(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    String message = e.getMessage();
    return message != null ? message : e.getClass().getSimpleName();
  }

  private static void exit(int status, String message) {
    PrintStream err = System.err;
    err.println("fake-brms: " + message.replace('\n', ' ').replace('\r', ' '));
    err.flush();
    System.exit(status);
  }
}
