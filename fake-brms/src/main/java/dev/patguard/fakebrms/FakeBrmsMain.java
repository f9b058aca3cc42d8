package dev.patguard.fakebrms;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a fake BRMS until the process is killed: {@code java -jar patguard-fake-brms.jar [--port N]
 * [--data FILE]}.
 */
public final class FakeBrmsMain {

  private static final int USAGE = 64;

  private FakeBrmsMain() {}

  /**
   * Starts the fake and prints {@code fake-brms listening on http://127.0.0.1:PORT}.
   *
   * @param args {@code --port N} (default 0, an ephemeral port) and {@code --data FILE}
   *     (repeatable)
   * @throws InterruptedException if interrupted while running
   */
  public static void main(String[] args) throws InterruptedException {
    FakeBrms brms;
    try {
      brms = configure(args).start();
    } catch (IllegalArgumentException | UncheckedIOException e) {
      fail(System.err, e.getMessage());
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  brms.close();
                  stopped.countDown();
                },
                "fake-brms-shutdown"));
    System.out.println("fake-brms listening on " + brms.baseUrl());
    System.out.flush();
    stopped.await();
  }

  /**
   * Parses the command line into a builder.
   *
   * @param args the arguments
   * @return the configured builder
   * @throws IllegalArgumentException for a bad argument
   */
  static FakeBrms.Builder configure(String[] args) {
    FakeBrms.Builder builder = FakeBrms.builder();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if ((arg.equals("--port") || arg.equals("--data")) && i + 1 >= args.length) {
        throw new IllegalArgumentException(arg + " needs a value");
      }
      if (arg.equals("--port")) {
        String value = args[++i];
        try {
          builder.port(Integer.parseInt(value));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("--port must be a number: " + value, e);
        }
      } else if (arg.equals("--data")) {
        builder.load(Path.of(args[++i]));
      } else {
        throw new IllegalArgumentException("unknown argument: " + arg);
      }
    }
    return builder;
  }

  private static void fail(PrintStream err, String message) {
    err.println("fake-brms: " + message);
    err.println("usage: fake-brms [--port N] [--data FILE]");
    System.exit(USAGE);
  }
}
