package dev.patguard.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The hand-written checks of {@link BearerExtractor} against the expressions they replace: the
 * b64token pattern and {@code substring(0, 6).toLowerCase(Locale.ROOT).equals("bearer")}.
 */
class BearerExtractorTest {
  private static final Pattern B64TOKEN = Pattern.compile(BearerExtractor.B64TOKEN_REGEX);

  private static boolean schemeOracle(String header) {
    return header.length() >= 6 && header.substring(0, 6).toLowerCase(Locale.ROOT).equals("bearer");
  }

  @Test
  void isB64TokenWhenExamplesThenAsRfc6750() {
    for (String ok :
        new String[] {
          "a", "GoodToken-1.x_y~z+w/v", "PaddedToken0abc==", "abc=", "/", "+", "~.-_"
        }) {
      assertTrue(BearerExtractor.isB64Token(ok), ok);
    }
    for (String bad :
        new String[] {
          "",
          "=",
          "==",
          "ab=c",
          "abc def",
          "abc!def",
          "abc,def",
          "\"abc\"",
          "abc\u00e9",
          "abc\rdef",
          "abc\n def",
          "abc\0def",
          "a==b",
          "a= ",
          " a",
          "a\t",
          "\uff41",
          "abc\u0660"
        }) {
      assertFalse(BearerExtractor.isB64Token(bad), bad);
    }
  }

  @Test
  void isB64TokenWhenAnySingleCharacterThenAsThePattern() {
    for (int c = 0; c <= Character.MAX_VALUE; c++) {
      String one = String.valueOf((char) c);
      assertEquals(
          B64TOKEN.matcher(one).matches(),
          BearerExtractor.isB64Token(one),
          "U+" + Integer.toHexString(c));
      String padded = "a" + one + "=";
      assertEquals(
          B64TOKEN.matcher(padded).matches(),
          BearerExtractor.isB64Token(padded),
          "a U+" + Integer.toHexString(c) + " =");
    }
  }

  @Provide
  Arbitrary<String> tokens() {
    Arbitrary<String> piece =
        Arbitraries.of(
            "a",
            "Z",
            "0",
            "9",
            "-",
            ".",
            "_",
            "~",
            "+",
            "/",
            "=",
            "==",
            " ",
            "!",
            ",",
            "\"",
            "\u00e9",
            "\r",
            "\n",
            "\t",
            "\u0000",
            ":",
            "%",
            "\\",
            "\uff41",
            "\ud83d\ude00");
    return piece.list().ofMaxSize(10).map(l -> String.join("", l));
  }

  @Property(tries = 3000)
  void isB64TokenWhenGeneratedThenAsThePattern(@ForAll("tokens") String token) {
    assertEquals(B64TOKEN.matcher(token).matches(), BearerExtractor.isB64Token(token), token);
  }

  @Property(tries = 2000)
  void isB64TokenWhenAnyStringThenAsThePattern(@ForAll String token) {
    assertEquals(B64TOKEN.matcher(token).matches(), BearerExtractor.isB64Token(token), token);
  }

  @Test
  void startsWithBearerWhenAnyCharacterAtAnyPositionThenAsLowerCasing() {
    for (int pos = 0; pos < 6; pos++) {
      for (int c = 0; c <= Character.MAX_VALUE; c++) {
        String h = "Bearer".substring(0, pos) + (char) c + "Bearer x".substring(pos + 1);
        assertEquals(
            schemeOracle(h),
            BearerExtractor.startsWithBearer(h),
            "U+" + Integer.toHexString(c) + " at " + pos);
      }
    }
  }

  @Provide
  Arbitrary<String> headers() {
    Arbitrary<String> piece =
        Arbitraries.of(
            "b",
            "B",
            "e",
            "E",
            "a",
            "A",
            "r",
            "R",
            "Bearer",
            "bearer",
            "BEARER",
            " ",
            "x",
            "\u212a",
            "\u0130",
            "\u017f",
            "\u00e9",
            "\ud83d\ude00");
    return piece.list().ofMaxSize(6).map(l -> String.join("", l));
  }

  @Property(tries = 3000)
  void startsWithBearerWhenGeneratedThenAsLowerCasing(@ForAll("headers") String header) {
    assertEquals(schemeOracle(header), BearerExtractor.startsWithBearer(header), header);
  }
}
