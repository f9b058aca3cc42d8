package dev.patguard.receipt;

import java.nio.file.Path;

/**
 * A receipt key file cannot be read or written, or does not hold a usable key. The message names
 * the file and never contains key material.
 */
public final class ReceiptKeyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The file the problem is about, as given. */
  private final String file;

  ReceiptKeyException(Path file, String problem) {
    super("receipt key file " + file + ": " + problem);
    this.file = file.toString();
  }

  ReceiptKeyException(Path file, String problem, Throwable cause) {
    super("receipt key file " + file + ": " + problem, cause);
    this.file = file.toString();
  }

  /**
   * The file the problem is about, as given.
   *
   * @return the path as the caller passed it, not resolved
   */
  public String file() {
    return file;
  }
}
