package dev.patguard.receipt;

import static dev.patguard.receipt.Fixtures.DEPLOY;
import static dev.patguard.receipt.Fixtures.KEY_1;
import static dev.patguard.receipt.Fixtures.OWNER_ID;
import static dev.patguard.receipt.Fixtures.SECRET;
import static dev.patguard.receipt.Fixtures.T0;
import static dev.patguard.receipt.Fixtures.TOKEN_ID;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import dev.patguard.decision.Decision;
import dev.patguard.decision.DenyReason;
import dev.patguard.decision.IndeterminateCause;
import dev.patguard.decision.Requirement;
import dev.patguard.decision.TokenSubject;
import dev.patguard.decision.Warning;
import dev.patguard.receipt.VerifiedReceipt.Outcome;
import dev.patguard.token.SecretDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecisionReceiptsTest {
  private final TestClock clock = new TestClock(T0);
  private final DecisionReceipts receipts =
      DecisionReceipts.builder().signingKey(KEY_1).clock(clock).issuer("patguard").build();
  private final ReceiptVerifier verifier =
      DecisionReceipts.verifier(ReceiptKeys.publicJwkSet(KEY_1), clock);

  @Test
  void signWhenPermitThenVerifiesWithSameContent() throws Exception {
    String jws = receipts.sign(Fixtures.permit(), List.of(DEPLOY));
    VerifiedReceipt r = verifier.verify(jws);
    assertAll(
        () -> assertEquals(Outcome.PERMIT, r.outcome()),
        () -> assertTrue(r.isPermit()),
        () -> assertEquals(List.of(), r.reasons()),
        () -> assertNull(r.cause()),
        () -> assertEquals(List.of(Warning.expiresSoon(T0.plusSeconds(86_400))), r.warnings()),
        () -> assertEquals(List.of("releases:deploy@web-shop"), r.requirements()),
        () -> assertEquals(SecretDigest.fingerprintOf(SECRET), r.fingerprint()),
        () -> assertEquals(TOKEN_ID, r.tokenId()),
        () -> assertEquals(OWNER_ID, r.ownerId()),
        () -> assertEquals("patguard", r.issuer()),
        () -> assertEquals(T0, r.issuedAt()),
        () -> assertEquals(T0.plus(Duration.ofMinutes(15)), r.expiresAt()),
        () -> assertEquals("k1", r.keyId()));
  }

  @Test
  void signWhenDenyWithSeveralReasonsThenVerifiesEveryReasonInOrder() throws Exception {
    Decision.Deny deny = (Decision.Deny) Fixtures.deny();
    VerifiedReceipt r =
        verifier.verify(receipts.sign(deny, List.of(DEPLOY, Requirement.parse("owner"))));
    assertEquals(Outcome.DENY, r.outcome());
    assertFalse(r.isPermit());
    assertEquals(deny.reasons(), r.reasons());
    assertEquals(
        DenyReason.lookupForbidden(), r.reasons().get(3), "a reason without detail stays without");
    assertEquals(List.of("releases:deploy@web-shop", "owner"), r.requirements());
  }

  @Test
  void signWhenIndeterminateThenVerifiesCauseAndDetail() throws Exception {
    VerifiedReceipt r = verifier.verify(receipts.sign(Fixtures.indeterminate()));
    assertEquals(Outcome.INDETERMINATE, r.outcome());
    assertEquals(IndeterminateCause.BRMS_UNAVAILABLE, r.cause());
    assertEquals("HTTP 503 after 2 retries", r.detail());
    assertEquals(List.of(), r.reasons());
    assertEquals(List.of(), r.requirements());
  }

  @Test
  void signWhenSubjectUnknownThenReceiptHasNoTokenClaims() throws Exception {
    VerifiedReceipt r =
        verifier.verify(
            receipts.sign(Decision.deny(TokenSubject.unknown(), DenyReason.tokenInvalid())));
    assertNull(r.fingerprint());
    assertNull(r.tokenId());
    assertNull(r.ownerId());
    assertTrue(r.describe().startsWith("DENY unknown token: TOKEN_INVALID"), r.describe());
  }

  @Test
  void signWhenCalledThenHeaderHasEs256KidAndReceiptType() throws Exception {
    JWSHeader header =
        JWSHeader.parse(new Base64URL(receipts.sign(Fixtures.permit()).split("\\.")[0]));
    assertEquals(JWSAlgorithm.ES256, header.getAlgorithm());
    assertEquals("k1", header.getKeyID());
    assertEquals("patguard-receipt+jwt", header.getType().getType());
  }

  @Test
  void signWhenSubjectCameFromSecretThenPayloadHasFingerprintAndNoSecret() {
    String payload = Fixtures.decodedPart(receipts.sign(Fixtures.deny(), List.of(DEPLOY)), 1);
    assertTrue(
        payload.contains("\"fingerprint\":\"" + SecretDigest.fingerprintOf(SECRET) + "\""),
        payload);
    assertFalse(payload.contains(SECRET), payload);
    assertFalse(payload.contains(SecretDigest.of(SECRET).hex()), "not the full digest either");
    assertFalse(payload.contains("dev@example.com"), "no owner email");
    assertFalse(payload.contains("deploy bot"), "no token note");
  }

  @Test
  void signWhenFingerprintIsNotHexThenRefusedBeforeADecisionCanHoldIt() {
    // The subject itself refuses a non-fingerprint, so no decision (and no receipt) can carry a
    // secret.
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Decision.permit(TokenSubject.fingerprintOnly(SECRET), List.of()));
    assertFalse(e.getMessage().contains(SECRET), e.getMessage());
  }

  @Test
  void signWhenCalledTwiceThenIdsDiffer() throws Exception {
    VerifiedReceipt a = verifier.verify(receipts.sign(Fixtures.permit()));
    VerifiedReceipt b = verifier.verify(receipts.sign(Fixtures.permit()));
    assertNotEquals(a.id(), b.id());
  }

  @Test
  void signWhenClockHasNanosThenTimesAreWholeSecondsAndExpIsIatPlusLifetime() throws Exception {
    clock.set(T0.plusMillis(1_750));
    DecisionReceipts hourly =
        DecisionReceipts.builder()
            .signingKey(KEY_1)
            .clock(clock)
            .lifetime(Duration.ofHours(1))
            .build();
    VerifiedReceipt r = verifier.verify(hourly.sign(Fixtures.permit()));
    assertEquals(T0.plusSeconds(1), r.issuedAt());
    assertEquals(T0.plusSeconds(1 + 3600), r.expiresAt());
    assertNull(r.issuer());
  }

  @Test
  void describeWhenDenyThenOneLineWithReasonsAndReceiptId() throws Exception {
    VerifiedReceipt r = verifier.verify(receipts.sign(Fixtures.deny(), List.of(DEPLOY)));
    String line = r.describe();
    assertTrue(
        line.startsWith(
            "DENY token "
                + SecretDigest.fingerprintOf(SECRET)
                + " for releases:deploy@web-shop: PERMISSION_MISSING releases:deploy; PROJECT_OUT_OF_SCOPE"),
        line);
    assertTrue(line.contains("receipt " + r.id() + ", key k1, issuer patguard"), line);
    assertFalse(line.contains("\n"));
  }

  @Test
  void buildWhenNoSigningKeyThenIllegalState() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> DecisionReceipts.builder().build());
    assertTrue(e.getMessage().contains("signing key"), e.getMessage());
  }

  @Test
  void lifetimeWhenZeroNegativeSubSecondOrOverThirtyDaysThenRejected() {
    DecisionReceipts.Builder b = DecisionReceipts.builder();
    assertAll(
        () -> assertThrows(IllegalArgumentException.class, () -> b.lifetime(Duration.ZERO)),
        () ->
            assertThrows(IllegalArgumentException.class, () -> b.lifetime(Duration.ofMinutes(-5))),
        () ->
            assertThrows(IllegalArgumentException.class, () -> b.lifetime(Duration.ofMillis(500))),
        () ->
            assertThrows(
                IllegalArgumentException.class,
                () -> b.lifetime(Duration.ofDays(30).plusSeconds(1))));
  }

  @Test
  void lifetimeWhenThirtyDaysThenAccepted() {
    DecisionReceipts r =
        DecisionReceipts.builder().signingKey(KEY_1).lifetime(Duration.ofDays(30)).build();
    assertEquals(Duration.ofDays(30), r.lifetime());
  }

  @Test
  void signingKeyWhenPublicOnlyThenRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> DecisionReceipts.builder().signingKey(KEY_1.toPublicJWK()));
    assertTrue(e.getMessage().contains("no private part"), e.getMessage());
  }

  @Test
  void signingKeyWhenRsaThenRejected() throws Exception {
    RSAKey rsa = new RSAKeyGenerator(2048).keyID("r1").generate();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> DecisionReceipts.builder().signingKey(rsa));
    assertTrue(e.getMessage().contains("ES256"), e.getMessage());
  }

  @Test
  void signingKeyWhenEd25519ThenExplainsEdDsaIsNotOffered() {
    OctetKeyPair okp =
        new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(new byte[32]))
            .d(Base64URL.encode(new byte[32]))
            .keyID("ed1")
            .build();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> DecisionReceipts.builder().signingKey(okp));
    assertTrue(e.getMessage().contains("EdDSA") && e.getMessage().contains("Tink"), e.getMessage());
  }

  @Test
  void signingKeyWhenP384ThenRejected() throws Exception {
    ECKey p384 = new ECKeyGenerator(Curve.P_384).keyID("p384").generate();
    assertThrows(IllegalArgumentException.class, () -> DecisionReceipts.builder().signingKey(p384));
  }

  @Test
  void signingKeyWhenNoKidThenRejected() throws Exception {
    ECKey noKid = new ECKeyGenerator(Curve.P_256).generate();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> DecisionReceipts.builder().signingKey(noKid));
    assertTrue(e.getMessage().contains("kid"), e.getMessage());
  }

  @Test
  void signingKeyWhenMarkedForAnotherAlgorithmThenRejected() throws Exception {
    ECKey markedEs256k =
        new ECKeyGenerator(Curve.P_256).keyID("x").algorithm(JWSAlgorithm.ES256K).generate();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> DecisionReceipts.builder().signingKey(markedEs256k));
    assertTrue(e.getMessage().contains("not ES256"), e.getMessage());
  }

  @Test
  void issuerWhenBlankThenRejected() {
    assertThrows(IllegalArgumentException.class, () -> DecisionReceipts.builder().issuer(" "));
  }

  @Test
  void publicKeysWhenCalledThenVerifiesOwnReceipts() throws Exception {
    ReceiptVerifier own = DecisionReceipts.verifier(receipts.publicKeys(), clock);
    assertEquals(Outcome.DENY, own.verify(receipts.sign(Fixtures.deny())).outcome());
    assertFalse(receipts.publicKeys().getKeys().get(0).isPrivate());
  }

  @Test
  void signWhenExpWouldPassTheLastDateAJwtHoldsThenExpSaturatesAndTheReceiptVerifies()
      throws Exception {
    Instant lastDate = Instant.ofEpochMilli(Long.MAX_VALUE).truncatedTo(ChronoUnit.SECONDS);
    TestClock late = new TestClock(lastDate.minus(Duration.ofDays(1)));
    DecisionReceipts monthly =
        DecisionReceipts.builder()
            .signingKey(KEY_1)
            .clock(late)
            .lifetime(DecisionReceipts.MAX_LIFETIME)
            .build();

    String jws = monthly.sign(Fixtures.permit(), List.of(DEPLOY));

    VerifiedReceipt r =
        DecisionReceipts.verifier(ReceiptKeys.publicJwkSet(KEY_1), late).verify(jws);
    assertEquals(lastDate, r.expiresAt(), "exp clamped to the last second a JWT date holds");
    assertEquals(late.instant(), r.issuedAt());
  }

  @Test
  void signWhenTheClockIsBeyondWhatAJwtHoldsThenRefusedNamingTheInstant() {
    Instant beyond = Instant.parse("+300000000-01-01T00:00:00Z");
    DecisionReceipts r =
        DecisionReceipts.builder().signingKey(KEY_1).clock(new TestClock(beyond)).build();
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> r.sign(Fixtures.permit(), List.of(DEPLOY)));
    assertTrue(
        e.getMessage()
            .startsWith(
                "the clock reads +300000000-01-01T00:00:00Z, later than a receipt can record"),
        e.getMessage());
  }
}
