package dev.patguard.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretDigestTest {
  /** FIPS 180-2 test vector: SHA-256("abc"). */
  private static final String ABC_SHA256 =
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

  /** SHA-256 of the empty string. */
  private static final String EMPTY_SHA256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  @Test
  void hexWhenKnownVectorThenMatchesSha256() {
    assertEquals(ABC_SHA256, SecretDigest.of("abc").hex());
    assertEquals(EMPTY_SHA256, SecretDigest.of("").hex());
  }

  @Test
  void fingerprintWhenKnownVectorThenFirstEightHexDigits() {
    assertEquals("ba7816bf", SecretDigest.of("abc").fingerprint());
    assertEquals("ba7816bf", SecretDigest.fingerprintOf("abc"));
    assertEquals("e3b0c442", SecretDigest.fingerprintOf(""));
  }

  @Test
  void ofWhenSecretIsNotAsciiThenDigestsUtf8Bytes() {
    // SHA-256 of the UTF-8 bytes C3 A9 ("é").
    assertEquals(
        "4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c",
        SecretDigest.of("\u00e9").hex());
    assertNotEquals(SecretDigest.of("\u00e9"), SecretDigest.of("e"));
  }

  @Test
  void toStringWhenCalledThenHoldsFingerprintButNeitherSecretNorFullHex() {
    String secret = "pat_live_3c90c3cc0d444b5088888dd25736052a";
    SecretDigest d = SecretDigest.of(secret);

    String s = d.toString();

    assertTrue(s.contains(d.fingerprint()), s);
    assertFalse(s.contains(secret), s);
    assertFalse(s.contains(d.hex()), s);
    assertFalse(s.contains(d.hex().substring(8, 24)), s);
  }

  @Test
  void fromHexWhenGivenHexOfADigestThenEqualDigest() {
    SecretDigest d = SecretDigest.of("abc");

    SecretDigest lower = SecretDigest.fromHex(d.hex());
    SecretDigest upper = SecretDigest.fromHex(d.hex().toUpperCase(Locale.ROOT));

    assertEquals(d, lower);
    assertEquals(d, upper);
    assertEquals(d.hashCode(), upper.hashCode());
    assertEquals(ABC_SHA256, upper.hex());
  }

  @Test
  void equalsWhenSecretsDifferThenNotEqual() {
    assertNotEquals(SecretDigest.of("abc"), SecretDigest.of("abd"));
    assertEquals(SecretDigest.of("abc"), SecretDigest.of("abc"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "ba7816bf",
        // 63 digits
        "a7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        // 65 digits
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad0",
        // 64 characters, one not hex
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015aZ",
        // 64 characters that look like a secret rather than a digest
        "my-super-secret-token-value-that-someone-pasted-in-by-mistake!!!",
        // a sign is not a hex digit
        "+a7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
      })
  void fromHexWhenInputIsNotSixtyFourHexDigitsThenRejectedWithoutEchoingIt(String bad) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SecretDigest.fromHex(bad));

    if (bad.length() > 8) {
      assertFalse(e.getMessage().contains(bad.substring(0, 9)), e.getMessage());
      assertFalse(e.getMessage().contains(bad.substring(bad.length() - 9)), e.getMessage());
    }
  }

  @Test
  void fromHexWhenNullThenNullPointerException() {
    assertThrows(NullPointerException.class, () -> SecretDigest.fromHex(nullString()));
  }

  private static String nullString() {
    return null;
  }
}
