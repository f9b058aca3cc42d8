package dev.patguard.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * The SHA-256 digest of a presented secret: the cache key, the index-file key, and the source of
 * the token's <em>fingerprint</em> (its first 8 hex digits), which is the only form in which a
 * token may appear in logs, exceptions, messages and output.
 *
 * <p>Held as four longs rather than a byte array or a hex string: 48 bytes per cached entry, value
 * equality, and a cheap hash.
 */
public final class SecretDigest {
  private static final ThreadLocal<MessageDigest> SHA_256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              // Every Java platform must provide SHA-256 (java.security.MessageDigest javadoc).
              throw new IllegalStateException("SHA-256 is not available", e);
            }
          });

  private final long w0;
  private final long w1;
  private final long w2;
  private final long w3;

  private SecretDigest(long w0, long w1, long w2, long w3) {
    this.w0 = w0;
    this.w1 = w1;
    this.w2 = w2;
    this.w3 = w3;
  }

  /**
   * The digest of {@code secret}'s UTF-8 bytes.
   *
   * @param secret the secret, used as given (not trimmed); not null
   * @return its SHA-256
   * @throws NullPointerException if {@code secret} is null
   */
  public static SecretDigest of(String secret) {
    Objects.requireNonNull(secret, "secret must not be null");
    MessageDigest sha = SHA_256.get();
    byte[] d = sha.digest(secret.getBytes(StandardCharsets.UTF_8));
    return new SecretDigest(word(d, 0), word(d, 8), word(d, 16), word(d, 24));
  }

  /**
   * A digest given as 64 hex digits (either case), as in an index file.
   *
   * @param hex exactly 64 hex digits, nothing around them
   * @return the digest they spell
   * @throws IllegalArgumentException if {@code hex} is not 64 hex digits; the message quotes at
   *     most its first 8 characters
   */
  public static SecretDigest fromHex(String hex) {
    Objects.requireNonNull(hex, "hex must not be null");
    if (hex.length() != 64) {
      throw new IllegalArgumentException(
          "a SHA-256 digest is 64 hex digits, got " + hex.length() + " characters");
    }
    long[] words = new long[4];
    for (int i = 0; i < 64; i++) {
      int v = Character.digit(hex.charAt(i), 16);
      if (v < 0) {
        throw new IllegalArgumentException(
            "a SHA-256 digest is 64 hex digits; character " + (i + 1) + " is not a hex digit");
      }
      words[i / 16] = (words[i / 16] << 4) | v;
    }
    return new SecretDigest(words[0], words[1], words[2], words[3]);
  }

  /**
   * A digest given as its 32 bytes, as {@link #toBytes()} returns them.
   *
   * @param bytes exactly 32 bytes; not changed
   * @return the digest they hold
   * @throws IllegalArgumentException if {@code bytes} is not 32 bytes long
   */
  public static SecretDigest fromBytes(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes must not be null");
    if (bytes.length != 32) {
      throw new IllegalArgumentException(
          "a SHA-256 digest is 32 bytes, got " + bytes.length + " bytes");
    }
    return new SecretDigest(word(bytes, 0), word(bytes, 8), word(bytes, 16), word(bytes, 24));
  }

  /**
   * The fingerprint of {@code secret}: the first 8 hex digits of its SHA-256.
   *
   * @param secret the secret; not null
   * @return 8 lower-case hex digits, safe to log
   * @throws NullPointerException if {@code secret} is null
   */
  public static String fingerprintOf(String secret) {
    return of(secret).fingerprint();
  }

  private static long word(byte[] d, int offset) {
    long w = 0;
    for (int i = 0; i < 8; i++) {
      w = (w << 8) | (d[offset + i] & 0xFFL);
    }
    return w;
  }

  /**
   * All 64 lower-case hex digits, as an index file holds them. Never log it: use {@link
   * #fingerprint()}.
   *
   * @return the digest as 64 lower-case hex digits
   */
  public String hex() {
    char[] out = new char[64];
    hex(w0, out, 0, 16);
    hex(w1, out, 16, 16);
    hex(w2, out, 32, 16);
    hex(w3, out, 48, 16);
    return new String(out);
  }

  /**
   * The 32 bytes of the digest, for keyed hashes such as a shared cache's HMAC keys. Never log or
   * store them as they are: they identify the secret as well as the secret does.
   *
   * @return a new array of 32 bytes
   */
  public byte[] toBytes() {
    byte[] out = new byte[32];
    long[] words = {w0, w1, w2, w3};
    for (int w = 0; w < 4; w++) {
      for (int i = 0; i < 8; i++) {
        out[w * 8 + i] = (byte) (words[w] >>> (56 - 8 * i));
      }
    }
    return out;
  }

  /**
   * The first 8 lower-case hex digits: how a token is named anywhere a person may read it.
   *
   * @return 8 lower-case hex digits
   */
  public String fingerprint() {
    char[] out = new char[8];
    hex(w0 >>> 32, out, 0, 8);
    return new String(out);
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** Writes the low {@code digits} nibbles of {@code value}, most significant first. */
  private static void hex(long value, char[] out, int offset, int digits) {
    for (int i = digits - 1; i >= 0; i--) {
      out[offset + i] = HEX[(int) (value >>> (4 * (digits - 1 - i))) & 0xF];
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecretDigest other
        && w0 == other.w0
        && w1 == other.w1
        && w2 == other.w2
        && w3 == other.w3;
  }

  @Override
  public int hashCode() {
    // The digest is uniformly distributed already; any 32 bits of it make a good hash.
    return (int) w0 ^ (int) (w1 >>> 32);
  }

  @Override
  public String toString() {
    return "SecretDigest[fingerprint=" + fingerprint() + "]";
  }
}
