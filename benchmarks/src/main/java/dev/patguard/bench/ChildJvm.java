package dev.patguard.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A JVM started on this process's class path that speaks a line protocol: commands on its stdin,
 * answers on its stdout prefixed {@value #PREFIX} (library log lines may share stdout and are
 * skipped), stderr to a log file. {@code quit} (or the end of its input) makes it exit.
 */
final class ChildJvm implements AutoCloseable {
  /** What starts an answer line. */
  static final String PREFIX = "@@ ";

  private final Process process;
  private final PrintWriter in;
  private final BufferedReader out;

  private ChildJvm(Process process) {
    this.process = process;
    this.in =
        new PrintWriter(
            new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), false);
    this.out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /**
   * Starts {@code main} in a new JVM of this JDK on this class path.
   *
   * @param jvmOptions options before the class name ({@code -Xmx256m})
   * @param env variables added to this process's environment
   * @param log where its stderr goes
   */
  static ChildJvm start(
      List<String> jvmOptions, Class<?> main, List<String> args, Map<String, String> env, Path log)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    pb.redirectError(ProcessBuilder.Redirect.to(log.toFile()));
    return new ChildJvm(pb.start());
  }

  /** Writes {@code line} to the child (buffered until {@link #flush}). */
  void println(String line) {
    in.println(line);
  }

  void flush() {
    in.flush();
  }

  /**
   * The next answer, which must start with {@code word}.
   *
   * @throws IllegalStateException if it does not, or if the child ends first
   */
  String expect(String word) throws IOException {
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith(PREFIX)) {
        String answer = line.substring(PREFIX.length());
        if (!answer.startsWith(word)) {
          throw new IllegalStateException("child answered \"" + answer + "\", not " + word);
        }
        return answer;
      }
    }
    throw new IllegalStateException("child process ended before answering " + word);
  }

  @Override
  public void close() {
    in.println("quit");
    in.flush();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
