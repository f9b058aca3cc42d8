package dev.patguard.decision;

import dev.patguard.internal.Uuids;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A project named by a requirement: by id, or by key. Exactly one of the two is set.
 *
 * @param id the project id, when named by id
 * @param key the project key, when named by key (exact, case-sensitive)
 */
public record ProjectRef(@Nullable UUID id, @Nullable String key) {
  /** The longest key. */
  private static final int MAX_KEY = 128;

  /**
   * Checks that exactly one is set and that a key is well formed.
   *
   * @param id the project id, or null when named by key
   * @param key the project key, or null when named by id
   * @throws IllegalArgumentException if both or neither are set, or if {@code key} is not 1-128
   *     letters, digits, {@code '.'}, {@code '_'} or {@code '-'} starting with a letter or digit
   */
  public ProjectRef {
    if ((id == null) == (key == null)) {
      throw new IllegalArgumentException("a project is named by exactly one of id or key");
    }
    if (key != null && !isKey(key)) {
      throw new IllegalArgumentException(
          "project key must be 1-128 letters, digits, '.', '_' or '-'"
              + " starting with a letter or digit, got \""
              + key
              + "\"");
    }
  }

  /**
   * {@code [A-Za-z0-9][A-Za-z0-9._-]{0,127}}, checked by hand: the filter reads a project name from
   * each request, and the regular expressions this replaced cost ~120 ns and ~420 B a call. {@code
   * ProjectRefShapesTest} holds it equal to the pattern.
   */
  static boolean isKey(String text) {
    int n = text.length();
    if (n == 0 || n > MAX_KEY || !isLetterOrDigit(text.charAt(0))) {
      return false;
    }
    for (int i = 1; i < n; i++) {
      char c = text.charAt(i);
      if (!isLetterOrDigit(c) && c != '.' && c != '_' && c != '-') {
        return false;
      }
    }
    return true;
  }

  /** ASCII only, unlike {@code Character.isLetterOrDigit}. */
  private static boolean isLetterOrDigit(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
  }

  /**
   * The project with this id.
   *
   * @param id the project id; not null
   * @return a reference by id
   * @throws NullPointerException if {@code id} is null
   */
  public static ProjectRef byId(UUID id) {
    return new ProjectRef(Objects.requireNonNull(id, "id must not be null"), null);
  }

  /**
   * The project with this key, such as {@code web-shop}.
   *
   * @param key the project key, exact and case-sensitive; not null
   * @return a reference by key
   * @throws NullPointerException if {@code key} is null
   * @throws IllegalArgumentException if {@code key} is not a well-formed key
   */
  public static ProjectRef byKey(String key) {
    return new ProjectRef(null, Objects.requireNonNull(key, "key must not be null"));
  }

  /**
   * Reads a project name: {@code id:<uuid>} or {@code key:<key>} explicitly, or else a UUID-shaped
   * string by id and anything else by key. For policy files and requirement strings; a value taken
   * from a request goes through {@link #parseBare} instead.
   *
   * @param text the project name; not null
   * @return the project it names
   * @throws NullPointerException if {@code text} is null
   * @throws IllegalArgumentException if an {@code id:} name is not a UUID, or a key is not well
   *     formed
   */
  public static ProjectRef parse(String text) {
    Objects.requireNonNull(text, "project must not be null");
    if (text.startsWith("key:")) {
      return byKey(text.substring(4));
    }
    if (text.startsWith("id:")) {
      String id = text.substring(3);
      if (!Uuids.isCanonical(id)) {
        throw new IllegalArgumentException("project id must be a UUID, got \"" + id + "\"");
      }
      return byId(UUID.fromString(id));
    }
    return Uuids.isCanonical(text) ? byId(UUID.fromString(text)) : byKey(text);
  }

  /**
   * Reads a project value taken from an untrusted request (a path segment, header or query
   * parameter): a bare UUID, in any case, names the project by id; a bare key names it by key.
   * Nothing else is accepted, and in particular no {@code key:} or {@code id:} prefix: those are
   * for policy files and requirement strings ({@link #parse}), where the author means them. From a
   * request a prefix would let the caller be authorized on one project while the application, which
   * reads the same value literally, resolves another ({@code key:web-shop} authorized as {@code
   * web-shop}). A key shaped like a UUID cannot be named bare; it is read as an id.
   *
   * @param value the value as the request carried it; not null
   * @return the project it names
   * @throws NullPointerException if {@code value} is null
   * @throws IllegalArgumentException naming the value and saying what is wrong with it: empty,
   *     prefixed, too long, or with characters a key may not hold
   */
  public static ProjectRef parseBare(String value) {
    Objects.requireNonNull(value, "project must not be null");
    if (Uuids.isCanonical(value)) {
      return byId(UUID.fromString(value));
    }
    if (isKey(value)) {
      return byKey(value);
    }
    String why;
    if (value.isEmpty()) {
      why = "it is empty";
    } else if (value.startsWith("key:") || value.startsWith("id:")) {
      why =
          "the \""
              + value.substring(0, value.indexOf(':') + 1)
              + "\" prefix is only for policies and requirements, never for request values";
    } else if (value.length() > MAX_KEY) {
      why = "it is " + value.length() + " characters long, and a key is at most 128";
    } else {
      why = "a key is 1-128 letters, digits, '.', '_' or '-' starting with a letter or digit";
    }
    // Long values are cut: the message names the value without repeating all of an attacker's
    // input.
    String shown = value.length() > 64 ? value.substring(0, 64) + "..." : value;
    throw new IllegalArgumentException(
        "project \"" + shown + "\" is not a bare project key or UUID: " + why);
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
    return Uuids.isCanonical(String.valueOf(key)) ? "key:" + key : String.valueOf(key);
  }
}
