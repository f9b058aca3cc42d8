package dev.patguard.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patguard.token.SecretDigest;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The hand-written checks of {@link BearerCredentials} against the expressions they replace: the
 * b64token pattern and {@code substring(0, 6).toLowerCase(Locale.ROOT).equals("bearer")}.
 */
class BearerCredentialsTest {
  private static final Pattern B64TOKEN = Pattern.compile(BearerCredentials.B64TOKEN_REGEX);

  private static boolean schemeOracle(String header) {
    return header.length() >= 6 && header.substring(0, 6).toLowerCase(Locale.ROOT).equals("bearer");
  }

  @Test
  void isB64TokenWhenExamplesThenAsRfc6750() {
    for (String ok :
        new String[] {
          "a", "GoodToken-1.x_y~z+w/v", "PaddedToken0abc==", "abc=", "/", "+", "~.-_"
        }) {
      assertTrue(BearerCredentials.isB64Token(ok), ok);
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
      assertFalse(BearerCredentials.isB64Token(bad), bad);
    }
  }

  @Test
  void isB64TokenWhenAnySingleCharacterThenAsThePattern() {
    for (int c = 0; c <= Character.MAX_VALUE; c++) {
      String one = String.valueOf((char) c);
      assertEquals(
          B64TOKEN.matcher(one).matches(),
          BearerCredentials.isB64Token(one),
          "U+" + Integer.toHexString(c));
      String padded = "a" + one + "=";
      assertEquals(
          B64TOKEN.matcher(padded).matches(),
          BearerCredentials.isB64Token(padded),
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
    assertEquals(B64TOKEN.matcher(token).matches(), BearerCredentials.isB64Token(token), token);
  }

  @Property(tries = 2000)
  void isB64TokenWhenAnyStringThenAsThePattern(@ForAll String token) {
    assertEquals(B64TOKEN.matcher(token).matches(), BearerCredentials.isB64Token(token), token);
  }

  @Test
  void startsWithBearerWhenAnyCharacterAtAnyPositionThenAsLowerCasing() {
    for (int pos = 0; pos < 6; pos++) {
      for (int c = 0; c <= Character.MAX_VALUE; c++) {
        String h = "Bearer".substring(0, pos) + (char) c + "Bearer x".substring(pos + 1);
        assertEquals(
            schemeOracle(h),
            BearerCredentials.startsWithBearer(h),
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
    assertEquals(schemeOracle(header), BearerCredentials.startsWithBearer(header), header);
  }

  @Test
  void fromAuthorizationWhenOutcomesThenAsRfc6750() {
    assertEquals(new BearerCredentials.Absent(), BearerCredentials.fromAuthorization(null, 10));
    assertEquals(new BearerCredentials.Absent(), BearerCredentials.fromAuthorization("", 10));
    assertEquals(
        new BearerCredentials.Absent(), BearerCredentials.fromAuthorization("Basic dXM6cA==", 10));
    assertEquals(
        new BearerCredentials.Absent(), BearerCredentials.fromAuthorization("BearerX abc", 10));
    assertEquals(new BearerCredentials.Absent(), BearerCredentials.fromAuthorization("Bear", 10));
    assertEquals(
        new BearerCredentials.Presented("abc=="),
        BearerCredentials.fromAuthorization("bEaReR   abc==", 10));
    assertMalformed(400, "no token after the Bearer scheme", "Bearer", 10);
    assertMalformed(400, "the Bearer scheme must be followed by a space", "Bearer\tabc", 10);
    assertMalformed(400, "the token is empty", "Bearer   ", 10);
    assertMalformed(400, "the token is not a b64token (RFC 6750 section 2.1)", "Bearer a\"b", 10);
    assertMalformed(400, "the token is not a b64token (RFC 6750 section 2.1)", "Bearer a b", 10);
    assertMalformed(401, "the token is longer than 10 characters", "Bearer " + "t".repeat(11), 10);
    assertEquals(
        new BearerCredentials.Presented("t".repeat(10)),
        BearerCredentials.fromAuthorization("Bearer " + "t".repeat(10), 10));
  }

  private static void assertMalformed(int status, String description, String header, int max) {
    BearerCredentials.Parsed p = BearerCredentials.fromAuthorization(header, max);
    BearerCredentials.Malformed m = assertInstanceOf(BearerCredentials.Malformed.class, p, header);
    assertEquals(status, m.status(), header);
    assertEquals(status == 400 ? "invalid_request" : "invalid_token", m.error(), header);
    assertEquals(description, m.description(), header);
  }

  @Test
  void parsedWhenPrintedThenNeverShowsTheSecret() {
    String secret = "pat_SECRETsecret0123456789";
    for (String header :
        List.of("Bearer " + secret, "Bearer " + secret + "\"", "Bearer " + secret + " x")) {
      for (int max : new int[] {8, 4096}) {
        BearerCredentials.Parsed p = BearerCredentials.fromAuthorization(header, max);
        assertFalse(p.toString().contains(secret), p::toString);
      }
    }
    assertEquals(
        "Presented[fingerprint=" + SecretDigest.fingerprintOf(secret) + "]",
        new BearerCredentials.Presented(secret).toString());
  }

  @Test
  void malformedWhenUnknownErrorCodeThenRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new BearerCredentials.Malformed("insufficient_scope", "x"));
  }
}
