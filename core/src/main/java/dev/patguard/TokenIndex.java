package dev.patguard;

import dev.patguard.token.SecretDigest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The index file of the indexed lookup: which token a secret's SHA-256 belongs to. Written by
 * whatever issues tokens (the secret itself is never stored). UTF-8 text, one entry a line:
 *
 * <pre>
 * # comments and blank lines are ignored
 * &lt;64 hex digits of sha256(secret)&gt; &lt;userId&gt; &lt;patId&gt;
 * </pre>
 *
 * <p>Fields are separated by spaces or tabs; ids are UUIDs. A malformed line is reported (file,
 * line number, what is wrong — never the digest in full) and skipped; the rest is still served. A
 * digest listed twice for different tokens is dropped, both lines reported: an index that cannot
 * say which token a secret is must not pick one. The file is re-read when its modification time or
 * size changes; if it becomes unreadable the last good contents stay in use, with a warning.
 *
 * <p>Deleting a token in BRMS takes effect at once (the admin endpoint answers 404). Regenerating
 * one does not change its id, so the index must be rewritten when a token is regenerated: until
 * then the old secret's digest still names the token.
 */
final class TokenIndex {
  private static final System.Logger LOG = System.getLogger(TokenIndex.class.getName());

  /** Where an indexed secret's token lives. */
  public record Entry(String userId, String patId) {}

  /** A line the index could not use. */
  public record Problem(int line, String message) {}

  private final Path file;
  private final Object lock = new Object();
  private volatile Map<SecretDigest, Entry> entries = Map.of();
  private volatile List<Problem> problems = List.of();
  private @Nullable FileTime loadedModified;
  private long loadedSize = -1;

  TokenIndex(Path file) {
    this.file = Objects.requireNonNull(file, "indexFile must not be null");
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException(
          "index file " + file + " does not exist or cannot be read");
    }
    refresh();
  }

  /** Reads an index file once (for tools that write or check one). */
  public static TokenIndex load(Path file) {
    return new TokenIndex(file);
  }

  /** The entry for {@code digest}, re-reading the file first if it changed. */
  public Optional<Entry> find(SecretDigest digest) {
    refresh();
    return Optional.ofNullable(entries.get(digest));
  }

  /** The lines of the last load that could not be used. */
  public List<Problem> problems() {
    return problems;
  }

  /** How many secrets the index maps. */
  public int size() {
    return entries.size();
  }

  /** One index line for a secret: what an issuing tool appends. */
  public static String line(String secret, String userId, String patId) {
    return SecretDigest.of(secret).hex()
        + " "
        + BrmsClient.checkId(userId, "userId")
        + " "
        + BrmsClient.checkId(patId, "patId");
  }

  private void refresh() {
    synchronized (lock) {
      BasicFileAttributes attrs;
      try {
        attrs = Files.readAttributes(file, BasicFileAttributes.class);
      } catch (IOException e) {
        LOG.log(
            System.Logger.Level.WARNING,
            "index file "
                + file
                + " cannot be read ("
                + e
                + "); still serving the "
                + entries.size()
                + " entries loaded before");
        return;
      }
      if (attrs.lastModifiedTime().equals(loadedModified) && attrs.size() == loadedSize) {
        return;
      }
      try {
        parse(Files.readAllLines(file, StandardCharsets.UTF_8));
        loadedModified = attrs.lastModifiedTime();
        loadedSize = attrs.size();
      } catch (IOException | UncheckedIOException e) {
        LOG.log(
            System.Logger.Level.WARNING,
            "index file "
                + file
                + " cannot be read ("
                + e
                + "); still serving the "
                + entries.size()
                + " entries loaded before");
      }
    }
  }

  private void parse(List<String> lines) {
    Map<SecretDigest, Entry> parsed = new HashMap<>();
    Map<SecretDigest, Integer> firstLine = new HashMap<>();
    Set<SecretDigest> conflicting = new HashSet<>();
    List<Problem> found = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      int number = i + 1;
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] fields = line.split("[ \\t]+");
      if (fields.length != 3) {
        found.add(
            new Problem(number, "expected 3 fields (sha256 userId patId), found " + fields.length));
        continue;
      }
      SecretDigest digest;
      Entry entry;
      try {
        digest = SecretDigest.fromHex(fields[0]);
        entry =
            new Entry(
                BrmsClient.checkId(fields[1], "userId"), BrmsClient.checkId(fields[2], "patId"));
      } catch (IllegalArgumentException e) {
        found.add(new Problem(number, e.getMessage()));
        continue;
      }
      Entry previous = parsed.putIfAbsent(digest, entry);
      if (previous == null) {
        firstLine.put(digest, number);
      } else if (!previous.equals(entry)) {
        conflicting.add(digest);
        found.add(
            new Problem(
                number,
                "digest "
                    + digest.fingerprint()
                    + "… is also on line "
                    + firstLine.get(digest)
                    + " for another token; both lines are ignored"));
      }
    }
    conflicting.forEach(parsed::remove);
    for (Problem p : found) {
      LOG.log(
          System.Logger.Level.WARNING,
          "index file " + file + " line " + p.line() + ": " + p.message());
    }
    this.entries = Map.copyOf(parsed);
    this.problems = List.copyOf(found);
    LOG.log(
        System.Logger.Level.INFO,
        "index file "
            + file
            + ": "
            + parsed.size()
            + " entries loaded"
            + (found.isEmpty() ? "" : ", " + found.size() + " lines skipped"));
  }

  @Override
  public String toString() {
    return "TokenIndex[" + file + ", " + entries.size() + " entries]";
  }
}
