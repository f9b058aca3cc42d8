package dev.patguard.receipt;

import static dev.patguard.receipt.Fixtures.KEY_1;
import static dev.patguard.receipt.Fixtures.KEY_2;
import static dev.patguard.receipt.Fixtures.T0;
import static dev.patguard.receipt.ReceiptVerificationException.Reason.ALGORITHM_NOT_ALLOWED;
import static dev.patguard.receipt.ReceiptVerificationException.Reason.BAD_SIGNATURE;
import static dev.patguard.receipt.ReceiptVerificationException.Reason.EXPIRED;
import static dev.patguard.receipt.ReceiptVerificationException.Reason.MALFORMED;
import static dev.patguard.receipt.ReceiptVerificationException.Reason.MISSING_CLAIM;
import static dev.patguard.receipt.ReceiptVerificationException.Reason.NOT_YET_VALID;
import static dev.patguard.receipt.ReceiptVerificationException.Reason.UNKNOWN_KEY;
import static dev.patguard.receipt.ReceiptVerificationException.Reason.WRONG_TYPE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.patguard.receipt.ReceiptVerificationException.Reason;
import dev.patguard.receipt.VerifiedReceipt.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ReceiptVerifierTest {
  private final TestClock clock = new TestClock(T0);
  private final DecisionReceipts receipts =
      DecisionReceipts.builder().signingKey(KEY_1).clock(clock).build();
  private final ReceiptVerifier verifier =
      DecisionReceipts.verifier(ReceiptKeys.publicJwkSet(KEY_1), clock);

  private ReceiptVerificationException rejected(String jws, Reason expected) {
    ReceiptVerificationException e =
        assertThrows(ReceiptVerificationException.class, () -> verifier.verify(jws));
    assertEquals(expected, e.reason(), e.getMessage());
    assertTrue(e.getMessage().startsWith("receipt rejected (" + expected + "): "), e.getMessage());
    return e;
  }

  @Test
  void verifyWhenPayloadTamperedThenBadSignature() {
    String jws = receipts.sign(Fixtures.deny());
    String payload = Fixtures.decodedPart(jws, 1);
    String forged =
        payload
            .replace("\"decision\":\"DENY\"", "\"decision\":\"PERMIT\"")
            .replaceAll("\"reasons\":\\[[^]]*]", "\"reasons\":[]");
    assertTrue(!forged.equals(payload) && forged.contains("\"reasons\":[]"), forged);
    ReceiptVerificationException e = rejected(Fixtures.withPart(jws, 1, forged), BAD_SIGNATURE);
    assertFalse(e.getMessage().contains("PERMIT"), "the message does not quote the payload");
  }

  @Test
  void verifyWhenHeaderTamperedThenBadSignature() {
    String jws = receipts.sign(Fixtures.permit());
    String header = Fixtures.decodedPart(jws, 0);
    String forged = header.replace("}", ",\"x-note\":\"added\"}");
    rejected(Fixtures.withPart(jws, 0, forged), BAD_SIGNATURE);
  }

  @Test
  void verifyWhenSignatureAlteredThenBadSignature() {
    String jws = receipts.sign(Fixtures.permit());
    String sig = jws.substring(jws.lastIndexOf('.') + 1);
    char flipped = sig.charAt(5) == 'A' ? 'B' : 'A';
    rejected(
        jws.substring(0, jws.lastIndexOf('.') + 1)
            + sig.substring(0, 5)
            + flipped
            + sig.substring(6),
        BAD_SIGNATURE);
  }

  @Test
  void verifyWhenSignatureTruncatedThenBadSignature() {
    String jws = receipts.sign(Fixtures.permit());
    rejected(
        jws.substring(0, jws.length() - 4),
        BAD_SIGNATURE); // not even 64 bytes: ES256 cannot check it
  }

  @Test
  void verifyWhenHeaderHasAnUnknownCriticalParameterThenBadSignature() throws Exception {
    JWSHeader crit =
        JWSHeader.parse(
            "{\"alg\":\"ES256\",\"kid\":\"k1\",\"typ\":\""
                + DecisionReceipts.TYPE
                + "\",\"crit\":[\"x-policy\"],\"x-policy\":1}");
    rejected(Fixtures.sign(KEY_1, crit, Fixtures.validClaims(T0).build()), BAD_SIGNATURE);
  }

  @Test
  void verifyWhenClockPastExpiryPlusSkewThenExpired() throws Exception {
    String jws = receipts.sign(Fixtures.permit());
    clock.advance(Duration.ofMinutes(15).plusSeconds(59));
    assertEquals(Outcome.PERMIT, verifier.verify(jws).outcome(), "within the 60 s skew");
    clock.advance(Duration.ofSeconds(1));
    ReceiptVerificationException e = rejected(jws, EXPIRED);
    assertTrue(
        e.getMessage().contains("expired at " + T0.plus(Duration.ofMinutes(15))), e.getMessage());
  }

  @Test
  void verifyWhenSkewIsZeroThenExpiredExactlyAtExp() throws Exception {
    String jws = receipts.sign(Fixtures.permit());
    ReceiptVerifier strict = verifier.maxClockSkew(Duration.ZERO);
    clock.advance(Duration.ofMinutes(15).minusSeconds(1));
    assertEquals(Outcome.PERMIT, strict.verify(jws).outcome());
    clock.advance(Duration.ofSeconds(1));
    ReceiptVerificationException e =
        assertThrows(ReceiptVerificationException.class, () -> strict.verify(jws));
    assertEquals(EXPIRED, e.reason());
  }

  @Test
  void verifyWhenIssuedInTheFutureBeyondSkewThenNotYetValid() {
    String jws = receipts.sign(Fixtures.permit());
    clock.set(T0.minus(Duration.ofMinutes(5)));
    rejected(jws, NOT_YET_VALID);
  }

  @Test
  void verifyWhenNotBeforeInTheFutureThenNotYetValid() throws Exception {
    JWTClaimsSet claims =
        Fixtures.validClaims(T0).notBeforeTime(Date.from(T0.plusSeconds(600))).build();
    String jws = Fixtures.sign(KEY_1, Fixtures.receiptHeader("k1"), claims);
    ReceiptVerificationException e = rejected(jws, NOT_YET_VALID);
    assertTrue(e.getMessage().contains("not valid before"), e.getMessage());
    clock.advance(Duration.ofSeconds(600));
    assertEquals(Outcome.PERMIT, verifier.verify(jws).outcome());
  }

  @Test
  void verifyWhenSignedByAnotherKeyWithSameKidThenBadSignature() {
    ECKey impostor = ReceiptKeys.generateEs256("k1");
    DecisionReceipts forger = DecisionReceipts.builder().signingKey(impostor).clock(clock).build();
    rejected(forger.sign(Fixtures.permit()), BAD_SIGNATURE);
  }

  @Test
  void verifyWhenKidUnknownThenUnknownKey() {
    DecisionReceipts other = DecisionReceipts.builder().signingKey(KEY_2).clock(clock).build();
    ReceiptVerificationException e = rejected(other.sign(Fixtures.permit()), UNKNOWN_KEY);
    assertTrue(
        e.getMessage().contains("\"k2\"") && e.getMessage().contains("known: k1"), e.getMessage());
  }

  @Test
  void verifyWhenHeaderHasNoKidThenUnknownKey() {
    JWSHeader noKid =
        new JWSHeader.Builder(JWSAlgorithm.ES256)
            .type(new JOSEObjectType(DecisionReceipts.TYPE))
            .build();
    rejected(Fixtures.sign(KEY_1, noKid, Fixtures.validClaims(T0).build()), UNKNOWN_KEY);
  }

  @Test
  void verifyWhenUnsecuredAlgNoneThenAlgorithmNotAllowed() {
    PlainHeader header =
        new PlainHeader.Builder().type(new JOSEObjectType(DecisionReceipts.TYPE)).build();
    String unsecured = new PlainJWT(header, Fixtures.validClaims(T0).build()).serialize();
    assertTrue(unsecured.endsWith("."), "an unsecured JWS has an empty signature");
    ReceiptVerificationException e = rejected(unsecured, ALGORITHM_NOT_ALLOWED);
    assertTrue(e.getMessage().contains("alg none"), e.getMessage());
  }

  @Test
  void verifyWhenAlgNoneWithTheOriginalSignatureKeptThenAlgorithmNotAllowed() {
    String jws = receipts.sign(Fixtures.permit());
    String header = Fixtures.decodedPart(jws, 0).replace("\"ES256\"", "\"none\"");
    rejected(Fixtures.withPart(jws, 0, header), ALGORITHM_NOT_ALLOWED);
  }

  @Test
  void verifyWhenHs256SignedWithThePublicKeyBytesThenAlgorithmNotAllowed() throws Exception {
    JWSHeader header =
        new JWSHeader.Builder(JWSAlgorithm.HS256)
            .keyID("k1")
            .type(new JOSEObjectType(DecisionReceipts.TYPE))
            .build();
    for (byte[] secret :
        List.of(
            KEY_1.toECPublicKey().getEncoded(),
            KEY_1.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8))) {
      SignedJWT confused = new SignedJWT(header, Fixtures.validClaims(T0).build());
      confused.sign(new MACSigner(secret));
      ReceiptVerificationException e = rejected(confused.serialize(), ALGORITHM_NOT_ALLOWED);
      assertTrue(e.getMessage().contains("\"HS256\""), e.getMessage());
    }
  }

  @Test
  void verifyWhenHeaderNamesEs384ThenAlgorithmNotAllowed() {
    String jws = receipts.sign(Fixtures.permit());
    String header = Fixtures.decodedPart(jws, 0).replace("\"ES256\"", "\"ES384\"");
    rejected(Fixtures.withPart(jws, 0, header), ALGORITHM_NOT_ALLOWED);
  }

  @Test
  void verifyWhenEncryptedJweThenAlgorithmNotAllowed() {
    rejected("eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d", ALGORITHM_NOT_ALLOWED);
  }

  @Test
  void verifyWhenTypIsPlainJwtThenWrongType() {
    JWSHeader jwtTyped =
        new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k1").type(JOSEObjectType.JWT).build();
    ReceiptVerificationException e =
        rejected(Fixtures.sign(KEY_1, jwtTyped, Fixtures.validClaims(T0).build()), WRONG_TYPE);
    assertTrue(e.getMessage().contains("\"JWT\""), e.getMessage());
  }

  @Test
  void verifyWhenTypIsMissingThenWrongType() {
    JWSHeader untyped = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k1").build();
    rejected(Fixtures.sign(KEY_1, untyped, Fixtures.validClaims(T0).build()), WRONG_TYPE);
  }

  @Test
  void verifyWhenTypHasApplicationPrefixAndOtherCaseThenAccepted() throws Exception {
    JWSHeader prefixed =
        new JWSHeader.Builder(JWSAlgorithm.ES256)
            .keyID("k1")
            .type(new JOSEObjectType("application/Patguard-Receipt+JWT"))
            .build();
    assertEquals(
        Outcome.PERMIT,
        verifier
            .verify(Fixtures.sign(KEY_1, prefixed, Fixtures.validClaims(T0).build()))
            .outcome());
  }

  @ParameterizedTest
  @ValueSource(strings = {"decision", "reasons", "warnings", "requirements", "iat", "exp", "jti"})
  void verifyWhenRequiredClaimMissingThenMissingClaim(String claim) {
    JWTClaimsSet full = Fixtures.validClaims(T0).build();
    JWTClaimsSet.Builder without = new JWTClaimsSet.Builder();
    full.getClaims()
        .forEach(
            (name, value) -> {
              if (!name.equals(claim)) {
                without.claim(name, value);
              }
            });
    ReceiptVerificationException e =
        rejected(
            Fixtures.sign(KEY_1, Fixtures.receiptHeader("k1"), without.build()), MISSING_CLAIM);
    assertTrue(e.getMessage().contains("claim \"" + claim + "\" is missing"), e.getMessage());
  }

  @Test
  void verifyWhenIndeterminateWithoutCauseThenMissingClaim() {
    JWTClaimsSet claims = Fixtures.validClaims(T0).claim("decision", "INDETERMINATE").build();
    rejected(Fixtures.sign(KEY_1, Fixtures.receiptHeader("k1"), claims), MISSING_CLAIM);
  }

  @Test
  void verifyWhenDecisionValueUnknownThenMalformedWithoutQuotingIt() {
    JWTClaimsSet claims = Fixtures.validClaims(T0).claim("decision", "ALLOW-EVERYTHING").build();
    ReceiptVerificationException e =
        rejected(Fixtures.sign(KEY_1, Fixtures.receiptHeader("k1"), claims), MALFORMED);
    assertTrue(e.getMessage().contains("\"decision\""), e.getMessage());
    assertFalse(e.getMessage().contains("ALLOW-EVERYTHING"), e.getMessage());
  }

  @Test
  void verifyWhenDenyHasNoReasonsThenMalformed() {
    JWTClaimsSet claims = Fixtures.validClaims(T0).claim("decision", "DENY").build();
    rejected(Fixtures.sign(KEY_1, Fixtures.receiptHeader("k1"), claims), MALFORMED);
  }

  @Test
  void verifyWhenPermitListsReasonsThenMalformed() {
    JWTClaimsSet claims =
        Fixtures.validClaims(T0).claim("reasons", List.of(Map.of("code", "TOKEN_INVALID"))).build();
    rejected(Fixtures.sign(KEY_1, Fixtures.receiptHeader("k1"), claims), MALFORMED);
  }

  @Test
  void verifyWhenReasonCodeUnknownThenMalformed() {
    JWTClaimsSet claims =
        Fixtures.validClaims(T0)
            .claim("decision", "DENY")
            .claim("reasons", List.of(Map.of("code", "SOMETHING_ELSE")))
            .build();
    rejected(Fixtures.sign(KEY_1, Fixtures.receiptHeader("k1"), claims), MALFORMED);
  }

  @Test
  void verifyWhenFingerprintIsNotHexThenMalformedWithoutQuotingIt() {
    JWTClaimsSet claims = Fixtures.validClaims(T0).claim("fingerprint", Fixtures.SECRET).build();
    ReceiptVerificationException e =
        rejected(Fixtures.sign(KEY_1, Fixtures.receiptHeader("k1"), claims), MALFORMED);
    assertFalse(e.getMessage().contains(Fixtures.SECRET), e.getMessage());
  }

  @Test
  void verifyWhenTokenIdIsNotUuidThenMalformed() {
    JWTClaimsSet claims = Fixtures.validClaims(T0).claim("tokenId", "42").build();
    rejected(Fixtures.sign(KEY_1, Fixtures.receiptHeader("k1"), claims), MALFORMED);
  }

  @ParameterizedTest
  @CsvSource({
    "tokenId, 1-1-1-1-1",
    "ownerId, 1-1-1-1-1",
    "tokenId, 0000000000000001-1-1-1-0000000000001",
    "ownerId, +3c90c3c-0d44-4b50-8888-8dd25736052a",
    "tokenId, 3c90c3cc0d444b5088888dd25736052a",
    "ownerId, {3c90c3cc-0d44-4b50-8888-8dd25736052a}"
  })
  void verifyWhenTokenOrOwnerIdIsNotACanonicalUuidThenMalformed(String claim, String value) {
    JWTClaimsSet claims = Fixtures.validClaims(T0).claim(claim, value).build();
    ReceiptVerificationException e =
        rejected(Fixtures.sign(KEY_1, Fixtures.receiptHeader("k1"), claims), MALFORMED);
    assertTrue(e.getMessage().contains("claim \"" + claim + "\" is not a UUID"), e.getMessage());
  }

  @Test
  void verifyWhenIdsAreCanonicalUuidsInUpperCaseThenAccepted() throws Exception {
    JWTClaimsSet claims =
        Fixtures.validClaims(T0)
            .claim("tokenId", Fixtures.TOKEN_ID.toString().toUpperCase(Locale.ROOT))
            .claim("ownerId", Fixtures.OWNER_ID.toString())
            .build();
    VerifiedReceipt r = verifier.verify(Fixtures.sign(KEY_1, Fixtures.receiptHeader("k1"), claims));
    assertEquals(Fixtures.TOKEN_ID, r.tokenId());
    assertEquals(Fixtures.OWNER_ID, r.ownerId());
  }

  @Test
  void verifyWhenExpIsNotANumberThenMalformedWithoutQuotingIt() throws Exception {
    String jws =
        Fixtures.sign(KEY_1, Fixtures.receiptHeader("k1"), Fixtures.validClaims(T0).build());
    // The claims builder types exp, so sign a hand-edited payload as a plain JWS.
    String payload = Fixtures.decodedPart(jws, 1).replaceAll("\"exp\":\\d+", "\"exp\":\"soon\"");
    assertTrue(payload.contains("\"exp\":\"soon\""), payload);
    JWSObject edited = new JWSObject(Fixtures.receiptHeader("k1"), new Payload(payload));
    edited.sign(new ECDSASigner(KEY_1));
    ReceiptVerificationException e = rejected(edited.serialize(), MALFORMED);
    assertFalse(e.getMessage().contains("soon"), e.getMessage());
  }

  @Test
  void verifyWhenAlteredPayloadIsNoLongerAClaimsSetThenBadSignature() {
    String jws = receipts.sign(Fixtures.permit());
    // Nimbus parses the claims before it checks the signature; the signature is still judged first.
    rejected(Fixtures.withPart(jws, 1, "{\"exp\":\"soon\"}"), BAD_SIGNATURE);
  }

  @Test
  void verifyWhenRequiredClaimIsJsonNullThenMissingClaim() throws Exception {
    String jws =
        Fixtures.sign(KEY_1, Fixtures.receiptHeader("k1"), Fixtures.validClaims(T0).build());
    String payload = Fixtures.decodedPart(jws, 1).replaceAll("\"exp\":\\d+", "\"exp\":null");
    assertTrue(payload.contains("\"exp\":null"), payload);
    JWSObject edited = new JWSObject(Fixtures.receiptHeader("k1"), new Payload(payload));
    edited.sign(new ECDSASigner(KEY_1));
    ReceiptVerificationException e = rejected(edited.serialize(), MISSING_CLAIM);
    assertTrue(e.getMessage().contains("claim \"exp\" is missing"), e.getMessage());
  }

  @Test
  void verifyWhenHeaderCarriesAnX5tThumbprintThenTheKeyIsStillFoundByKid() throws Exception {
    JWSHeader withThumbprint =
        new JWSHeader.Builder(Fixtures.receiptHeader("k1"))
            .x509CertSHA256Thumbprint(Base64URL.encode("not one of the verifier's keys"))
            .build();
    assertEquals(
        Outcome.PERMIT,
        verifier
            .verify(Fixtures.sign(KEY_1, withThumbprint, Fixtures.validClaims(T0).build()))
            .outcome());
  }

  @Test
  void verifyWhenTypIsUpperCaseUnderATurkishDefaultLocaleThenAccepted() throws Exception {
    JWSHeader upper =
        new JWSHeader.Builder(JWSAlgorithm.ES256)
            .keyID("k1")
            .type(new JOSEObjectType("PATGUARD-RECEIPT+JWT"))
            .build();
    String jws = Fixtures.sign(KEY_1, upper, Fixtures.validClaims(T0).build());
    Locale before = Locale.getDefault();
    Locale.setDefault(Locale.forLanguageTag("tr-TR")); // where "I".toLowerCase() is a dotless i
    try {
      assertEquals(Outcome.PERMIT, verifier.verify(jws).outcome());
    } finally {
      Locale.setDefault(before);
    }
  }

  @Test
  void verifyWhenNotBeforeIsExactlyTheSkewAheadThenNotYetValidAndAMomentLaterAccepted()
      throws Exception {
    JWTClaimsSet claims =
        Fixtures.validClaims(T0).notBeforeTime(Date.from(T0.plusSeconds(60))).build();
    String jws = Fixtures.sign(KEY_1, Fixtures.receiptHeader("k1"), claims);
    rejected(jws, NOT_YET_VALID); // Nimbus: valid once nbf - skew is before now
    clock.advance(Duration.ofMillis(1));
    assertEquals(Outcome.PERMIT, verifier.verify(jws).outcome());
  }

  @Test
  void verifyWhenClockIsBeyondTheLastDateAJwtHoldsThenExpired() {
    String jws = receipts.sign(Fixtures.permit());
    clock.set(Instant.MAX);
    rejected(jws, EXPIRED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "garbage", "a.b", "a.b.c", "e30.e30.", "!!.??.**"})
  void verifyWhenNotAJwsThenMalformed(String text) {
    rejected(text, MALFORMED);
  }

  @Test
  void verifyWhenLongerThanTheLimitThenMalformed() {
    rejected("a".repeat(ReceiptVerifier.MAX_RECEIPT_LENGTH + 1), MALFORMED);
  }

  @Test
  void verifyWhenSurroundedByWhiteSpaceThenAccepted() throws Exception {
    assertEquals(
        Outcome.PERMIT, verifier.verify("  " + receipts.sign(Fixtures.permit()) + "\n").outcome());
  }

  @Test
  void verifyWhenKeySetHoldsTwoKeysThenReceiptsOfBothVerify() throws Exception {
    ReceiptVerifier rotating =
        DecisionReceipts.verifier(
            new JWKSet(List.of(KEY_1.toPublicJWK(), KEY_2.toPublicJWK())), clock);
    DecisionReceipts old = receipts;
    DecisionReceipts current = DecisionReceipts.builder().signingKey(KEY_2).clock(clock).build();
    assertEquals("k1", rotating.verify(old.sign(Fixtures.permit())).keyId());
    assertEquals("k2", rotating.verify(current.sign(Fixtures.deny())).keyId());
    assertEquals(Set.of("k1", "k2"), rotating.keyIds());
  }

  @Test
  void verifyWhenKeySetHoldsTheSameKidTwiceThenTriesEach() throws Exception {
    ECKey next = ReceiptKeys.generateEs256("k1");
    ReceiptVerifier both =
        DecisionReceipts.verifier(
            new JWKSet(List.of(next.toPublicJWK(), KEY_1.toPublicJWK())), clock);
    assertEquals(Outcome.PERMIT, both.verify(receipts.sign(Fixtures.permit())).outcome());
  }

  @Test
  void verifierWhenGivenPrivateKeysThenUsesOnlyTheirPublicParts() throws Exception {
    ReceiptVerifier fromPrivate = DecisionReceipts.verifier(new JWKSet(KEY_1), clock);
    assertEquals(Outcome.PERMIT, fromPrivate.verify(receipts.sign(Fixtures.permit())).outcome());
  }

  @Test
  void verifierWhenKeySetEmptyThenRejected() {
    assertThrows(
        IllegalArgumentException.class, () -> DecisionReceipts.verifier(new JWKSet(), clock));
  }

  @Test
  void verifierWhenKeySetHoldsAnRsaKeyThenRejected() throws Exception {
    JWKSet set =
        new JWKSet(List.of(KEY_1.toPublicJWK(), new RSAKeyGenerator(2048).keyID("r1").generate()));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DecisionReceipts.verifier(set, clock));
    assertTrue(e.getMessage().contains("verification key is a RSA key"), e.getMessage());
  }

  @Test
  void maxClockSkewWhenNotWholeSecondsThenRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> verifier.maxClockSkew(Duration.ofMillis(1500)));
    assertTrue(e.getMessage().contains("whole seconds"), e.getMessage());
  }

  @Test
  void maxClockSkewWhenNegativeOrOverTenMinutesThenRejected() {
    assertThrows(
        IllegalArgumentException.class, () -> verifier.maxClockSkew(Duration.ofSeconds(-1)));
    assertThrows(
        IllegalArgumentException.class, () -> verifier.maxClockSkew(Duration.ofMinutes(11)));
    assertEquals(
        Duration.ofMinutes(2), verifier.maxClockSkew(Duration.ofMinutes(2)).maxClockSkew());
    assertEquals(
        ReceiptVerifier.DEFAULT_MAX_CLOCK_SKEW,
        verifier.maxClockSkew(),
        "the original is unchanged");
  }
}
