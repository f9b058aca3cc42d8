package dev.patguard.cli.internal;

import dev.patguard.cli.CliEnvironment;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** One run's environment, as the commands see it. */
public final class Context {
  private final CliEnvironment env;
  private final Output output;

  /**
   * A context over {@code env}; its output writes to {@code env}'s streams.
   *
   * @param env what the run reads and writes
   */
  public Context(CliEnvironment env) {
    this.env = env;
    this.output = new Output(env.stdout(), env.stderr());
  }

  /**
   * Where the run writes.
   *
   * @return the run's one output, over the environment's standard output and error
   */
  public Output output() {
    return output;
  }

  Optional<String> variable(String name) {
    return env.variable(name).filter(v -> !v.isEmpty());
  }

  java.io.InputStream stdin() {
    return env.stdin();
  }

  Clock clock() {
    return env.clock();
  }

  /** How often "still waiting for BRMS" is printed while a lookup is pending. */
  Duration progressInterval() {
    return Duration.ofSeconds(1);
  }
}
