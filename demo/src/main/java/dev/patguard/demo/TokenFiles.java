package dev.patguard.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The owner-only token files of {@code --serve}: one temporary directory, deleted on every way out
 * (normal return and, through {@link DemoCommand}'s shutdown hook, SIGTERM and SIGINT). {@link
 * #close} is idempotent and thread-safe, because the hook and the main thread may both call it.
 */
final class TokenFiles implements AutoCloseable {
  private final Path dir;
  private final PrintWriter err;
  private final List<Path> files = new ArrayList<>();
  private boolean deleted;

  private TokenFiles(Path dir, PrintWriter err) {
    this.dir = dir;
    this.err = err;
  }

  /** A new owner-only directory under java.io.tmpdir; {@code err} hears of failed deletions. */
  static TokenFiles create(PrintWriter err) throws IOException {
    return new TokenFiles(
        Files.createTempDirectory(
            "patguard-demo-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))),
        err);
  }

  /** The directory. */
  Path dir() {
    return dir;
  }

  /** Writes {@code secret} to {@code <dir>/<name>.token}, owner-only from its creation. */
  synchronized Path write(String name, String secret) throws IOException {
    if (deleted) {
      throw new IllegalStateException("the token files were already deleted");
    }
    Path file =
        Files.createFile(
            dir.resolve(name + ".token"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    files.add(file);
    Files.writeString(file, secret, StandardCharsets.UTF_8);
    return file;
  }

  /**
   * Deletes the files written and the directory; a second call does nothing. Only what this class
   * wrote is deleted: anything else put in the directory keeps it, with a one-line note.
   */
  @Override
  public synchronized void close() {
    if (deleted) {
      return;
    }
    deleted = true;
    for (Path f : files) {
      delete(f);
    }
    delete(dir);
  }

  private void delete(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      err.println("patguard-demo: warning: could not delete " + p + ": " + e);
      err.flush();
    }
  }
}
