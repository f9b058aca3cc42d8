package dev.patguard.decision;

import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Who a decision is about, as far as it is known — never the secret.
 *
 * @param fingerprint the first 8 hex digits of the secret's SHA-256, when a secret was presented
 * @param tokenId the token id, when the lookup identified exactly one token
 * @param ownerId the owner's user id, when known
 * @param ownerEmail the owner's email, when known
 * @param note the token's note, when exactly one token was identified
 */
public record TokenSubject(
    @Nullable String fingerprint,
    @Nullable UUID tokenId,
    @Nullable UUID ownerId,
    @Nullable String ownerEmail,
    @Nullable String note) {

  private static final TokenSubject UNKNOWN = new TokenSubject(null, null, null, null, null);
  private static final java.util.regex.Pattern FINGERPRINT =
      java.util.regex.Pattern.compile("[0-9a-f]{8}");

  /**
   * Checks the fingerprint's shape, so that a secret passed by mistake is never printed.
   *
   * @param fingerprint 8 lower-case hex digits, or null
   * @param tokenId the token id, or null
   * @param ownerId the owner's user id, or null
   * @param ownerEmail the owner's email, or null
   * @param note the token's note, or null
   * @throws IllegalArgumentException if {@code fingerprint} is not 8 lower-case hex digits (the
   *     message gives only its length)
   */
  public TokenSubject {
    // A fingerprint is exactly 8 lower-case hex digits, so a secret passed here by mistake is
    // refused instead of being printed in explanations, JSON and logs.
    if (fingerprint != null && !FINGERPRINT.matcher(fingerprint).matches()) {
      throw new IllegalArgumentException(
          "fingerprint must be 8 lower-case hex digits (SecretDigest.fingerprint()); got "
              + fingerprint.length()
              + " characters");
    }
  }

  /**
   * Nothing known.
   *
   * @return the subject with every component null (one shared instance)
   */
  public static TokenSubject unknown() {
    return UNKNOWN;
  }

  /**
   * Only the presented secret's fingerprint is known (e.g. the token was rejected).
   *
   * @param fingerprint 8 lower-case hex digits, as {@link
   *     dev.patguard.token.SecretDigest#fingerprint()} gives
   * @return the subject
   * @throws IllegalArgumentException if {@code fingerprint} is not 8 lower-case hex digits
   */
  public static TokenSubject fingerprintOnly(String fingerprint) {
    return new TokenSubject(fingerprint, null, null, null, null);
  }

  /**
   * The fingerprint, if a secret was presented.
   *
   * @return the 8 hex digits, or empty for a token read by id or nothing known
   */
  public Optional<String> fingerprintIfKnown() {
    return Optional.ofNullable(fingerprint);
  }

  /**
   * The same subject, with the fingerprint of the secret it was looked up by.
   *
   * @param fingerprint 8 lower-case hex digits, or null to drop it
   * @return a new subject; this one is unchanged
   * @throws IllegalArgumentException if {@code fingerprint} is not 8 lower-case hex digits
   */
  public TokenSubject withFingerprint(@Nullable String fingerprint) {
    return new TokenSubject(fingerprint, tokenId, ownerId, ownerEmail, note);
  }

  /**
   * How messages name this token: fingerprint, then id, then "unknown token".
   *
   * @return {@code token 3f2a9c1b}, {@code token <uuid>} or {@code unknown token}
   */
  public String label() {
    if (fingerprint != null) {
      return "token " + fingerprint;
    }
    if (tokenId != null) {
      return "token " + tokenId;
    }
    return "unknown token";
  }
}
