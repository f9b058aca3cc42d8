package dev.patguard.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link PathCheck#check} has a fast path for paths without {@code %} (no decoding, no allocation)
 * and the decoding path for the others: every hostile input is checked on both, and a property
 * holds the fast path to the decoding one on generated paths.
 */
class PathCheckTest {
  /**
   * Paths refused whichever way they are checked; none holds a {@code %}, so each takes the fast
   * path as is.
   */
  private static final List<String> HOSTILE =
      List.of(
          "",
          "api/projects/proj-1",
          "/api/projects/proj-2/../proj-1/releases/deploy",
          "/api/projects/proj-2/..",
          "/api/projects/./proj-1/releases/deploy",
          "/api/projects/proj-1/.",
          "/..",
          "/.",
          "/api/projects/proj-2/..;/proj-1/releases/deploy",
          "/api/projects/proj-1/releases/deploy;jsessionid=abc",
          "/api/projects//proj-1/releases/deploy",
          "//api/projects/proj-1",
          "/api/projects/proj-1\\releases\\deploy",
          "/api/projects/proj-1 /releases",
          "/api/projects/proj-1\t/releases",
          "/api/projects/proj-1\n/releases",
          "/api/projects/proj-1\u0000/releases",
          "/api/projects/proj-1\u007f/releases",
          "/api/projects/proj-\u00e91/releases",
          "/api/projects/proj-1\u0085/releases",
          "/api/projects/proj-1\ud83d\ude00/releases",
          "/api/projects/" + "a".repeat(10_000) + "/../x");

  /** Paths refused only for an escape: they always take the decoding path. */
  private static final List<String> HOSTILE_ESCAPES =
      List.of(
          "/api/projects/proj-2/%2e%2e/proj-1/releases/deploy",
          "/api/projects/x/%2E%2E/proj-1/releases/deploy",
          "/api/projects/%2e/proj-1",
          "/api/projects/proj-1%2Freleases/deploy",
          "/api/projects/proj-1%2freleases/deploy",
          "/api/projects/proj-1/releases%5cdeploy",
          "/api/projects/proj%252d1/releases/deploy",
          "/api/projects/proj-1%3bx/releases",
          "/api/projects/proj-1%0a/releases/deploy",
          "/api/projects/proj-1%00/releases",
          "/api/projects/proj-1%7f/releases",
          "/api/projects/proj-1%c2%85/releases",
          "/api/projects/proj-1%ff/releases",
          "/api/projects/proj-1%c3/releases",
          "/api/projects/proj-1%c0%af/releases",
          "/api/projects/proj-1%ed%a0%80/releases",
          "/api/projects/proj-1%",
          "/api/projects/proj-1%2",
          "/api/projects/proj-1%zz/releases",
          "/api/projects/proj-1%+1/releases");

  /**
   * The same path with one harmless escape ({@code %70} for a {@code p}, ...) so that it takes the
   * decoding path.
   */
  private static String withHarmlessEscape(String path) {
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
        return path.substring(0, i) + String.format("%%%02X", (int) c) + path.substring(i + 1);
      }
    }
    return "/%41" + path;
  }

  /** A test name: quoted, non-printable characters as {@code \\uXXXX}, at most 60 characters. */
  private static String shown(String raw) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < raw.length() && i < 60; i++) {
      char c = raw.charAt(i);
      b.append(c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\u%04x", (int) c));
    }
    return b.append(raw.length() > 60 ? "...\"" : "\"").toString();
  }

  @TestFactory
  Stream<DynamicTest> checkWhenHostilePathThenRefusedOnTheFastAndTheDecodingPath() {
    return HOSTILE.stream()
        .map(
            raw ->
                DynamicTest.dynamicTest(
                    shown(raw),
                    () -> {
                      PathCheck.Result fast = PathCheck.check(raw);
                      assertTrue(fast.refused(), "fast path let through " + raw);
                      assertEquals(
                          PathCheck.checkDecoding(raw), fast, "the two paths disagree on " + raw);
                      if (!raw.startsWith("/")) {
                        return;
                      }
                      String escaped = withHarmlessEscape(raw);
                      assertTrue(escaped.contains("%"), escaped);
                      PathCheck.Result slow = PathCheck.check(escaped);
                      assertTrue(slow.refused(), "decoding path let through " + escaped);
                      assertEquals(
                          fast.problem(),
                          slow.problem(),
                          "a harmless escape changed why " + raw + " is refused");
                    }));
  }

  @TestFactory
  Stream<DynamicTest> checkWhenHostileEscapeThenRefused() {
    return HOSTILE_ESCAPES.stream()
        .map(
            raw ->
                DynamicTest.dynamicTest(
                    shown(raw),
                    () -> {
                      assertTrue(PathCheck.check(raw).refused(), "let through " + raw);
                      assertTrue(
                          PathCheck.check(withHarmlessEscape(raw)).refused(),
                          "let through " + withHarmlessEscape(raw));
                    }));
  }

  @Test
  void checkWhenNormalPathWithoutEscapesThenTheDecodedPathIsTheRawOne() {
    String raw = "/api/projects/proj-1/releases/deploy";
    PathCheck.Result r = PathCheck.check(raw);
    assertSame(raw, r.decoded());
    assertEquals(PathCheck.checkDecoding(raw), r);
    assertEquals("/", PathCheck.check("/").decoded());
    assertEquals("/a/.b/..c/d..", PathCheck.check("/a/.b/..c/d..").decoded());
  }

  @Test
  void checkWhenHarmlessEscapesThenDecoded() {
    assertEquals(
        "/api/projects/proj-1/releases/deploy",
        PathCheck.check("/api/pr%6Fjects/proj-1/releases/deploy").decoded());
    assertEquals("/caf\u00e9", PathCheck.check("/caf%C3%A9").decoded());
  }

  @Provide
  Arbitrary<String> paths() {
    Arbitrary<String> piece =
        Arbitraries.of(
            "/",
            "/",
            "/",
            ".",
            "..",
            "a",
            "Z",
            "9",
            "-",
            "~",
            "_",
            ";",
            "\\",
            " ",
            "\u0000",
            "\u007f",
            "\u00e9",
            "\u0085",
            "?",
            "#",
            "+",
            "=",
            "%",
            "%2e",
            "%2E",
            "%2f",
            "%2F",
            "%5c",
            "%25",
            "%3b",
            "%41",
            "%7e",
            "%0a",
            "%7f",
            "%c3%a9",
            "%c2%85",
            "%ff",
            "%c3",
            "%e2%82%ac",
            "%g1",
            "%1");
    return piece.list().ofMaxSize(14).map(l -> String.join("", l));
  }

  @Property(tries = 3000)
  void checkWhenAnyPathThenTheSameAsTheDecodingPath(@ForAll("paths") String raw) {
    assertEquals(PathCheck.checkDecoding(raw), PathCheck.check(raw), raw);
  }

  @Property(tries = 3000)
  void checkWhenAnyStringThenTheSameAsTheDecodingPath(@ForAll String tail) {
    String raw = "/" + tail;
    assertEquals(PathCheck.checkDecoding(raw), PathCheck.check(raw), raw);
  }

  @Property(tries = 1000)
  void checkWhenPassedWithoutEscapesThenDecodedIsRaw(@ForAll("paths") String raw) {
    PathCheck.Result r = PathCheck.check(raw);
    if (!r.refused() && raw.indexOf('%') < 0) {
      assertNotNull(r.decoded());
      assertSame(raw, r.decoded());
    }
  }
}
