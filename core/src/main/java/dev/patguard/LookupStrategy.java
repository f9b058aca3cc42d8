package dev.patguard;

import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Which lookup {@link PatGuard} uses to turn a presented secret into token facts:
 * {@link #self()} (the default) or {@link #indexed(Path)}.
 */
public final class LookupStrategy {
  private static final LookupStrategy SELF = new LookupStrategy("self", null);

  private final String name;
  private final @Nullable Path indexFile;

  private LookupStrategy(String name, @Nullable Path indexFile) {
    this.name = name;
    this.indexFile = indexFile;
  }

  /** List the presenter's own tokens with the presented secret. Needs no admin credential. */
  public static LookupStrategy self() {
    return SELF;
  }

  /** Look the secret's SHA-256 up in {@code indexFile}; read facts with the admin credential. */
  public static LookupStrategy indexed(Path indexFile) {
    return new LookupStrategy("indexed", Objects.requireNonNull(indexFile, "indexFile must not be null"));
  }

  /**
   * {@code self}, or {@code indexed:PATH}: the form used by filter init-params, environment
   * variables and CLI options.
   *
   * @throws IllegalArgumentException quoting the text
   */
  public static LookupStrategy parse(String text) {
    Objects.requireNonNull(text, "lookup strategy must not be null");
    String t = text.strip();
    if (t.equals("self")) {
      return SELF;
    }
    if (t.startsWith("indexed:") && t.length() > "indexed:".length()) {
      return indexed(Path.of(t.substring("indexed:".length())));
    }
    throw new IllegalArgumentException(
        "lookup strategy must be \"self\" or \"indexed:<index file>\", got \"" + text + "\"");
  }

  /**
   * One line of an index file for {@link #indexed(Path)}: {@code <sha256 hex of secret> <userId>
   * <patId>}. Write it when a token is issued or regenerated; the secret itself is never stored.
   *
   * @throws IllegalArgumentException if an id is not a UUID (quoting it)
   */
  public static String indexLine(String secret, String userId, String patId) {
    return TokenIndex.line(secret, userId, patId);
  }

  /** {@code self} or {@code indexed}. */
  public String name() {
    return name;
  }

  @Nullable Path indexFile() {
    return indexFile;
  }

  @Override
  public String toString() {
    return indexFile == null ? name : name + ":" + indexFile;
  }
}
