package dev.patguard.cli.internal;

import com.nimbusds.jose.jwk.ECKey;
import dev.patguard.receipt.ReceiptKeyException;
import dev.patguard.receipt.ReceiptKeys;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks the receipt's files before any BRMS call, each problem one line (exit 64). */
final class ReceiptFiles {
  private ReceiptFiles() {}

  /** The receipt file can be written: its directory exists and is writable, it is a file. */
  static void checkWritable(Path receipt) {
    checkWritable(receipt, "the receipt");
  }

  /**
   * An output file can be written: its directory exists and is writable, it is a file; {@code what}
   * names it in the message ({@code the receipt}, {@code the SARIF log}).
   */
  static void checkWritable(Path file, String what) {
    Path parent = file.toAbsolutePath().getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      throw CliException.usage(
          "cannot write " + what + " to " + file + ": directory " + parent + " does not exist");
    }
    if (Files.isDirectory(file)) {
      throw CliException.usage("cannot write " + what + " to " + file + ": it is a directory");
    }
    if (Files.exists(file) ? !Files.isWritable(file) : !Files.isWritable(parent)) {
      throw CliException.usage(
          "cannot write "
              + what
              + " to "
              + file
              + ": "
              + (Files.exists(file)
                  ? "the file is not writable"
                  : "directory " + parent + " is not writable"));
    }
  }

  /** The signing key: readable and a private ES256 JWK. */
  static ECKey readSigningKey(Path key) {
    if (!Files.exists(key)) {
      throw CliException.usage("cannot read the signing key " + key + ": no such file");
    }
    if (Files.isDirectory(key)) {
      throw CliException.usage("cannot read the signing key " + key + ": it is a directory");
    }
    if (!Files.isReadable(key)) {
      throw CliException.usage("cannot read the signing key " + key + ": permission denied");
    }
    try {
      return ReceiptKeys.readSigningKey(key);
    } catch (ReceiptKeyException e) {
      throw CliException.usage(e.getMessage(), e);
    }
  }
}
