package dev.patguard.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the real entry point, {@link PatGuardCli#run}, with injected variables, stdin, streams and
 * clock; after every run it asserts that no registered secret appears on stdout or stderr.
 */
final class CliHarness {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Clock clock;
  private final Map<String, String> variables = new HashMap<>();
  private final List<String> secrets = new ArrayList<>();

  CliHarness(Clock clock) {
    this.clock = clock;
  }

  CliHarness env(String name, String value) {
    variables.put(name, value);
    return this;
  }

  /** A secret that must never be printed. */
  String secret(String secret) {
    secrets.add(secret);
    return secret;
  }

  Result run(String... args) {
    return runWithStdin("", args);
  }

  Result runWithStdin(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CliEnvironment env =
        CliEnvironment.builder()
            .variables(variables)
            .stdin(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)))
            .stdout(new PrintStream(out, true, StandardCharsets.UTF_8))
            .stderr(new PrintStream(err, true, StandardCharsets.UTF_8))
            .clock(clock)
            .build();
    int code = PatGuardCli.run(env, args);
    Result r =
        new Result(
            code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    for (String s : secrets) {
      assertFalse(r.stdout().contains(s), () -> "a secret was printed on stdout:\n" + r);
      assertFalse(r.stderr().contains(s), () -> "a secret was printed on stderr:\n" + r);
    }
    return r;
  }

  record Result(int code, String stdout, String stderr) {
    JsonNode json() {
      try {
        return JSON.readTree(stdout);
      } catch (IOException e) {
        throw new UncheckedIOException("stdout is not JSON:\n" + stdout, e);
      }
    }

    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
  }
}
