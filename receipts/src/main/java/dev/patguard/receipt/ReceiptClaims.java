package dev.patguard.receipt;

import java.util.regex.Pattern;

/** Claim and header names of a receipt, shared by the signer and the verifier. */
final class ReceiptClaims {
  static final String TYPE = "patguard-receipt+jwt";

  static final String DECISION = "decision";
  static final String REASONS = "reasons";
  static final String CAUSE = "cause";
  static final String DETAIL = "detail";
  static final String WARNINGS = "warnings";
  static final String REQUIREMENTS = "requirements";
  static final String FINGERPRINT = "fingerprint";
  static final String TOKEN_ID = "tokenId";
  static final String OWNER_ID = "ownerId";
  static final String CODE = "code";

  /**
   * What {@link dev.patguard.token.SecretDigest#fingerprint()} produces: 8 lower-case hex digits.
   */
  static final Pattern FINGERPRINT_FORMAT = Pattern.compile("[0-9a-f]{8}");

  /**
   * A UUID in its canonical text form, 8-4-4-4-12 hex digits (either case, as core reads BRMS's).
   * {@code UUID.fromString} alone also takes short forms such as {@code 1-1-1-1-1} and signs.
   */
  static final Pattern UUID_FORMAT =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private ReceiptClaims() {}
}
