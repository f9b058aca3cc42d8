package dev.patguard.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link ProjectRef} checks key and UUID shapes by hand: it must read every name exactly as the
 * regular expressions it used before did. {@link ByPattern} is that former reading, kept here as
 * the reference; the names are keys and UUIDs (bare and prefixed) with a few characters replaced,
 * inserted or deleted, at the lengths where the shapes change (1, 36, 127-129).
 */
class ProjectRefShapesTest {
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern UUID_SHAPE =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  /** ProjectRef's readings as they were with the regular expressions. */
  static final class ByPattern {
    private ByPattern() {}

    static ProjectRef byKey(String key) {
      if (!KEY.matcher(key).matches()) {
        throw new IllegalArgumentException(
            "project key must be 1-128 letters, digits, '.', '_' or '-'"
                + " starting with a letter or digit, got \""
                + key
                + "\"");
      }
      return new ProjectRef(null, key);
    }

    static ProjectRef parse(String text) {
      if (text.startsWith("key:")) {
        return byKey(text.substring(4));
      }
      if (text.startsWith("id:")) {
        String id = text.substring(3);
        if (!UUID_SHAPE.matcher(id).matches()) {
          throw new IllegalArgumentException("project id must be a UUID, got \"" + id + "\"");
        }
        return ProjectRef.byId(UUID.fromString(id));
      }
      return UUID_SHAPE.matcher(text).matches()
          ? ProjectRef.byId(UUID.fromString(text))
          : byKey(text);
    }

    static ProjectRef parseBare(String value) {
      if (UUID_SHAPE.matcher(value).matches()) {
        return ProjectRef.byId(UUID.fromString(value));
      }
      if (KEY.matcher(value).matches()) {
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
      } else if (value.length() > 128) {
        why = "it is " + value.length() + " characters long, and a key is at most 128";
      } else {
        why = "a key is 1-128 letters, digits, '.', '_' or '-' starting with a letter or digit";
      }
      String shown = value.length() > 64 ? value.substring(0, 64) + "..." : value;
      throw new IllegalArgumentException(
          "project \"" + shown + "\" is not a bare project key or UUID: " + why);
    }

    static String toString(ProjectRef ref) {
      return ref.id() != null
          ? ref.id().toString()
          : UUID_SHAPE.matcher(Objects.requireNonNull(ref.key())).matches()
              ? "key:" + ref.key()
              : ref.key();
    }
  }

  /** A reading's result: the project, or the exception's class and message. */
  private static Object outcome(java.util.function.Supplier<ProjectRef> reading) {
    try {
      ProjectRef ref = reading.get();
      return ref + " " + ref.id() + " " + ref.key();
    } catch (RuntimeException e) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }

  @Property(tries = 3000)
  void isKeyWhenNearlyAKeyThenSameAsThePattern(@ForAll("names") String text) {
    assertEquals(KEY.matcher(text).matches(), ProjectRef.isKey(text), text);
  }

  @Property(tries = 3000)
  void parseWhenNearlyAKeyOrUuidThenSameAsThePatterns(@ForAll("names") String text) {
    assertEquals(outcome(() -> ByPattern.parse(text)), outcome(() -> ProjectRef.parse(text)), text);
  }

  @Property(tries = 3000)
  void parseBareWhenNearlyAKeyOrUuidThenSameAsThePatterns(@ForAll("names") String text) {
    assertEquals(
        outcome(() -> ByPattern.parseBare(text)), outcome(() -> ProjectRef.parseBare(text)), text);
  }

  @Property(tries = 1000)
  void toStringWhenKeyShapedLikeAUuidOrNotThenSameAsThePattern(@ForAll("names") String text) {
    if (KEY.matcher(text).matches()) {
      ProjectRef ref = ProjectRef.byKey(text);
      assertEquals(ByPattern.toString(ref), ref.toString(), text);
    }
  }

  /** Keys of the interesting lengths, drawn from the key alphabet with a letter or digit first. */
  @Provide
  Arbitrary<String> keys() {
    String alnum = "abcxyzABCXYZ0189";
    Arbitrary<Integer> lengths =
        Arbitraries.oneOf(
            Arbitraries.of(1, 2, 35, 36, 37, 64, 65, 126, 127, 128, 129, 130),
            Arbitraries.integers().between(1, 130));
    return Combinators.combine(lengths, Arbitraries.longs())
        .as(
            (n, seed) -> {
              Random r = new Random(seed);
              StringBuilder b = new StringBuilder(n);
              b.append(alnum.charAt(r.nextInt(alnum.length())));
              String rest = alnum + "._-";
              while (b.length() < n) {
                b.append(rest.charAt(r.nextInt(rest.length())));
              }
              return b.toString();
            });
  }

  @Provide
  Arbitrary<String> uuids() {
    return Arbitraries.randomValue(r -> new UUID(r.nextLong(), r.nextLong()).toString())
        .flatMap(u -> Arbitraries.of(u, u.toUpperCase(Locale.ROOT)));
  }

  /**
   * Keys and UUIDs, bare or with a {@code key:}/{@code id:} prefix (or a wrong-case one), with up
   * to three characters replaced, inserted or deleted: characters at the edges of the classes
   * (around 0-9, A-Z, a-z), other separators, controls, non-ASCII letters and digits that {@code
   * Character} methods would accept, a lone surrogate.
   */
  @Provide
  Arbitrary<String> names() {
    List<Character> trouble =
        List.of(
            '0', '9', 'a', 'z', 'A', 'Z', 'f', 'F', 'g', 'G', '.', '_', '-', ':', '/', ' ', '@',
            '[', '`', '{', '\u007f', '\u0000', '\n', '\u00e9', '\u0663', '\uff21', '\u212a',
            '\ud83d', '+');
    Arbitrary<String> prefixes =
        Arbitraries.of("", "", "", "", "key:", "id:", "KEY:", "Id:", "key", ":");
    return Combinators.combine(
            Arbitraries.oneOf(keys(), uuids()),
            prefixes,
            Arbitraries.integers().between(0, 3),
            Arbitraries.longs())
        .as(
            (text, prefix, edits, seed) -> {
              StringBuilder b = new StringBuilder(prefix).append(text);
              Random r = new Random(seed);
              for (int i = 0; i < edits && b.length() > 0; i++) {
                int at = r.nextInt(b.length());
                char with = trouble.get(r.nextInt(trouble.size()));
                switch (r.nextInt(3)) {
                  case 0 -> b.setCharAt(at, with);
                  case 1 -> b.insert(at, with);
                  default -> b.deleteCharAt(at);
                }
              }
              return b.toString();
            });
  }
}
