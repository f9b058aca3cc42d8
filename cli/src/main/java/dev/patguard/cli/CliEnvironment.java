package dev.patguard.cli;

import dev.patguard.cli.internal.Output;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one run of the command line reads and writes: environment variables, standard input,
 * standard output and error, and the clock. {@link #system()} is the real process's; tests build
 * their own, so no test mutates the process environment.
 */
public final class CliEnvironment {
  private final Map<String, String> variables;
  private final InputStream stdin;
  private final PrintStream stdout;
  private final PrintStream stderr;
  private final Clock clock;

  private CliEnvironment(Builder b) {
    this.variables = Map.copyOf(b.variables);
    this.stdin = b.stdin;
    this.stdout = b.stdout;
    this.stderr = b.stderr;
    this.clock = b.clock;
  }

  /**
   * The process's environment variables, standard streams and the system clock (UTC).
   *
   * @return a new environment over a snapshot of the variables taken now
   */
  public static CliEnvironment system() {
    return builder()
        .variables(System.getenv())
        .stdin(System.in)
        .stdout(Output.systemOut())
        .stderr(Output.systemErr())
        .build();
  }

  /**
   * A builder; by default no variables, empty stdin, streams that discard, the system clock.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The value of an environment variable, if set.
   *
   * @param name the variable's name, case-sensitive
   * @return the value as given (possibly empty), or empty if the variable is not set
   */
  public Optional<String> variable(String name) {
    return Optional.ofNullable(variables.get(name));
  }

  /**
   * Standard input.
   *
   * @return the stream {@code --token-stdin} reads a token from
   */
  public InputStream stdin() {
    return stdin;
  }

  /**
   * Standard output.
   *
   * @return the stream results go to
   */
  public PrintStream stdout() {
    return stdout;
  }

  /**
   * Standard error.
   *
   * @return the stream errors and progress go to
   */
  public PrintStream stderr() {
    return stderr;
  }

  /**
   * Where "now" comes from: token expiry, receipts' issue and expiry times, their verification.
   *
   * @return the clock (the system UTC clock unless set)
   */
  public Clock clock() {
    return clock;
  }

  /** Configures a {@link CliEnvironment}. */
  public static final class Builder {
    private Map<String, String> variables = Map.of();
    private InputStream stdin = InputStream.nullInputStream();
    private PrintStream stdout = new PrintStream(java.io.OutputStream.nullOutputStream());
    private PrintStream stderr = new PrintStream(java.io.OutputStream.nullOutputStream());
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * The environment variables (copied).
     *
     * @param variables names to values, replacing any set before; no null key or value
     * @return this builder
     * @throws NullPointerException if the map, a key or a value is null
     */
    public Builder variables(Map<String, String> variables) {
      this.variables = Map.copyOf(Objects.requireNonNull(variables, "variables must not be null"));
      return this;
    }

    /**
     * Standard input (default: empty).
     *
     * @param stdin the stream {@code --token-stdin} reads; the run does not close it
     * @return this builder
     */
    public Builder stdin(InputStream stdin) {
      this.stdin = Objects.requireNonNull(stdin, "stdin must not be null");
      return this;
    }

    /**
     * Standard output (default: discarded).
     *
     * @param stdout where results go; flushed when the run ends, never closed
     * @return this builder
     */
    public Builder stdout(PrintStream stdout) {
      this.stdout = Objects.requireNonNull(stdout, "stdout must not be null");
      return this;
    }

    /**
     * Standard error (default: discarded).
     *
     * @param stderr where errors and progress go; flushed when the run ends, never closed
     * @return this builder
     */
    public Builder stderr(PrintStream stderr) {
      this.stderr = Objects.requireNonNull(stderr, "stderr must not be null");
      return this;
    }

    /**
     * Where "now" comes from (default: the system UTC clock).
     *
     * @param clock the clock for token expiry and receipt times
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock must not be null");
      return this;
    }

    /**
     * Builds the environment; it may serve any number of runs.
     *
     * @return a new environment with the settings made so far
     */
    public CliEnvironment build() {
      return new CliEnvironment(this);
    }
  }
}
