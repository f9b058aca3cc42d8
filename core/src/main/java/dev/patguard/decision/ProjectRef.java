package dev.patguard.decision;

import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A project named by a requirement: by id, or by key. Exactly one of the two is set.
 *
 * @param id the project id, when named by id
 * @param key the project key, when named by key (exact, case-sensitive)
 */
public record ProjectRef(@Nullable UUID id, @Nullable String key) {
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern UUID_SHAPE = Pattern.compile(
      "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  public ProjectRef {
    if ((id == null) == (key == null)) {
      throw new IllegalArgumentException("a project is named by exactly one of id or key");
    }
    if (key != null && !KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("project key must be 1-128 letters, digits, '.', '_' or '-'"
          + " starting with a letter or digit, got \"" + key + "\"");
    }
  }

  /** The project with this id. */
  public static ProjectRef byId(UUID id) {
    return new ProjectRef(Objects.requireNonNull(id, "id must not be null"), null);
  }

  /** The project with this key, such as {@code web-shop}. */
  public static ProjectRef byKey(String key) {
    return new ProjectRef(null, Objects.requireNonNull(key, "key must not be null"));
  }

  /**
   * Reads a project name: {@code id:<uuid>} or {@code key:<key>} explicitly, or else a UUID-shaped
   * string by id and anything else by key.
   */
  public static ProjectRef parse(String text) {
    Objects.requireNonNull(text, "project must not be null");
    if (text.startsWith("key:")) {
      return byKey(text.substring(4));
    }
    if (text.startsWith("id:")) {
      String id = text.substring(3);
      if (!UUID_SHAPE.matcher(id).matches()) {
        throw new IllegalArgumentException("project id must be a UUID, got \"" + id + "\"");
      }
      return byId(UUID.fromString(id));
    }
    return UUID_SHAPE.matcher(text).matches() ? byId(UUID.fromString(text)) : byKey(text);
  }

  /**
   * The id (lower case) or the key, in the form {@link #parse} reads back to an equal value: a key
   * that looks like a UUID is written {@code key:<key>}.
   */
  @Override
  public String toString() {
    if (id != null) {
      return id.toString();
    }
    return UUID_SHAPE.matcher(String.valueOf(key)).matches() ? "key:" + key : String.valueOf(key);
  }
}
