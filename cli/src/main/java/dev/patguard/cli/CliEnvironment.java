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

  /** The process's environment variables, standard streams and the system clock (UTC). */
  public static CliEnvironment system() {
    return builder().variables(System.getenv()).stdin(System.in)
        .stdout(Output.systemOut()).stderr(Output.systemErr()).build();
  }

  /** A builder; by default no variables, empty stdin, streams that discard, the system clock. */
  public static Builder builder() {
    return new Builder();
  }

  /** The value of an environment variable, if set. */
  public Optional<String> variable(String name) {
    return Optional.ofNullable(variables.get(name));
  }

  /** Standard input. */
  public InputStream stdin() {
    return stdin;
  }

  /** Standard output. */
  public PrintStream stdout() {
    return stdout;
  }

  /** Standard error. */
  public PrintStream stderr() {
    return stderr;
  }

  /** Where "now" comes from: token expiry, receipts' issue and expiry times, their verification. */
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

    /** The environment variables (copied). */
    public Builder variables(Map<String, String> variables) {
      this.variables = Map.copyOf(Objects.requireNonNull(variables, "variables must not be null"));
      return this;
    }

    public Builder stdin(InputStream stdin) {
      this.stdin = Objects.requireNonNull(stdin, "stdin must not be null");
      return this;
    }

    public Builder stdout(PrintStream stdout) {
      this.stdout = Objects.requireNonNull(stdout, "stdout must not be null");
      return this;
    }

    public Builder stderr(PrintStream stderr) {
      this.stderr = Objects.requireNonNull(stderr, "stderr must not be null");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock must not be null");
      return this;
    }

    public CliEnvironment build() {
      return new CliEnvironment(this);
    }
  }
}
