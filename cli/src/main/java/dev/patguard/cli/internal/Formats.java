package dev.patguard.cli.internal;

/** Output formats. */
final class Formats {
  private Formats() {}

  /** For {@code verify-receipt}. */
  enum TextOrJson {
    TEXT,
    JSON
  }

  /** For {@code check} and {@code explain}. */
  enum Report {
    TEXT,
    JSON,
    SARIF,
    GITHUB;

    /** Whether the output names a repository file ({@code --sarif-artifact}). */
    boolean locatesFindings() {
      return this == SARIF || this == GITHUB;
    }
  }
}
