package dev.patguard.receipt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.patguard.decision.Decision;
import dev.patguard.decision.DenyReason;
import dev.patguard.decision.IndeterminateCause;
import dev.patguard.decision.ProjectRef;
import dev.patguard.decision.Requirement;
import dev.patguard.decision.TokenSubject;
import dev.patguard.decision.Warning;
import dev.patguard.token.SecretDigest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/** Keys, decisions and hand-made JWS for the receipt tests. */
final class Fixtures {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  static final String SECRET = "s3cret-value";
  static final UUID TOKEN_ID = UUID.fromString("3c90c3cc-0d44-4b50-8888-8dd25736052a");
  static final UUID OWNER_ID = UUID.fromString("0b1c2d3e-4f50-4a6b-8c7d-8e9fa0b1c2d3");
  static final TokenSubject SUBJECT =
      new TokenSubject(
          SecretDigest.fingerprintOf(SECRET), TOKEN_ID, OWNER_ID, "dev@example.com", "deploy bot");
  static final Requirement DEPLOY = Requirement.parse("releases:deploy@web-shop");

  /** One key per test class run is enough; generating is cheap but not free. */
  static final ECKey KEY_1 = ReceiptKeys.generateEs256("k1");

  static final ECKey KEY_2 = ReceiptKeys.generateEs256("k2");

  private Fixtures() {}

  static Decision permit() {
    return Decision.permit(SUBJECT, List.of(Warning.expiresSoon(T0.plusSeconds(86_400))));
  }

  static Decision deny() {
    return Decision.deny(
        SUBJECT,
        List.of(
            DenyReason.permissionMissing("releases:deploy"),
            DenyReason.projectOutOfScope(ProjectRef.parse("web-shop")),
            DenyReason.ownerInactive("suspended"),
            DenyReason.lookupForbidden()),
        List.of());
  }

  static Decision indeterminate() {
    return Decision.indeterminate(
        SUBJECT, IndeterminateCause.BRMS_UNAVAILABLE, "HTTP 503 after 2 retries");
  }

  static JWSHeader receiptHeader(String kid) {
    return new JWSHeader.Builder(JWSAlgorithm.ES256)
        .keyID(kid)
        .type(new JOSEObjectType(DecisionReceipts.TYPE))
        .build();
  }

  /** The claims of a valid permit receipt issued at {@code iat}, valid 15 minutes. */
  static JWTClaimsSet.Builder validClaims(Instant iat) {
    return new JWTClaimsSet.Builder()
        .jwtID(UUID.randomUUID().toString())
        .issueTime(Date.from(iat))
        .expirationTime(Date.from(iat.plusSeconds(900)))
        .claim("decision", "PERMIT")
        .claim("reasons", List.of())
        .claim("warnings", List.of())
        .claim("requirements", List.of("releases:deploy@web-shop"))
        .claim("fingerprint", SecretDigest.fingerprintOf(SECRET));
  }

  /** Signs arbitrary header and claims with {@code key}. */
  static String sign(ECKey key, JWSHeader header, JWTClaimsSet claims) {
    SignedJWT jwt = new SignedJWT(header, claims);
    try {
      jwt.sign(new ECDSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }

  /** Part {@code index} of a compact JWS, base64url-decoded. */
  static String decodedPart(String jws, int index) {
    return new Base64URL(jws.split("\\.")[index]).decodeToString();
  }

  /** {@code jws} with part {@code index} replaced by the base64url encoding of {@code json}. */
  static String withPart(String jws, int index, String json) {
    String[] parts = jws.split("\\.", -1);
    parts[index] = Base64URL.encode(json.getBytes(StandardCharsets.UTF_8)).toString();
    return String.join(".", parts);
  }
}
