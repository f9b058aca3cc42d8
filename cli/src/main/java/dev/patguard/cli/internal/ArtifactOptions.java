package dev.patguard.cli.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --sarif-artifact PATH}: the repository file SARIF results and GitHub annotations point at.
 * Code scanning needs a physical location for every result, relative to the checkout; the finding
 * is about a token, so the natural file is the pipeline file that uses it.
 */
final class ArtifactOptions {
  /** When neither the option nor a CI variable names the file. */
  static final String FALLBACK = "patguard.yml";

  @Option(
      names = "--sarif-artifact",
      paramLabel = "PATH",
      converter = RelativePathConverter.class,
      description =
          "With --format sarif or github: the repository-relative file the findings belong to,"
              + " such as .github/workflows/deploy.yml (default: the running GitHub workflow"
              + " file, else GitLab's CI_CONFIG_PATH, else "
              + FALLBACK
              + ").")
  @Nullable String path;

  /** The path given, else the one the CI run names, else {@link #FALLBACK}; never absolute. */
  String resolve(Context ctx) {
    if (path != null) {
      return path;
    }
    return ctx.variable("GITHUB_WORKFLOW_REF")
        .flatMap(ArtifactOptions::workflowFile)
        .or(() -> ctx.variable("CI_CONFIG_PATH").flatMap(ArtifactOptions::relative))
        .orElse(FALLBACK);
  }

  /** Refuses the option with a format that does not use it. */
  void checkUsedBy(boolean used) {
    if (path != null && !used) {
      throw CliException.usage("--sarif-artifact is for --format sarif or --format github");
    }
  }

  /**
   * {@code octo/repo/.github/workflows/deploy.yml@refs/heads/main} → {@code
   * .github/workflows/deploy.yml}.
   */
  static Optional<String> workflowFile(String ref) {
    int start = ref.indexOf(".github/workflows/");
    int end = ref.lastIndexOf('@');
    if (start < 0 || end <= start) {
      return Optional.empty();
    }
    return relative(ref.substring(start, end));
  }

  /**
   * The path normalised to forward slashes without {@code .} segments, or empty when it is
   * absolute, escapes the repository ({@code ..}) or is empty.
   */
  static Optional<String> relative(String value) {
    String v = value.strip().replace('\\', '/');
    if (v.isEmpty()
        || v.startsWith("/")
        || v.matches("^[A-Za-z]:.*")
        || v.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*")) {
      return Optional.empty();
    }
    List<String> segments = new ArrayList<>();
    for (String s : v.split("/")) {
      if (s.isEmpty() || s.equals(".")) {
        continue;
      }
      if (s.equals("..")) {
        return Optional.empty();
      }
      segments.add(s);
    }
    return segments.isEmpty() ? Optional.empty() : Optional.of(String.join("/", segments));
  }

  /**
   * The path as a relative URI reference: each segment percent-encoded (UTF-8) but for RFC 3986's
   * unreserved characters and a few safe sub-delimiters.
   */
  static String toUri(String relativePath) {
    StringBuilder b = new StringBuilder();
    for (byte raw : relativePath.getBytes(StandardCharsets.UTF_8)) {
      int c = raw & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "-._~/!$&'()*+,;=@".indexOf(c) >= 0) {
        b.append((char) c);
      } else {
        b.append('%').append(String.format("%02X", c));
      }
    }
    return b.toString();
  }

  /** Accepts a repository-relative path only; the message names the value (a path, no secret). */
  static final class RelativePathConverter implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      return relative(value)
          .orElseThrow(
              () ->
                  new TypeConversionException(
                      "'"
                          + value
                          + "' is not a path relative to the repository root (such as"
                          + " .github/workflows/deploy.yml): code scanning needs one, without a"
                          + " leading /, a drive letter, a scheme or '..'"));
    }
  }
}
