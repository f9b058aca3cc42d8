package dev.patguard.cli.internal;

/** Output formats. */
final class Formats {
  private Formats() {}

  /** For {@code check} and {@code verify-receipt}. */
  enum TextOrJson {
    TEXT,
    JSON
  }

  /** For {@code explain}. */
  enum Report {
    TEXT,
    JSON,
    SARIF
  }
}
