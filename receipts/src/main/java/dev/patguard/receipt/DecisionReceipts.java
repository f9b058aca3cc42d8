package dev.patguard.receipt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.patguard.decision.Decision;
import dev.patguard.decision.DecisionJson;
import dev.patguard.decision.DenyReason;
import dev.patguard.decision.Requirement;
import dev.patguard.decision.TokenSubject;
import dev.patguard.decision.Warning;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Signs decisions as receipts: compact JWS strings (JWTs) with header {@code alg: ES256}, {@code
 * kid} and {@code typ: patguard-receipt+jwt}.
 *
 * <pre>{@code
 * DecisionReceipts receipts = DecisionReceipts.builder()
 *     .signingKey(ReceiptKeys.readSigningKey(Path.of("receipt-key.jwk")))
 *     .lifetime(Duration.ofMinutes(15))
 *     .issuer("patguard")
 *     .build();
 * String jws = receipts.sign(decision, List.of(requirement));
 *
 * ReceiptVerifier verifier = DecisionReceipts.verifier(ReceiptKeys.readJwkSet(publicKeys), clock);
 * VerifiedReceipt receipt = verifier.verify(jws);
 * }</pre>
 *
 * <p>Claims: {@code decision} ({@code PERMIT}, {@code DENY} or {@code INDETERMINATE}), {@code
 * reasons} ({@code [{code, detail}]}, empty unless a deny), {@code cause} and {@code detail}
 * (indeterminate only), {@code warnings} ({@code [{code, detail}]}), {@code requirements} (text
 * forms), {@code fingerprint}, {@code tokenId} and {@code ownerId} (each when known), {@code iat},
 * {@code exp} ({@code iat} plus the lifetime), {@code jti} (a random UUID) and {@code iss} (when
 * set). A receipt never holds a secret: a decision holds only the token's fingerprint, and the
 * owner's email and the token's note are left out.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class DecisionReceipts {
  /** The default lifetime of a receipt. */
  public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(15);

  /** The longest lifetime a receipt may have. */
  public static final Duration MAX_LIFETIME = Duration.ofDays(30);

  /** The {@code typ} header of every receipt. */
  public static final String TYPE = ReceiptClaims.TYPE;

  /** The latest whole second a {@code java.util.Date}, and so a Nimbus JWT date, can hold. */
  private static final Instant LATEST_NUMERIC_DATE =
      Instant.ofEpochMilli(Long.MAX_VALUE).truncatedTo(ChronoUnit.SECONDS);

  private final ECKey key;
  private final JWSSigner signer;
  private final JWSHeader header;
  private final Duration lifetime;
  private final Clock clock;
  private final @Nullable String issuer;

  private DecisionReceipts(ECKey key, Duration lifetime, Clock clock, @Nullable String issuer) {
    this.key = key;
    this.lifetime = lifetime;
    this.clock = clock;
    this.issuer = issuer;
    try {
      this.signer = new ECDSASigner(key);
    } catch (JOSEException e) {
      throw new IllegalArgumentException(
          "signing key " + key.getKeyID() + " cannot sign: " + e.getMessage(), e);
    }
    this.header =
        new JWSHeader.Builder(JWSAlgorithm.ES256)
            .keyID(key.getKeyID())
            .type(new JOSEObjectType(ReceiptClaims.TYPE))
            .build();
  }

  /**
   * A builder; {@link Builder#signingKey(JWK)} is required.
   *
   * @return a new builder: default lifetime, system clock, no issuer
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A verifier that accepts receipts signed by any of {@code publicKeys} (looked up by {@code
   * kid}), judging their validity period by {@code clock} with the default clock skew.
   *
   * @param publicKeys P-256 EC keys, each with a {@code kid}; private parts are ignored
   * @param clock the verifier's time
   * @return a verifier allowing {@link ReceiptVerifier#DEFAULT_MAX_CLOCK_SKEW}
   * @throws IllegalArgumentException if the set is empty or holds a key that cannot verify ES256
   */
  public static ReceiptVerifier verifier(JWKSet publicKeys, Clock clock) {
    return new ReceiptVerifier(publicKeys, clock, ReceiptVerifier.DEFAULT_MAX_CLOCK_SKEW);
  }

  /**
   * As {@link #verifier(JWKSet, Clock)}, on the system clock (UTC).
   *
   * @param publicKeys P-256 EC keys, each with a {@code kid}; private parts are ignored
   * @return a verifier allowing {@link ReceiptVerifier#DEFAULT_MAX_CLOCK_SKEW}
   * @throws IllegalArgumentException if the set is empty or holds a key that cannot verify ES256
   */
  public static ReceiptVerifier verifier(JWKSet publicKeys) {
    return verifier(publicKeys, Clock.systemUTC());
  }

  /**
   * Signs {@code decision} about {@code requirements}; returns the compact JWS.
   *
   * @param decision the decision; only its fingerprint, token id and owner id name the token
   * @param requirements what was asked, written as their text forms in order; may be empty
   * @return the compact JWS ({@code header.payload.signature}), issued now by the clock in whole
   *     seconds, with a fresh {@code jti}
   * @throws IllegalArgumentException if the decision's fingerprint is not 8 lower-case hex digits
   *     (a secret passed by mistake is never signed)
   * @throws IllegalStateException if the clock reads later than a JWT date can hold
   * @throws NullPointerException if an argument or a requirement is null
   */
  public String sign(Decision decision, List<Requirement> requirements) {
    Objects.requireNonNull(decision, "decision must not be null");
    Objects.requireNonNull(requirements, "requirements must not be null");
    Instant issuedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    if (issuedAt.isAfter(LATEST_NUMERIC_DATE)) {
      throw new IllegalStateException(
          "the clock reads "
              + issuedAt
              + ", later than a receipt can record ("
              + LATEST_NUMERIC_DATE
              + ")");
    }
    // issuedAt is at most LATEST_NUMERIC_DATE (about year 292 million) and the lifetime at most
    // 30 days, so the sum stays far inside Instant's range; exp then saturates at the latest
    // instant a JWT date holds here, never overflows.
    Instant expiresAt = issuedAt.plus(lifetime).truncatedTo(ChronoUnit.SECONDS);
    if (expiresAt.isAfter(LATEST_NUMERIC_DATE)) {
      expiresAt = LATEST_NUMERIC_DATE;
    }
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .jwtID(UUID.randomUUID().toString())
            .issueTime(Date.from(issuedAt))
            .expirationTime(Date.from(expiresAt))
            .claim(ReceiptClaims.DECISION, DecisionJson.outcome(decision));
    if (issuer != null) {
      claims.issuer(issuer);
    }
    List<Object> reasons = new ArrayList<>();
    if (decision instanceof Decision.Deny deny) {
      for (DenyReason r : deny.reasons()) {
        reasons.add(codeAndDetail(r.code().name(), r.detail()));
      }
    }
    claims.claim(ReceiptClaims.REASONS, reasons);
    if (decision instanceof Decision.Indeterminate ind) {
      claims.claim(ReceiptClaims.CAUSE, ind.cause().name());
      claims.claim(ReceiptClaims.DETAIL, ind.detail());
    }
    List<Object> warnings = new ArrayList<>();
    for (Warning w : decision.warnings()) {
      warnings.add(codeAndDetail(w.code().name(), w.detail()));
    }
    claims.claim(ReceiptClaims.WARNINGS, warnings);
    List<Object> reqs = new ArrayList<>();
    for (Requirement r : requirements) {
      reqs.add(Objects.requireNonNull(r, "requirement must not be null").toString());
    }
    claims.claim(ReceiptClaims.REQUIREMENTS, reqs);
    TokenSubject subject = decision.subject();
    String fingerprint = subject.fingerprint();
    if (fingerprint != null) {
      if (!ReceiptClaims.FINGERPRINT_FORMAT.matcher(fingerprint).matches()) {
        // Refuse rather than risk signing a secret passed where a fingerprint belongs.
        throw new IllegalArgumentException(
            "the decision's fingerprint is not 8 lower-case hex digits"
                + " (SecretDigest.fingerprint()); refusing to put it in a receipt");
      }
      claims.claim(ReceiptClaims.FINGERPRINT, fingerprint);
    }
    if (subject.tokenId() != null) {
      claims.claim(ReceiptClaims.TOKEN_ID, subject.tokenId().toString());
    }
    if (subject.ownerId() != null) {
      claims.claim(ReceiptClaims.OWNER_ID, subject.ownerId().toString());
    }
    SignedJWT jwt = new SignedJWT(header, claims.build());
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException(
          "signing a receipt with key " + key.getKeyID() + " failed", e);
    }
    return jwt.serialize();
  }

  /**
   * Signs {@code decision} without naming what was asked.
   *
   * @param decision the decision
   * @return the compact JWS, its {@code requirements} claim empty
   * @throws IllegalArgumentException if the decision's fingerprint is not 8 lower-case hex digits
   */
  public String sign(Decision decision) {
    return sign(decision, List.of());
  }

  /**
   * The {@code kid} receipts are signed under.
   *
   * @return the signing key's {@code kid}, as every receipt's header names it
   */
  public String keyId() {
    return key.getKeyID();
  }

  /**
   * How long a receipt is accepted after it is signed.
   *
   * @return the lifetime, 1 second to {@link #MAX_LIFETIME}
   */
  public Duration lifetime() {
    return lifetime;
  }

  /**
   * The {@code iss} claim, if set.
   *
   * @return the issuer every receipt carries, or empty when receipts have no {@code iss}
   */
  public Optional<String> issuer() {
    return Optional.ofNullable(issuer);
  }

  /**
   * The public key of this signer, as a JWK set for verifiers.
   *
   * @return a set of one key, public part only, safe to publish
   */
  public JWKSet publicKeys() {
    return ReceiptKeys.publicJwkSet(key);
  }

  private static Map<String, Object> codeAndDetail(String code, @Nullable String detail) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put(ReceiptClaims.CODE, code);
    if (detail != null) {
      o.put(ReceiptClaims.DETAIL, detail);
    }
    return o;
  }

  /** Configures a {@link DecisionReceipts}; each setting is checked as it is made. */
  public static final class Builder {
    private @Nullable ECKey key;
    private Duration lifetime = DEFAULT_LIFETIME;
    private Clock clock = Clock.systemUTC();
    private @Nullable String issuer;

    private Builder() {}

    /**
     * The private key to sign with: a P-256 EC JWK with its private part and a {@code kid} (see
     * {@link ReceiptKeys#generateEs256(String)}). If the key names an {@code alg} it must be ES256,
     * and a {@code use} must be {@code sig}.
     *
     * @param key the private signing key
     * @return this builder
     * @throws IllegalArgumentException if the key cannot sign receipts (the message says why)
     */
    public Builder signingKey(JWK key) {
      this.key = ReceiptKeys.checkSigningKey(key);
      return this;
    }

    /**
     * How long a receipt is accepted: {@code exp = iat + lifetime}. At least one second (JWT times
     * are whole seconds), at most {@link DecisionReceipts#MAX_LIFETIME}; default {@link
     * DecisionReceipts#DEFAULT_LIFETIME}.
     *
     * @param lifetime 1 second to 30 days; a fraction of a second is dropped from {@code exp}
     * @return this builder
     * @throws IllegalArgumentException if {@code lifetime} is outside those bounds
     */
    public Builder lifetime(Duration lifetime) {
      Objects.requireNonNull(lifetime, "lifetime must not be null");
      if (lifetime.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException(
            "lifetime must be positive and at least 1 second, got " + lifetime);
      }
      if (lifetime.compareTo(MAX_LIFETIME) > 0) {
        throw new IllegalArgumentException(
            "lifetime must be at most " + MAX_LIFETIME.toDays() + " days, got " + lifetime);
      }
      this.lifetime = lifetime;
      return this;
    }

    /**
     * The time receipts are issued at (default {@link Clock#systemUTC()}).
     *
     * @param clock the clock {@code iat} is read from, once per receipt
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock must not be null");
      return this;
    }

    /**
     * The {@code iss} claim (default: none).
     *
     * @param issuer the issuer, used verbatim; not blank
     * @return this builder
     * @throws IllegalArgumentException if {@code issuer} is blank
     */
    public Builder issuer(String issuer) {
      Objects.requireNonNull(issuer, "issuer must not be null");
      if (issuer.isBlank()) {
        throw new IllegalArgumentException("issuer must not be blank");
      }
      this.issuer = issuer;
      return this;
    }

    /**
     * The configured signer.
     *
     * @return a new, immutable and thread-safe signer
     * @throws IllegalStateException if no signing key was set
     */
    public DecisionReceipts build() {
      ECKey k = key;
      if (k == null) {
        throw new IllegalStateException("a signing key is required: call signingKey(jwk)");
      }
      return new DecisionReceipts(k, lifetime, clock, issuer);
    }
  }
}
