package dev.patguard.redis;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One fleet key: the secret every replica shares to name and seal what it puts in Redis, with an id
 * that names it in Redis keys so that keys can rotate.
 *
 * <p>Two subkeys are derived from it (HMAC-SHA256 of fixed labels): one keys the HMAC that turns a
 * secret's digest into a Redis key, the other is the AES-256-GCM key that seals values and
 * invalidation messages. Neither the key nor a subkey ever appears in a message or {@link
 * #toString()}.
 */
public final class FleetKey {
  /** Shortest key accepted: 256 bits. */
  public static final int MIN_BYTES = 32;

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String id;
  private final SecretKeySpec macKey;
  private final SecretKeySpec sealKey;

  private FleetKey(String id, byte[] secret) {
    this.id = id;
    SecretKeySpec master = new SecretKeySpec(secret, "HmacSHA256");
    this.macKey = new SecretKeySpec(hmac(master, label("key")), "HmacSHA256");
    this.sealKey = new SecretKeySpec(hmac(master, label("seal")), "AES");
  }

  /**
   * A fleet key.
   *
   * @param id 1 to 32 characters from {@code A-Z a-z 0-9 _ -}; it appears in Redis keys
   * @param secret at least {@value #MIN_BYTES} random bytes; copied
   * @return the key
   * @throws IllegalArgumentException if the id is not of that shape or the secret is too short
   */
  public static FleetKey of(String id, byte[] secret) {
    Objects.requireNonNull(id, "id must not be null");
    Objects.requireNonNull(secret, "secret must not be null");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "a fleet key id is 1 to 32 characters from A-Z a-z 0-9 _ -, got \"" + id + "\"");
    }
    if (secret.length < MIN_BYTES) {
      throw new IllegalArgumentException(
          "fleet key \""
              + id
              + "\" has "
              + secret.length
              + " bytes; a fleet key needs at least "
              + MIN_BYTES
              + " random bytes (openssl rand -base64 32)");
    }
    byte[] copy = secret.clone();
    try {
      return new FleetKey(id, copy);
    } finally {
      Arrays.fill(copy, (byte) 0);
    }
  }

  /**
   * The key's id.
   *
   * @return the id, as it appears in Redis keys
   */
  public String id() {
    return id;
  }

  private static byte[] label(String purpose) {
    return ("patguard-redis/v1/" + purpose).getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] hmac(SecretKeySpec key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      // Every Java platform must provide HmacSHA256 (javax.crypto.Mac javadoc).
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  /** The keyed hash that names an entry: never the digest itself, never a plain hash of it. */
  byte[] mac(byte[] data) {
    return hmac(macKey, data);
  }

  /** {@code 0x01 | nonce | AES-GCM(plain, aad)}. */
  byte[] seal(byte[] aad, byte[] plain) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, sealKey, new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(aad);
      byte[] sealed = c.doFinal(plain);
      byte[] out = new byte[1 + NONCE_BYTES + sealed.length];
      out[0] = 1;
      System.arraycopy(nonce, 0, out, 1, NONCE_BYTES);
      System.arraycopy(sealed, 0, out, 1 + NONCE_BYTES, sealed.length);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/GCM is not available", e);
    }
  }

  /**
   * Opens what {@link #seal} sealed with the same key and associated data.
   *
   * @throws SealedEntryException if the bytes are not of that shape or do not authenticate (forged,
   *     garbled, moved to another key, sealed with another fleet key)
   */
  byte[] open(byte[] aad, byte[] sealed) throws SealedEntryException {
    if (sealed.length < 1 + NONCE_BYTES + TAG_BITS / 8 || sealed[0] != 1) {
      throw new SealedEntryException("is not a sealed entry of version 1");
    }
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, sealKey, new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE_BYTES));
      c.updateAAD(aad);
      return c.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
    } catch (javax.crypto.AEADBadTagException e) {
      throw new SealedEntryException("does not open under fleet key \"" + id + "\"");
    } catch (GeneralSecurityException e) {
      throw new SealedEntryException("does not open: " + e.getClass().getSimpleName());
    }
  }

  @Override
  public String toString() {
    return "FleetKey[id=" + id + "]";
  }
}
