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
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import dev.patguard.decision.DenyReason;
import dev.patguard.decision.IndeterminateCause;
import dev.patguard.decision.Warning;
import dev.patguard.receipt.VerifiedReceipt.Outcome;
import java.security.Key;
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
 * <p>In order, a receipt must: be a compact JWS of at most {@value #MAX_RECEIPT_LENGTH} characters
 * ({@code MALFORMED}); name ES256 in its header — never {@code none}, an HMAC or any other
 * algorithm, whatever the header says ({@code ALGORITHM_NOT_ALLOWED}); have {@code typ} {@code
 * patguard-receipt+jwt} ({@code WRONG_TYPE}); have a {@code kid} naming one of this verifier's keys
 * ({@code UNKNOWN_KEY}); carry an ES256 signature that verifies with that key ({@code
 * BAD_SIGNATURE}); hold the required claims ({@code MISSING_CLAIM}); be within its validity period,
 * give or take the clock skew ({@code EXPIRED}, {@code NOT_YET_VALID}); and hold claims of the
 * right types and values ({@code MALFORMED}). Keys come only from the verifier's set, looked up by
 * {@code kid} alone, never from the header ({@code jwk}, {@code jku}, {@code x5u}, {@code x5c} and
 * {@code x5t#S256} are ignored).
 *
 * <p>The JOSE work is Nimbus's {@link DefaultJWTProcessor}: a {@link JWSVerificationKeySelector}
 * for ES256 over an {@link ImmutableJWKSet} of the verifier's keys, a {@link
 * DefaultJOSEObjectTypeVerifier} for the type and {@link DefaultJWTClaimsVerifier}s for the
 * required claims, {@code exp} and {@code nbf}. What Nimbus cannot tell apart or does not check
 * stays here: the algorithm (Nimbus answers "another algorithm expected, or no matching key" for a
 * wrong algorithm and an unknown key alike, and rejects {@code none} only after the type), a
 * missing {@code kid}, a claim whose value is JSON {@code null}, {@code iat} in the future, and the
 * claims' own types and values.
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
  private static final Set<String> REQUIRED_CLAIMS =
      Set.of(
          ReceiptClaims.DECISION,
          ReceiptClaims.REASONS,
          ReceiptClaims.WARNINGS,
          ReceiptClaims.REQUIREMENTS,
          "iat",
          "exp",
          "jti");

  /** {@code typ} compares ignoring case, and "application/" may be left out (RFC 7515, 4.1.9). */
  private static final DefaultJOSEObjectTypeVerifier<SecurityContext> RECEIPT_TYPE =
      new DefaultJOSEObjectTypeVerifier<>(
          new JOSEObjectType(ReceiptClaims.TYPE),
          new JOSEObjectType("application/" + ReceiptClaims.TYPE));

  /** Nimbus's check that the required claims are present; no time checks (see {@link Validity}). */
  private static final DefaultJWTClaimsVerifier<SecurityContext> REQUIRED_CLAIMS_PRESENT =
      new DefaultJWTClaimsVerifier<>(null, null, REQUIRED_CLAIMS, null) {
        @Override
        protected @Nullable Date currentTime() {
          return null; // no current time: Nimbus skips exp and nbf
        }
      };

  /**
   * Stands for a payload that is not a JSON claims set. Nimbus parses the claims before it checks
   * the signature; this placeholder lets the signature be judged first, as for any other receipt,
   * and the claims verifier then rejects it as {@code MALFORMED}.
   */
  private static final JWTClaimsSet UNPARSEABLE = new JWTClaimsSet.Builder().build();

  private final List<ECKey> keys;
  private final Clock clock;
  private final Duration maxClockSkew;
  private final DefaultJWTProcessor<SecurityContext> processor;

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
    this.processor = processor();
  }

  private ReceiptVerifier(ReceiptVerifier base, Duration maxClockSkew) {
    this.keys = base.keys;
    this.clock = base.clock;
    this.maxClockSkew = checkSkew(maxClockSkew);
    this.processor = processor();
  }

  /**
   * The same verifier, allowing {@code skew} either side of a receipt's validity period (default
   * {@link #DEFAULT_MAX_CLOCK_SKEW}; whole seconds, as JWT times are, from zero to at most {@link
   * #MAX_CLOCK_SKEW_LIMIT}).
   *
   * @param skew the tolerance, whole seconds from zero to {@link #MAX_CLOCK_SKEW_LIMIT}
   * @return a new verifier with the same keys and clock; this one is unchanged
   * @throws IllegalArgumentException if {@code skew} is negative, above the limit or not whole
   *     seconds
   */
  public ReceiptVerifier maxClockSkew(Duration skew) {
    return new ReceiptVerifier(this, skew);
  }

  /**
   * The clock skew allowed either side of a receipt's validity period.
   *
   * @return the skew, whole seconds
   */
  public Duration maxClockSkew() {
    return maxClockSkew;
  }

  /**
   * The key ids this verifier accepts.
   *
   * @return the {@code kid} of every verification key; unmodifiable
   */
  public Set<String> keyIds() {
    Set<String> ids = new LinkedHashSet<>();
    keys.forEach(k -> ids.add(k.getKeyID()));
    return Set.copyOf(ids);
  }

  /**
   * Checks {@code receipt} (surrounding white space is ignored) and returns its claims.
   *
   * @param receipt the compact JWS as {@link DecisionReceipts#sign} made it, untrusted
   * @return the checked claims; only {@link VerifiedReceipt#isPermit()} records a permit
   * @throws ReceiptVerificationException saying which check failed; the receipt must not be trusted
   */
  public VerifiedReceipt verify(String receipt) throws ReceiptVerificationException {
    Objects.requireNonNull(receipt, "receipt must not be null");
    String jws = receipt.strip();
    if (jws.length() > MAX_RECEIPT_LENGTH) {
      throw new ReceiptVerificationException(
          MALFORMED, "longer than " + MAX_RECEIPT_LENGTH + " characters");
    }
    checkAlgorithm(jws);
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(jws);
    } catch (ParseException e) {
      throw new ReceiptVerificationException(MALFORMED, "not a compact JWS with a valid header", e);
    }
    String kid = jwt.getHeader().getKeyID();
    JWTClaimsSet claims;
    try {
      claims = processor.process(jwt, null);
    } catch (Rejected e) {
      throw e.rejection();
    } catch (KeyRejected e) {
      throw e.rejection();
    } catch (BadJWSException e) {
      throw badSignature(kid);
    } catch (BadJOSEException e) {
      // Nothing else is left for Nimbus to refuse a JWS for but finding no verifier for its key.
      throw badSignature(kid);
    } catch (JOSEException e) {
      // The signature could not even be checked (say, it has the wrong length for ES256).
      throw badSignature(kid);
    }
    return readClaims(
        claims, instant(claims, "iat"), instant(claims, "exp"), Objects.requireNonNull(kid));
  }

  /** Nimbus's processor with this verifier's keys, type, claims and time. */
  private DefaultJWTProcessor<SecurityContext> processor() {
    DefaultJWTProcessor<SecurityContext> p =
        new DefaultJWTProcessor<>() {
          @Override
          protected JWTClaimsSet extractJWTClaimsSet(JWT jwt) {
            try {
              return super.extractJWTClaimsSet(jwt);
            } catch (BadJWTException e) {
              return UNPARSEABLE; // judged after the signature, by verifyClaims
            }
          }
        };
    p.setJWSTypeVerifier(
        (type, context) -> {
          // Lower-cased with Locale.ROOT first: JOSEObjectType hashes its lower case in the default
          // locale, and in a Turkish one "RECEIPT" would not find "receipt".
          @Nullable JOSEObjectType t =
              type == null ? null : new JOSEObjectType(type.getType().toLowerCase(Locale.ROOT));
          try {
            RECEIPT_TYPE.verify(t, context);
          } catch (BadJOSEException e) {
            throw new Rejected(
                type == null
                    ? new ReceiptVerificationException(
                        WRONG_TYPE,
                        "the header has no typ; a receipt's typ is " + ReceiptClaims.TYPE)
                    : new ReceiptVerificationException(
                        WRONG_TYPE,
                        "typ "
                            + show(type.getType())
                            + " is not "
                            + ReceiptClaims.TYPE
                            + "; this is some other kind of JWT"));
          }
        });
    JWSVerificationKeySelector<SecurityContext> es256Keys =
        new JWSVerificationKeySelector<>(
            JWSAlgorithm.ES256, new ImmutableJWKSet<>(new JWKSet(List.copyOf(keys))));
    p.setJWSKeySelector(
        (header, context) -> {
          String kid = header.getKeyID();
          if (kid == null) {
            throw new KeyRejected(
                new ReceiptVerificationException(UNKNOWN_KEY, "the header has no kid"));
          }
          // By algorithm and kid only: the header's x5t#S256 does not narrow the verifier's keys.
          List<? extends Key> candidates =
              es256Keys.selectJWSKeys(
                  new JWSHeader.Builder(header.getAlgorithm()).keyID(kid).build(), context);
          if (candidates.isEmpty()) {
            throw new KeyRejected(
                new ReceiptVerificationException(
                    UNKNOWN_KEY,
                    "no verification key has kid "
                        + show(kid)
                        + " (known: "
                        + String.join(", ", new TreeSet<>(keyIds()))
                        + ")"));
          }
          return candidates;
        });
    p.setJWTClaimsSetVerifier(
        (claims, context) -> {
          try {
            verifyClaims(claims);
          } catch (ReceiptVerificationException e) {
            throw new Rejected(e);
          }
        });
    return p;
  }

  private static void checkAlgorithm(String jws) throws ReceiptVerificationException {
    Base64URL[] parts;
    try {
      parts = JOSEObject.split(jws);
    } catch (ParseException e) {
      throw new ReceiptVerificationException(
          MALFORMED, "not a compact JWS (three base64url parts" + " separated by '.')", e);
    }
    if (parts.length != 3) {
      throw new ReceiptVerificationException(
          ALGORITHM_NOT_ALLOWED, "an encrypted JWE, not a receipt signed with ES256");
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
      String what =
          name.equalsIgnoreCase("none") ? "an unsecured JWT (alg none)" : "algorithm " + show(name);
      throw new ReceiptVerificationException(
          ALGORITHM_NOT_ALLOWED, what + " is not allowed; receipts are signed with ES256");
    }
  }

  private static ReceiptVerificationException badSignature(@Nullable String kid) {
    return new ReceiptVerificationException(
        BAD_SIGNATURE,
        "the signature does not verify with key "
            + (kid == null ? "(no kid)" : show(kid))
            + ": the receipt was altered or signed by another key");
  }

  /** The claims of a receipt whose signature verified: presence, then the validity period. */
  private void verifyClaims(JWTClaimsSet claims) throws ReceiptVerificationException {
    if (claims == UNPARSEABLE) {
      // Nimbus's message may quote the payload: leave it out.
      throw new ReceiptVerificationException(
          MALFORMED, "the payload is not a JSON claims set with well-typed registered claims");
    }
    try {
      REQUIRED_CLAIMS_PRESENT.verify(claims, null);
    } catch (BadJWTException e) {
      throw missingClaim(claims);
    }
    // Nimbus counts a claim present when its name is, even with the value null; a receipt's are
    // not.
    if (firstMissing(claims) != null) {
      throw missingClaim(claims);
    }
    Instant issuedAt = instant(claims, "iat");
    Instant expiresAt = instant(claims, "exp");
    if (!expiresAt.isAfter(issuedAt)) {
      throw new ReceiptVerificationException(MALFORMED, "claim \"exp\" is not after \"iat\"");
    }
    Instant now = clock.instant();
    // Nimbus does not look at iat. Distances between instants always fit in a Duration.
    if (Duration.between(now, issuedAt).compareTo(maxClockSkew) > 0) {
      throw new ReceiptVerificationException(
          NOT_YET_VALID,
          "issued at "
              + issuedAt
              + ", in the future (now "
              + now
              + ", clock skew allowed "
              + maxClockSkew
              + ")");
    }
    try {
      new Validity(now, maxClockSkew).verify(withinDateRange(claims, maxClockSkew), null);
    } catch (ExpiredJWTException e) {
      throw new ReceiptVerificationException(
          EXPIRED,
          "expired at "
              + expiresAt
              + " (now "
              + now
              + ", clock skew allowed "
              + maxClockSkew
              + ")");
    } catch (BadJWTException e) {
      // With no audience, exact, required or prohibited claims configured, Validity refuses only
      // nbf.
      throw new ReceiptVerificationException(
          NOT_YET_VALID,
          "not valid before "
              + instant(claims, "nbf")
              + " (now "
              + now
              + ", clock skew allowed "
              + maxClockSkew
              + ")");
    }
  }

  private static @Nullable String firstMissing(JWTClaimsSet claims) {
    for (String name : new TreeSet<>(REQUIRED_CLAIMS)) {
      if (claims.getClaim(name) == null) {
        return name;
      }
    }
    return null;
  }

  private static ReceiptVerificationException missingClaim(JWTClaimsSet claims) {
    return new ReceiptVerificationException(
        MISSING_CLAIM, "claim \"" + Objects.requireNonNull(firstMissing(claims)) + "\" is missing");
  }

  /**
   * {@code claims} with {@code exp} and {@code nbf} moved inside the range where Nimbus can add and
   * subtract the skew: it does so in milliseconds of a {@code long}, which wraps around for an
   * {@code exp} within the skew of the last date a JWT holds (where {@link DecisionReceipts}
   * saturates a long lifetime) and so would call such a receipt expired. Clamped, every "now" a
   * {@code Date} can hold compares the same way.
   */
  private static JWTClaimsSet withinDateRange(JWTClaimsSet claims, Duration skew) {
    long skewMillis = skew.toMillis();
    Date exp = claims.getExpirationTime();
    Date nbf = claims.getNotBeforeTime();
    boolean expWraps = exp != null && exp.getTime() > Long.MAX_VALUE - skewMillis;
    boolean nbfWraps = nbf != null && nbf.getTime() < Long.MIN_VALUE + skewMillis;
    if (!expWraps && !nbfWraps) {
      return claims;
    }
    JWTClaimsSet.Builder b = new JWTClaimsSet.Builder(claims);
    if (expWraps) {
      b.expirationTime(new Date(Long.MAX_VALUE - skewMillis));
    }
    if (nbfWraps) {
      b.notBeforeTime(new Date(Long.MIN_VALUE + skewMillis));
    }
    return b.build();
  }

  /**
   * Nimbus's {@code exp} and {@code nbf} checks at one reading of the verifier's clock: expired at
   * or after {@code exp} + skew, not yet valid until after {@code nbf} − skew.
   */
  private static final class Validity extends DefaultJWTClaimsVerifier<SecurityContext> {
    private final Date now;

    Validity(Instant now, Duration skew) {
      super(null, null, null, null);
      this.now = toDate(now);
      setMaxClockSkew(Math.toIntExact(skew.getSeconds()));
    }

    @Override
    protected Date currentTime() {
      return now;
    }

    /** {@code instant} as a {@code Date}, clamped to the range a {@code Date} holds. */
    private static Date toDate(Instant instant) {
      try {
        return Date.from(instant);
      } catch (IllegalArgumentException e) {
        return new Date(instant.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE);
      }
    }
  }

  /** Carries a rejection decided in a type or claims check out of Nimbus's processor. */
  private static final class Rejected extends BadJWTException {
    private static final long serialVersionUID = 1L;

    Rejected(ReceiptVerificationException rejection) {
      super(rejection.getMessage(), rejection);
    }

    ReceiptVerificationException rejection() {
      return (ReceiptVerificationException) getCause();
    }
  }

  /** Carries a rejection decided in the key lookup out of Nimbus's processor. */
  private static final class KeyRejected extends KeySourceException {
    private static final long serialVersionUID = 1L;

    KeyRejected(ReceiptVerificationException rejection) {
      super(rejection.getMessage(), rejection);
    }

    ReceiptVerificationException rejection() {
      return (ReceiptVerificationException) getCause();
    }
  }

  private static VerifiedReceipt readClaims(
      JWTClaimsSet claims, Instant issuedAt, Instant expiresAt, String kid)
      throws ReceiptVerificationException {
    String decision = string(claims, ReceiptClaims.DECISION);
    Outcome outcome;
    try {
      outcome = Outcome.valueOf(decision);
    } catch (IllegalArgumentException e) {
      throw new ReceiptVerificationException(
          MALFORMED, "claim \"decision\" is not PERMIT, DENY or INDETERMINATE");
    }
    List<DenyReason> reasons = new ArrayList<>();
    for (Map<?, ?> o : objects(claims, ReceiptClaims.REASONS)) {
      DenyReason.Code code = code(o, ReceiptClaims.REASONS, DenyReason.Code.class);
      reasons.add(new DenyReason(code, detail(o, ReceiptClaims.REASONS)));
    }
    if (outcome == Outcome.DENY && reasons.isEmpty()) {
      throw new ReceiptVerificationException(
          MALFORMED, "claim \"reasons\" is empty in a DENY receipt");
    }
    if (outcome != Outcome.DENY && !reasons.isEmpty()) {
      throw new ReceiptVerificationException(
          MALFORMED, "claim \"reasons\" is not empty in a " + outcome + " receipt");
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
    } else if (claims.getClaim(ReceiptClaims.CAUSE) != null
        || claims.getClaim(ReceiptClaims.DETAIL) != null) {
      throw new ReceiptVerificationException(
          MALFORMED,
          "claims \"cause\" and \"detail\" belong only in an" + " INDETERMINATE receipt");
    }
    List<String> requirements = new ArrayList<>();
    for (Object r : list(claims, ReceiptClaims.REQUIREMENTS)) {
      if (!(r instanceof String s)) {
        throw new ReceiptVerificationException(
            MALFORMED, "claim \"requirements\" is not an array of strings");
      }
      requirements.add(s);
    }
    String fingerprint = optionalString(claims, ReceiptClaims.FINGERPRINT);
    if (fingerprint != null && !ReceiptClaims.FINGERPRINT_FORMAT.matcher(fingerprint).matches()) {
      throw new ReceiptVerificationException(
          MALFORMED, "claim \"fingerprint\" is not 8 lower-case hex digits");
    }
    String id = string(claims, "jti");
    if (id.isBlank()) {
      throw new ReceiptVerificationException(MALFORMED, "claim \"jti\" is blank");
    }
    return new VerifiedReceipt(
        outcome,
        reasons,
        cause,
        detail,
        warnings,
        requirements,
        fingerprint,
        uuid(claims, ReceiptClaims.TOKEN_ID),
        uuid(claims, ReceiptClaims.OWNER_ID),
        optionalString(claims, "iss"),
        issuedAt,
        expiresAt,
        id,
        kid);
  }

  private static Instant instant(JWTClaimsSet claims, String name)
      throws ReceiptVerificationException {
    Date d;
    try {
      d = claims.getDateClaim(name);
    } catch (ParseException e) {
      d = null;
    }
    if (d == null) {
      throw new ReceiptVerificationException(
          MALFORMED, "claim \"" + name + "\" is not a NumericDate");
    }
    return d.toInstant();
  }

  private static String string(JWTClaimsSet claims, String name)
      throws ReceiptVerificationException {
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

  private static @Nullable UUID uuid(JWTClaimsSet claims, String name)
      throws ReceiptVerificationException {
    String s = optionalString(claims, name);
    if (s == null) {
      return null;
    }
    if (!ReceiptClaims.UUID_FORMAT.matcher(s).matches()) {
      throw new ReceiptVerificationException(MALFORMED, "claim \"" + name + "\" is not a UUID");
    }
    return UUID.fromString(s);
  }

  private static List<?> list(JWTClaimsSet claims, String name)
      throws ReceiptVerificationException {
    Object v = claims.getClaim(name);
    if (!(v instanceof List<?> l)) {
      throw new ReceiptVerificationException(MALFORMED, "claim \"" + name + "\" is not an array");
    }
    return l;
  }

  private static List<Map<?, ?>> objects(JWTClaimsSet claims, String name)
      throws ReceiptVerificationException {
    List<Map<?, ?>> out = new ArrayList<>();
    for (Object o : list(claims, name)) {
      if (!(o instanceof Map<?, ?> m)) {
        throw new ReceiptVerificationException(
            MALFORMED, "claim \"" + name + "\" is not an array of {code, detail} objects");
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
    throw new ReceiptVerificationException(
        MALFORMED, "claim \"" + claim + "\" has an entry without a known" + " \"code\"");
  }

  private static @Nullable String detail(Map<?, ?> o, String claim)
      throws ReceiptVerificationException {
    Object d = o.get(ReceiptClaims.DETAIL);
    if (d == null || d instanceof String) {
      return (String) d;
    }
    throw new ReceiptVerificationException(
        MALFORMED, "claim \"" + claim + "\" has an entry whose" + " \"detail\" is not a string");
  }

  private static Duration checkSkew(Duration skew) {
    Objects.requireNonNull(skew, "maxClockSkew must not be null");
    if (skew.isNegative() || skew.compareTo(MAX_CLOCK_SKEW_LIMIT) > 0) {
      throw new IllegalArgumentException(
          "maxClockSkew must be between zero and " + MAX_CLOCK_SKEW_LIMIT + ", got " + skew);
    }
    if (skew.getNano() != 0) {
      // Nimbus's skew is whole seconds, as JWT times are.
      throw new IllegalArgumentException("maxClockSkew must be whole seconds, got " + skew);
    }
    return skew;
  }

  /** A header value quoted in a message, if it is short and plain; otherwise not shown. */
  private static String show(String headerValue) {
    return SHOWABLE.matcher(headerValue).matches() ? "\"" + headerValue + "\"" : "(not shown)";
  }
}
