package dev.patguard;

import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Which lookup {@link PatGuard} uses to turn a presented secret into token facts: {@link #self()}
 * (the default) or {@link #indexed(Path)}.
 */
public final class LookupStrategy {
  private static final LookupStrategy SELF = new LookupStrategy("self", null);

  private final String name;
  private final @Nullable Path indexFile;

  private LookupStrategy(String name, @Nullable Path indexFile) {
    this.name = name;
    this.indexFile = indexFile;
  }

  /**
   * List the presenter's own tokens with the presented secret. Needs no admin credential.
   *
   * @return the self lookup (one shared instance)
   */
  public static LookupStrategy self() {
    return SELF;
  }

  /**
   * Look the secret's SHA-256 up in {@code indexFile}; read facts with the admin credential.
   *
   * @param indexFile UTF-8 text, one {@link #indexLine} a line ({@code #} comments and blank lines
   *     ignored); re-read whenever it changes. It is first read, and must be readable, when the
   *     guard is built
   * @return the indexed lookup over that file
   * @throws NullPointerException if {@code indexFile} is null
   */
  public static LookupStrategy indexed(Path indexFile) {
    return new LookupStrategy(
        "indexed", Objects.requireNonNull(indexFile, "indexFile must not be null"));
  }

  /**
   * {@code self}, or {@code indexed:PATH}: the form used by filter init-params, environment
   * variables and CLI options.
   *
   * @param text {@code self}, or {@code indexed:} followed by the index file's path; surrounding
   *     white space is ignored
   * @return the strategy it names
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
   * @param secret the token's secret; only its SHA-256 goes into the line
   * @param userId the owner's id, a UUID in either case
   * @param patId the token's id, a UUID in either case
   * @return the line without a line terminator: the digest and both ids in lower case, separated by
   *     single spaces
   * @throws IllegalArgumentException if an id is not a UUID (quoting it)
   */
  public static String indexLine(String secret, String userId, String patId) {
    return TokenIndex.line(secret, userId, patId);
  }

  /**
   * The strategy's name, as decisions and logs report it.
   *
   * @return {@code self} or {@code indexed}
   */
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
