package dev.patguard.cli.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** Where the secret comes from: an environment variable or standard input, never argv. */
final class TokenOptions {
  static final String DEFAULT_VARIABLE = "PATGUARD_TOKEN";
  private static final int MAX_STDIN = 64 * 1024;

  @Option(
      names = "--token-env",
      paramLabel = "NAME",
      description =
          "Read the token from this environment variable (default: " + DEFAULT_VARIABLE + ").")
  @Nullable String variable;

  @Option(
      names = "--token-stdin",
      description = "Read the token from the first line of standard input.")
  boolean stdin;

  /** The secret; a usage error naming the variable if it is not set. */
  String read(Context ctx) {
    if (stdin && variable != null) {
      throw CliException.usage(
          "--token-env and --token-stdin exclude each other: choose one source");
    }
    if (stdin) {
      return readStdin(ctx.stdin());
    }
    String name = variable != null ? variable : DEFAULT_VARIABLE;
    return ctx.variable(name)
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .orElseThrow(
            () ->
                CliException.usage(
                    "environment variable "
                        + name
                        + " is not set or empty: it should hold the token"
                        + (variable == null
                            ? " (or name another with --token-env NAME, or use --token-stdin)"
                            : "")));
  }

  private static String readStdin(InputStream in) {
    byte[] bytes;
    try {
      bytes = in.readNBytes(MAX_STDIN + 1);
    } catch (IOException e) {
      throw CliException.usage("cannot read the token from standard input: " + e.getMessage(), e);
    }
    if (bytes.length > MAX_STDIN) {
      throw CliException.usage(
          "standard input is longer than " + MAX_STDIN + " bytes: not a token");
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    int nl = text.indexOf('\n');
    String line = (nl < 0 ? text : text.substring(0, nl)).strip();
    if (line.isEmpty()) {
      throw CliException.usage("--token-stdin: standard input held no token");
    }
    return line;
  }
}
