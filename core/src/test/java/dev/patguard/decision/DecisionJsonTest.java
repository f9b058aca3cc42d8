package dev.patguard.decision;

import static dev.patguard.testing.TestTokens.NOW;
import static dev.patguard.testing.TestTokens.OWNER_ID;
import static dev.patguard.testing.TestTokens.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.patguard.token.PersonalAccessToken;
import dev.patguard.token.SecretDigest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecisionJsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String SECRET = "pat_0123456789abcdef_secret";
  private static final String FINGERPRINT = SecretDigest.fingerprintOf(SECRET);
  private static final Requirement DEPLOY = Requirement.parse("releases:deploy@web-shop");

  private final PersonalAccessToken token =
      token()
          .note("ci deploy")
          .permissions("releases:deploy")
          .project("web-shop")
          .expiresAt(NOW.plus(Duration.ofDays(2)))
          .build();
  private final Grant grant = Grant.compile(token, PermissionModel.strict(), FINGERPRINT);

  private static JsonNode read(String json) throws Exception {
    return MAPPER.readTree(json);
  }

  private void assertToken(JsonNode t) {
    assertEquals(FINGERPRINT, t.get("fingerprint").asText());
    assertEquals(token.id().toString(), t.get("id").asText());
    assertEquals(OWNER_ID.toString(), t.get("ownerId").asText());
    assertEquals("ci-bot@example.com", t.get("ownerEmail").asText());
    assertEquals("ci deploy", t.get("note").asText());
  }

  @Test
  void toJsonWhenPermitThenDocumentedFieldsWithWarnings() throws Exception {
    Decision d = Authorizer.standard().decide(grant, DEPLOY, NOW);

    String json = DecisionJson.toJson(d, List.of(DEPLOY));
    JsonNode o = read(json);

    assertEquals("PERMIT", o.get("decision").asText());
    assertToken(o.get("token"));
    assertEquals("releases:deploy@web-shop", o.get("requirements").get(0).asText());
    assertFalse(o.has("reasons"));
    assertEquals("EXPIRES_SOON", o.get("warnings").get(0).get("code").asText());
    assertEquals(
        NOW.plus(Duration.ofDays(2)).toString(), o.get("warnings").get(0).get("detail").asText());
    assertEquals(d.explain(), o.get("explanation").asText());
    assertFalse(json.contains(SECRET));
  }

  @Test
  void toJsonWhenDenyThenEveryReasonWithCodeAndDetail() throws Exception {
    Decision d =
        Authorizer.standard().decide(grant, Requirement.parse("owner,documents@billing"), NOW);

    JsonNode o =
        read(DecisionJson.toJson(d, List.of(Requirement.parse("owner,documents@billing"))));

    assertEquals("DENY", o.get("decision").asText());
    assertToken(o.get("token"));
    JsonNode reasons = o.get("reasons");
    assertEquals(3, reasons.size());
    assertEquals("PERMISSION_MISSING", reasons.get(0).get("code").asText());
    assertEquals("owner", reasons.get(0).get("detail").asText());
    assertEquals("documents", reasons.get(1).get("detail").asText());
    assertEquals("PROJECT_OUT_OF_SCOPE", reasons.get(2).get("code").asText());
    assertEquals("billing", reasons.get(2).get("detail").asText());
    assertTrue(o.get("explanation").asText().startsWith("DENY token " + FINGERPRINT));
  }

  @Test
  void toJsonWhenIndeterminateThenCauseAndDetailInsteadOfReasons() throws Exception {
    Decision d =
        Decision.indeterminate(
            TokenSubject.fingerprintOnly(FINGERPRINT),
            IndeterminateCause.BRMS_UNAVAILABLE,
            "BRMS answered 503 after 2 retries");

    JsonNode o = read(DecisionJson.toJson(d));

    assertEquals("INDETERMINATE", o.get("decision").asText());
    assertEquals("BRMS_UNAVAILABLE", o.get("cause").asText());
    assertEquals("BRMS answered 503 after 2 retries", o.get("detail").asText());
    assertFalse(o.has("reasons"));
    assertEquals(FINGERPRINT, o.get("token").get("fingerprint").asText());
    assertTrue(o.get("token").get("id").isNull());
    assertEquals(0, o.get("requirements").size());
    assertEquals(0, o.get("warnings").size());
  }

  @Test
  void toAuthZenJsonWhenPermitThenDecisionTrueAndContext() throws Exception {
    Decision d = Authorizer.standard().decide(grant, DEPLOY, NOW);

    JsonNode o = read(DecisionJson.toAuthZenJson(d, List.of(DEPLOY)));

    assertTrue(o.get("decision").isBoolean());
    assertTrue(o.get("decision").booleanValue());
    JsonNode context = o.get("context");
    assertTrue(context.isObject());
    assertEquals("PERMIT", context.get("decision").asText());
    assertToken(context.get("token"));
    assertEquals(d.explain(), context.get("reason_admin").get("en").asText());
  }

  @Test
  void toAuthZenJsonWhenDenyOrIndeterminateThenDecisionFalse() throws Exception {
    Decision deny = Authorizer.standard().decide(grant, Requirement.parse("owner"), NOW);
    Decision indeterminate =
        Decision.indeterminate(TokenSubject.unknown(), IndeterminateCause.TIMEOUT, "5 s");

    JsonNode denied = read(DecisionJson.toAuthZenJson(deny, List.of()));
    JsonNode unknown = read(DecisionJson.toAuthZenJson(indeterminate, List.of()));

    assertTrue(denied.get("decision").isBoolean());
    assertFalse(denied.get("decision").booleanValue());
    assertEquals(
        "PERMISSION_MISSING", denied.get("context").get("reasons").get(0).get("code").asText());
    assertTrue(unknown.get("decision").isBoolean());
    assertFalse(unknown.get("decision").booleanValue());
    assertEquals("TIMEOUT", unknown.get("context").get("cause").asText());
  }

  @Test
  void outcomeWhenEachKindThenItsName() {
    assertEquals("PERMIT", DecisionJson.outcome(Authorizer.standard().decide(grant, DEPLOY, NOW)));
    assertEquals(
        "DENY",
        DecisionJson.outcome(Decision.deny(TokenSubject.unknown(), DenyReason.tokenInvalid())));
    assertEquals(
        "INDETERMINATE",
        DecisionJson.outcome(
            Decision.indeterminate(
                TokenSubject.unknown(), IndeterminateCause.INTERNAL_ERROR, "bug")));
    assertFalse(
        Decision.indeterminate(TokenSubject.unknown(), IndeterminateCause.INTERNAL_ERROR, "bug")
            .isPermit());
  }
}
