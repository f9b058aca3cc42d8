package dev.patguard.receipt;

import static dev.patguard.receipt.ReceiptVerificationException.Reason.ALGORITHM_NOT_ALLOWED;
import static dev.patguard.receipt.ReceiptVerificationException.Reason.BAD_SIGNATURE;
import static dev.patguard.receipt.ReceiptVerificationException.Reason.EXPIRED;
import static dev.patguard.receipt.ReceiptVerificationException.Reason.MALFORMED;
import static dev.patguard.receipt.ReceiptVerificationException.Reason.MISSING_CLAIM;
import static dev.patguard.receipt.ReceiptVerificationException.Reason.NOT_YET_VALID;
import static dev.patguard.receipt.ReceiptVerificationException.Reason.UNKNOWN_KEY;
import static dev.patguard.receipt.ReceiptVerificationException.Reason.WRONG_TYPE;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObject;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.patguard.decision.DenyReason;
import dev.patguard.decision.IndeterminateCause;
import dev.patguard.decision.Warning;
import dev.patguard.receipt.VerifiedReceipt.Outcome;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Checks receipts made by {@link DecisionReceipts} against a set of public keys.
 *
 * <p>In order, a receipt must: be a compact JWS of at most {@value #MAX_RECEIPT_LENGTH}
 * characters ({@code MALFORMED}); name ES256 in its header — never {@code none}, an HMAC or any
 * other algorithm, whatever the header says ({@code ALGORITHM_NOT_ALLOWED}); have {@code typ}
 * {@code patguard-receipt+jwt} ({@code WRONG_TYPE}); have a {@code kid} naming one of this
 * verifier's keys ({@code UNKNOWN_KEY}); carry an ES256 signature that verifies with that key
 * ({@code BAD_SIGNATURE}); hold the required claims ({@code MISSING_CLAIM}); be within its validity
 * period, give or take the clock skew ({@code EXPIRED}, {@code NOT_YET_VALID}); and hold claims of
 * the right types and values ({@code MALFORMED}). Keys come only from the verifier's set, never
 * from the header ({@code jwk}, {@code jku}, {@code x5u} and {@code x5c} are ignored).
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ReceiptVerifier {
  /** The clock skew allowed by default either side of a receipt's validity period. */
  public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofSeconds(60);

  /** The largest clock skew that may be configured. */
  public static final Duration MAX_CLOCK_SKEW_LIMIT = Duration.ofMinutes(10);

  /** The longest receipt read; a receipt with a few requirements and reasons is about 1 KiB. */
  public static final int MAX_RECEIPT_LENGTH = 64 * 1024;

  private static final Set<String> ALLOWED_ALGORITHMS = Set.of(JWSAlgorithm.ES256.getName());
  private static final Pattern SHOWABLE = Pattern.compile("[A-Za-z0-9._:+/-]{1,64}");
  private static final Set<String> REQUIRED_CLAIMS = Set.of(
      ReceiptClaims.DECISION, ReceiptClaims.REASONS, ReceiptClaims.WARNINGS,
      ReceiptClaims.REQUIREMENTS, "iat", "exp", "jti");

  private final List<ECKey> keys;
  private final Clock clock;
  private final Duration maxClockSkew;

  ReceiptVerifier(JWKSet publicKeys, Clock clock, Duration maxClockSkew) {
    Objects.requireNonNull(publicKeys, "publicKeys must not be null");
    this.clock = Objects.requireNonNull(clock, "clock must not be null");
    this.maxClockSkew = checkSkew(maxClockSkew);
    if (publicKeys.isEmpty()) {
      throw new IllegalArgumentException("publicKeys must hold at least one key");
    }
    List<ECKey> ks = new ArrayList<>();
    for (JWK jwk : publicKeys.getKeys()) {
      ks.add(ReceiptKeys.checkEs256Key(jwk, "verification key").toPublicJWK());
    }
    this.keys = List.copyOf(ks);
  }

  private ReceiptVerifier(ReceiptVerifier base, Duration maxClockSkew) {
    this.keys = base.keys;
    this.clock = base.clock;
    this.maxClockSkew = checkSkew(maxClockSkew);
  }

  /**
   * The same verifier, allowing {@code skew} either side of a receipt's validity period (default
   * {@link #DEFAULT_MAX_CLOCK_SKEW}; zero to at most {@link #MAX_CLOCK_SKEW_LIMIT}).
   */
  public ReceiptVerifier maxClockSkew(Duration skew) {
    return new ReceiptVerifier(this, skew);
  }

  /** The clock skew allowed either side of a receipt's validity period. */
  public Duration maxClockSkew() {
    return maxClockSkew;
  }

  /** The key ids this verifier accepts. */
  public Set<String> keyIds() {
    Set<String> ids = new LinkedHashSet<>();
    keys.forEach(k -> ids.add(k.getKeyID()));
    return Set.copyOf(ids);
  }

  /**
   * Checks {@code receipt} (surrounding white space is ignored) and returns its claims.
   *
   * @throws ReceiptVerificationException saying which check failed; the receipt must not be trusted
   */
  public VerifiedReceipt verify(String receipt) throws ReceiptVerificationException {
    Objects.requireNonNull(receipt, "receipt must not be null");
    String jws = receipt.strip();
    if (jws.length() > MAX_RECEIPT_LENGTH) {
      throw new ReceiptVerificationException(MALFORMED, "longer than " + MAX_RECEIPT_LENGTH + " characters");
    }
    checkAlgorithm(jws);
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(jws);
    } catch (ParseException e) {
      throw new ReceiptVerificationException(MALFORMED, "not a compact JWS with a valid header", e);
    }
    JWSHeader header = jwt.getHeader();
    checkType(header.getType());
    String kid = header.getKeyID();
    if (kid == null) {
      throw new ReceiptVerificationException(UNKNOWN_KEY, "the header has no kid");
    }
    List<ECKey> candidates = new ArrayList<>();
    for (ECKey k : keys) {
      if (k.getKeyID().equals(kid)) {
        candidates.add(k);
      }
    }
    if (candidates.isEmpty()) {
      throw new ReceiptVerificationException(UNKNOWN_KEY, "no verification key has kid " + show(kid)
          + " (known: " + String.join(", ", new TreeSet<>(keyIds())) + ")");
    }
    if (!signatureVerifies(jwt, candidates)) {
      throw new ReceiptVerificationException(BAD_SIGNATURE, "the signature does not verify with key "
          + show(kid) + ": the receipt was altered or signed by another key");
    }
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      // Nimbus's message may quote the payload: leave it out.
      throw new ReceiptVerificationException(MALFORMED,
          "the payload is not a JSON claims set with well-typed registered claims");
    }
    for (String name : new TreeSet<>(REQUIRED_CLAIMS)) {
      if (claims.getClaim(name) == null) {
        throw new ReceiptVerificationException(MISSING_CLAIM, "claim \"" + name + "\" is missing");
      }
    }
    Instant issuedAt = instant(claims, "iat");
    Instant expiresAt = instant(claims, "exp");
    checkTimes(claims, issuedAt, expiresAt);
    return readClaims(claims, issuedAt, expiresAt, kid);
  }

  private static void checkAlgorithm(String jws) throws ReceiptVerificationException {
    Base64URL[] parts;
    try {
      parts = JOSEObject.split(jws);
    } catch (ParseException e) {
      throw new ReceiptVerificationException(MALFORMED, "not a compact JWS (three base64url parts"
          + " separated by '.')", e);
    }
    if (parts.length != 3) {
      throw new ReceiptVerificationException(ALGORITHM_NOT_ALLOWED,
          "an encrypted JWE, not a receipt signed with ES256");
    }
    Object alg;
    try {
      alg = JSONObjectUtils.parse(parts[0].decodeToString()).get("alg");
    } catch (ParseException e) {
      throw new ReceiptVerificationException(MALFORMED, "the header is not base64url-encoded JSON");
    }
    if (!(alg instanceof String name)) {
      throw new ReceiptVerificationException(MALFORMED, "the header has no \"alg\" string");
    }
    if (!ALLOWED_ALGORITHMS.contains(name)) {
      String what = name.equalsIgnoreCase("none") ? "an unsecured JWT (alg none)" : "algorithm " + show(name);
      throw new ReceiptVerificationException(ALGORITHM_NOT_ALLOWED, what
          + " is not allowed; receipts are signed with ES256");
    }
  }

  private static void checkType(@Nullable JOSEObjectType type) throws ReceiptVerificationException {
    if (type == null) {
      throw new ReceiptVerificationException(WRONG_TYPE, "the header has no typ; a receipt's typ is "
          + ReceiptClaims.TYPE);
    }
    // Media types compare ignoring case, and "application/" may be left out (RFC 7515, 4.1.9).
    String t = type.getType().toLowerCase(Locale.ROOT);
    if (t.startsWith("application/")) {
      t = t.substring("application/".length());
    }
    if (!t.equals(ReceiptClaims.TYPE)) {
      throw new ReceiptVerificationException(WRONG_TYPE, "typ " + show(type.getType())
          + " is not " + ReceiptClaims.TYPE + "; this is some other kind of JWT");
    }
  }

  private static boolean signatureVerifies(SignedJWT jwt, List<ECKey> candidates) {
    for (ECKey key : candidates) {
      try {
        // The verifier is built for the key (P-256, so ES256 only) and refuses any other algorithm
        // or an unknown critical header parameter.
        if (jwt.verify(new ECDSAVerifier(key))) {
          return true;
        }
      } catch (JOSEException | IllegalStateException e) {
        // Not verifiable with this key: try the next one.
      }
    }
    return false;
  }

  private void checkTimes(JWTClaimsSet claims, Instant issuedAt, Instant expiresAt)
      throws ReceiptVerificationException {
    Instant now = clock.instant();
    if (!expiresAt.isAfter(issuedAt)) {
      throw new ReceiptVerificationException(MALFORMED, "claim \"exp\" is not after \"iat\"");
    }
    // Expiry is exclusive: at exp (plus the skew) the receipt is expired. Distances between two
    // instants always fit in a Duration, so comparing them never overflows.
    if (Duration.between(expiresAt, now).compareTo(maxClockSkew) >= 0) {
      throw new ReceiptVerificationException(EXPIRED, "expired at " + expiresAt + " (now " + now
          + ", clock skew allowed " + maxClockSkew + ")");
    }
    if (Duration.between(now, issuedAt).compareTo(maxClockSkew) > 0) {
      throw new ReceiptVerificationException(NOT_YET_VALID, "issued at " + issuedAt
          + ", in the future (now " + now + ", clock skew allowed " + maxClockSkew + ")");
    }
    if (claims.getClaim("nbf") != null) {
      Instant notBefore = instant(claims, "nbf");
      if (Duration.between(now, notBefore).compareTo(maxClockSkew) > 0) {
        throw new ReceiptVerificationException(NOT_YET_VALID, "not valid before " + notBefore
            + " (now " + now + ", clock skew allowed " + maxClockSkew + ")");
      }
    }
  }

  private static VerifiedReceipt readClaims(JWTClaimsSet claims, Instant issuedAt, Instant expiresAt,
      String kid) throws ReceiptVerificationException {
    String decision = string(claims, ReceiptClaims.DECISION);
    Outcome outcome;
    try {
      outcome = Outcome.valueOf(decision);
    } catch (IllegalArgumentException e) {
      throw new ReceiptVerificationException(MALFORMED,
          "claim \"decision\" is not PERMIT, DENY or INDETERMINATE");
    }
    List<DenyReason> reasons = new ArrayList<>();
    for (Map<?, ?> o : objects(claims, ReceiptClaims.REASONS)) {
      DenyReason.Code code = code(o, ReceiptClaims.REASONS, DenyReason.Code.class);
      reasons.add(new DenyReason(code, detail(o, ReceiptClaims.REASONS)));
    }
    if (outcome == Outcome.DENY && reasons.isEmpty()) {
      throw new ReceiptVerificationException(MALFORMED, "claim \"reasons\" is empty in a DENY receipt");
    }
    if (outcome != Outcome.DENY && !reasons.isEmpty()) {
      throw new ReceiptVerificationException(MALFORMED, "claim \"reasons\" is not empty in a "
          + outcome + " receipt");
    }
    List<Warning> warnings = new ArrayList<>();
    for (Map<?, ?> o : objects(claims, ReceiptClaims.WARNINGS)) {
      Warning.Code code = code(o, ReceiptClaims.WARNINGS, Warning.Code.class);
      warnings.add(new Warning(code, detail(o, ReceiptClaims.WARNINGS)));
    }
    IndeterminateCause cause = null;
    String detail = null;
    if (outcome == Outcome.INDETERMINATE) {
      String c = string(claims, ReceiptClaims.CAUSE);
      try {
        cause = IndeterminateCause.valueOf(c);
      } catch (IllegalArgumentException e) {
        throw new ReceiptVerificationException(MALFORMED, "claim \"cause\" is not a known cause");
      }
      detail = string(claims, ReceiptClaims.DETAIL);
    } else if (claims.getClaim(ReceiptClaims.CAUSE) != null || claims.getClaim(ReceiptClaims.DETAIL) != null) {
      throw new ReceiptVerificationException(MALFORMED, "claims \"cause\" and \"detail\" belong only in an"
          + " INDETERMINATE receipt");
    }
    List<String> requirements = new ArrayList<>();
    for (Object r : list(claims, ReceiptClaims.REQUIREMENTS)) {
      if (!(r instanceof String s)) {
        throw new ReceiptVerificationException(MALFORMED, "claim \"requirements\" is not an array of strings");
      }
      requirements.add(s);
    }
    String fingerprint = optionalString(claims, ReceiptClaims.FINGERPRINT);
    if (fingerprint != null && !ReceiptClaims.FINGERPRINT_FORMAT.matcher(fingerprint).matches()) {
      throw new ReceiptVerificationException(MALFORMED, "claim \"fingerprint\" is not 8 lower-case hex digits");
    }
    String id = string(claims, "jti");
    if (id.isBlank()) {
      throw new ReceiptVerificationException(MALFORMED, "claim \"jti\" is blank");
    }
    return new VerifiedReceipt(outcome, reasons, cause, detail, warnings, requirements, fingerprint,
        uuid(claims, ReceiptClaims.TOKEN_ID), uuid(claims, ReceiptClaims.OWNER_ID),
        optionalString(claims, "iss"), issuedAt, expiresAt, id, kid);
  }

  private static Instant instant(JWTClaimsSet claims, String name) throws ReceiptVerificationException {
    Date d;
    try {
      d = claims.getDateClaim(name);
    } catch (ParseException e) {
      d = null;
    }
    if (d == null) {
      throw new ReceiptVerificationException(MALFORMED, "claim \"" + name + "\" is not a NumericDate");
    }
    return d.toInstant();
  }

  private static String string(JWTClaimsSet claims, String name) throws ReceiptVerificationException {
    String s = optionalString(claims, name);
    if (s == null) {
      throw new ReceiptVerificationException(MISSING_CLAIM, "claim \"" + name + "\" is missing");
    }
    return s;
  }

  private static @Nullable String optionalString(JWTClaimsSet claims, String name)
      throws ReceiptVerificationException {
    Object v = claims.getClaim(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw new ReceiptVerificationException(MALFORMED, "claim \"" + name + "\" is not a string");
    }
    return s;
  }

  private static @Nullable UUID uuid(JWTClaimsSet claims, String name) throws ReceiptVerificationException {
    String s = optionalString(claims, name);
    if (s == null) {
      return null;
    }
    try {
      return UUID.fromString(s);
    } catch (IllegalArgumentException e) {
      throw new ReceiptVerificationException(MALFORMED, "claim \"" + name + "\" is not a UUID");
    }
  }

  private static List<?> list(JWTClaimsSet claims, String name) throws ReceiptVerificationException {
    Object v = claims.getClaim(name);
    if (!(v instanceof List<?> l)) {
      throw new ReceiptVerificationException(MALFORMED, "claim \"" + name + "\" is not an array");
    }
    return l;
  }

  private static List<Map<?, ?>> objects(JWTClaimsSet claims, String name) throws ReceiptVerificationException {
    List<Map<?, ?>> out = new ArrayList<>();
    for (Object o : list(claims, name)) {
      if (!(o instanceof Map<?, ?> m)) {
        throw new ReceiptVerificationException(MALFORMED, "claim \"" + name
            + "\" is not an array of {code, detail} objects");
      }
      out.add(m);
    }
    return out;
  }

  private static <E extends Enum<E>> E code(Map<?, ?> o, String claim, Class<E> type)
      throws ReceiptVerificationException {
    if (o.get(ReceiptClaims.CODE) instanceof String s) {
      try {
        return Enum.valueOf(type, s);
      } catch (IllegalArgumentException e) {
        // fall through
      }
    }
    throw new ReceiptVerificationException(MALFORMED, "claim \"" + claim + "\" has an entry without a known"
        + " \"code\"");
  }

  private static @Nullable String detail(Map<?, ?> o, String claim) throws ReceiptVerificationException {
    Object d = o.get(ReceiptClaims.DETAIL);
    if (d == null || d instanceof String) {
      return (String) d;
    }
    throw new ReceiptVerificationException(MALFORMED, "claim \"" + claim + "\" has an entry whose"
        + " \"detail\" is not a string");
  }

  private static Duration checkSkew(Duration skew) {
    Objects.requireNonNull(skew, "maxClockSkew must not be null");
    if (skew.isNegative() || skew.compareTo(MAX_CLOCK_SKEW_LIMIT) > 0) {
      throw new IllegalArgumentException("maxClockSkew must be between zero and " + MAX_CLOCK_SKEW_LIMIT
          + ", got " + skew);
    }
    return skew;
  }

  /** A header value quoted in a message, if it is short and plain; otherwise not shown. */
  private static String show(String headerValue) {
    return SHOWABLE.matcher(headerValue).matches() ? "\"" + headerValue + "\"" : "(not shown)";
  }
}
