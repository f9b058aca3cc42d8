package dev.patguard.cli.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.io.PrintWriter;

/**
 * The only class that writes to the terminal: results on standard output, errors and progress on
 * standard error. Every error is one line, {@code patguard: error: …}; a stack trace only with
 * {@code --debug}. Methods are synchronized: the progress ticker writes from another thread.
 */
public final class Output {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final PrintWriter out;
  private final PrintWriter err;

  Output(PrintStream stdout, PrintStream stderr) {
    this.out = new PrintWriter(stdout, true);
    this.err = new PrintWriter(stderr, true);
  }

  /**
   * The process's standard output (for {@code CliEnvironment.system()}).
   *
   * @return {@link System#out} (this class is the only one that names it)
   */
  public static PrintStream systemOut() {
    return System.out;
  }

  /**
   * The process's standard error (for {@code CliEnvironment.system()}).
   *
   * @return {@link System#err} (this class is the only one that names it)
   */
  public static PrintStream systemErr() {
    return System.err;
  }

  /** A line of the result, on standard output. */
  synchronized void line(String text) {
    out.println(text);
  }

  /** A JSON document, on standard output. */
  synchronized void json(JsonNode node) {
    try {
      out.println(JSON.writeValueAsString(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("writing a JSON tree cannot fail", e);
    }
  }

  /** One error line on standard error: {@code patguard: error: message}. */
  synchronized void error(String message) {
    err.println("patguard: error: " + oneLine(message));
  }

  /** A note on standard error, such as progress: {@code patguard: message}. */
  synchronized void note(String message) {
    err.println("patguard: " + oneLine(message));
  }

  /** A stack trace on standard error, for {@code --debug}. */
  synchronized void stackTrace(Throwable t) {
    t.printStackTrace(err);
  }

  /** For picocli's help and version text (standard output). */
  PrintWriter outWriter() {
    return out;
  }

  /** For picocli's own diagnostics (standard error). */
  PrintWriter errWriter() {
    return err;
  }

  /** Flushes both streams. */
  public synchronized void flush() {
    out.flush();
    err.flush();
  }

  private static String oneLine(String s) {
    return s.replace('\n', ' ').replace('\r', ' ');
  }
}
