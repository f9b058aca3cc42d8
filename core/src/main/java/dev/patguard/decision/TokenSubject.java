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
  private static final java.util.regex.Pattern FINGERPRINT = java.util.regex.Pattern.compile("[0-9a-f]{8}");

  public TokenSubject {
    // A fingerprint is exactly 8 lower-case hex digits, so a secret passed here by mistake is
    // refused instead of being printed in explanations, JSON and logs.
    if (fingerprint != null && !FINGERPRINT.matcher(fingerprint).matches()) {
      throw new IllegalArgumentException(
          "fingerprint must be 8 lower-case hex digits (SecretDigest.fingerprint()); got "
              + fingerprint.length() + " characters");
    }
  }

  /** Nothing known. */
  public static TokenSubject unknown() {
    return UNKNOWN;
  }

  /** Only the presented secret's fingerprint is known (e.g. the token was rejected). */
  public static TokenSubject fingerprintOnly(String fingerprint) {
    return new TokenSubject(fingerprint, null, null, null, null);
  }

  /** The fingerprint, if a secret was presented. */
  public Optional<String> fingerprintIfKnown() {
    return Optional.ofNullable(fingerprint);
  }

  /** The same subject, with the fingerprint of the secret it was looked up by. */
  public TokenSubject withFingerprint(@Nullable String fingerprint) {
    return new TokenSubject(fingerprint, tokenId, ownerId, ownerEmail, note);
  }

  /** How messages name this token: fingerprint, then id, then "unknown token". */
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
