package dev.patguard.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.patguard.decision.Decision;
import dev.patguard.decision.DenyReason;
import dev.patguard.decision.IndeterminateCause;
import dev.patguard.decision.ProjectRef;
import dev.patguard.decision.Requirement;
import dev.patguard.decision.TokenSubject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every factory's status, headers (in order) and body, to the character. */
class RefusalsTest {
  private static final Refusals ACME = new Refusals("acme", 7);
  private static final String FP = "0123abcd";
  private static final TokenSubject SUBJECT = TokenSubject.fingerprintOnly(FP);
  private static final Requirement DEPLOY = Requirement.allOf("releases:deploy");

  private static Map<String, String> headers(String... nameValue) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < nameValue.length; i += 2) {
      m.put(nameValue[i], nameValue[i + 1]);
    }
    return m;
  }

  private static void assertRefusal(
      Refusal r, int status, String slug, Map<String, String> headers, String body) {
    assertEquals(status, r.status(), "status");
    assertEquals(slug, r.slug(), "slug");
    assertEquals(List.copyOf(headers.entrySet()), List.copyOf(r.headers().entrySet()), "headers");
    assertEquals(body, r.body(), "body");
    assertArrayEquals(body.getBytes(StandardCharsets.UTF_8), r.bodyBytes());
  }

  @Test
  void forDecisionWhenTokenUnusableThenOneIdenticalInvalidToken() {
    Refusal expected = ACME.invalidToken(FP);
    for (DenyReason reason :
        List.of(
            DenyReason.tokenInvalid(),
            DenyReason.tokenExpired(Instant.parse("2026-11-29T12:00:00Z")),
            DenyReason.ownerInactive("suspended"))) {
      assertEquals(expected, ACME.forDecision(Decision.deny(SUBJECT, reason), DEPLOY, FP));
    }
    assertRefusal(
        expected,
        401,
        "invalid-token",
        headers(
            "WWW-Authenticate",
            "Bearer realm=\"acme\", error=\"invalid_token\", error_description=\"the token is"
                + " invalid, expired, revoked or unknown, or its owner is inactive\"",
            "Cache-Control",
            "no-store"),
        "{\"type\":\"https://patguard.dev/problems/invalid-token\",\"title\":\"Invalid token\","
            + "\"status\":401,\"detail\":\"the token is invalid, expired, revoked or unknown, or"
            + " its owner is inactive\",\"error\":\"invalid_token\","
            + "\"reasons\":[{\"code\":\"TOKEN_INVALID\"}],\"token\":\"0123abcd\"}");
  }

  @Test
  void invalidTokenWhenNoFingerprintThenNoTokenMember() {
    assertFalse(ACME.invalidToken(null).body().contains("\"token\""));
  }

  @Test
  void forDecisionWhenPermissionMissingThenInsufficientScopeWithScopeAndAccepted() {
    Refusal r =
        ACME.forDecision(
            Decision.deny(
                SUBJECT,
                List.of(
                    DenyReason.permissionMissing("releases:deploy"),
                    DenyReason.projectOutOfScope(ProjectRef.byKey("proj-1"))),
                List.of()),
            Requirement.allOf("releases:deploy", "documents:view-content"),
            FP);
    assertRefusal(
        r,
        403,
        "insufficient-scope",
        headers(
            "WWW-Authenticate",
            "Bearer realm=\"acme\", error=\"insufficient_scope\", error_description=\"the token"
                + " lacks a permission or project this route needs\","
                + " scope=\"releases:deploy documents:view-content\"",
            "X-Accepted-Permissions",
            "releases:deploy, documents:view-content",
            "Cache-Control",
            "no-store"),
        "{\"type\":\"https://patguard.dev/problems/insufficient-scope\","
            + "\"title\":\"Insufficient scope\",\"status\":403,"
            + "\"detail\":\"the token lacks a permission or project this route needs\","
            + "\"error\":\"insufficient_scope\",\"reasons\":["
            + "{\"code\":\"PERMISSION_MISSING\",\"detail\":\"releases:deploy\"},"
            + "{\"code\":\"PROJECT_OUT_OF_SCOPE\",\"detail\":\"proj-1\"}],"
            + "\"acceptedPermissions\":[\"releases:deploy\",\"documents:view-content\"],"
            + "\"token\":\"0123abcd\"}");
  }

  @Test
  void forDecisionWhenAuthenticatedOnlyThenNoScopeAndNoAcceptedPermissions() {
    Refusal r =
        ACME.forDecision(
            Decision.deny(SUBJECT, DenyReason.ambiguousToken(2)),
            Requirement.authenticated(),
            null);
    assertEquals(
        "Bearer realm=\"acme\", error=\"insufficient_scope\", error_description=\"the token lacks"
            + " a permission or project this route needs\"",
        r.headers().get("WWW-Authenticate"));
    assertEquals(List.of("WWW-Authenticate", "Cache-Control"), List.copyOf(r.headers().keySet()));
    assertEquals(
        "{\"type\":\"https://patguard.dev/problems/insufficient-scope\","
            + "\"title\":\"Insufficient scope\",\"status\":403,"
            + "\"detail\":\"the token lacks a permission or project this route needs\","
            + "\"error\":\"insufficient_scope\",\"reasons\":[{\"code\":\"AMBIGUOUS_TOKEN\"}]}",
        r.body());
  }

  @Test
  void forDecisionWhenLookupForbiddenThenSaysTheServerCannotDecide() {
    Refusal r = ACME.forDecision(Decision.deny(SUBJECT, DenyReason.lookupForbidden()), DEPLOY, FP);
    assertEquals(403, r.status());
    assertEquals(
        "Bearer realm=\"acme\", error=\"insufficient_scope\", error_description=\"the token may"
            + " not read its own facts, so this server cannot decide what it may do\","
            + " scope=\"releases:deploy\"",
        r.headers().get("WWW-Authenticate"));
  }

  @Test
  void forDecisionWhenIndeterminateThen503WithRetryAfterAndNoChallenge() {
    Refusal r =
        ACME.forDecision(
            Decision.indeterminate(SUBJECT, IndeterminateCause.TIMEOUT, "slow"), DEPLOY, FP);
    assertRefusal(
        r,
        503,
        "decision-unavailable",
        headers("Retry-After", "7", "Cache-Control", "no-store"),
        "{\"type\":\"https://patguard.dev/problems/decision-unavailable\","
            + "\"title\":\"Decision unavailable\",\"status\":503,"
            + "\"detail\":\"the permission service could not decide; retry later\","
            + "\"reasons\":[{\"code\":\"TIMEOUT\"}],\"token\":\"0123abcd\"}");
  }

  @Test
  void forDecisionWhenPermitThenRefused() {
    Decision permit = Decision.permit(SUBJECT, List.of());
    assertThrows(IllegalArgumentException.class, () -> ACME.forDecision(permit, DEPLOY, FP));
  }

  @Test
  void malformedCredentialsWhenInvalidRequestThen400() {
    assertRefusal(
        ACME.malformedCredentials(
            BearerCredentials.Malformed.invalidRequest("more than one Authorization header")),
        400,
        "invalid-request",
        headers(
            "WWW-Authenticate",
            "Bearer realm=\"acme\", error=\"invalid_request\","
                + " error_description=\"more than one Authorization header\"",
            "Cache-Control",
            "no-store"),
        "{\"type\":\"https://patguard.dev/problems/invalid-request\","
            + "\"title\":\"Malformed credentials\",\"status\":400,"
            + "\"detail\":\"more than one Authorization header\",\"error\":\"invalid_request\"}");
  }

  @Test
  void malformedCredentialsWhenTokenTooLongThen401WithoutReasons() {
    BearerCredentials.Parsed tooLong = BearerCredentials.token("t".repeat(11), 10);
    assertRefusal(
        ACME.malformedCredentials((BearerCredentials.Malformed) tooLong),
        401,
        "invalid-token",
        headers(
            "WWW-Authenticate",
            "Bearer realm=\"acme\", error=\"invalid_token\","
                + " error_description=\"the token is longer than 10 characters\"",
            "Cache-Control",
            "no-store"),
        "{\"type\":\"https://patguard.dev/problems/invalid-token\",\"title\":\"Invalid token\","
            + "\"status\":401,\"detail\":\"the token is longer than 10 characters\","
            + "\"error\":\"invalid_token\"}");
  }

  @Test
  void badProjectWhenCalledThen400MissingOrMalformedProject() {
    assertRefusal(
        ACME.badProject("no project: the header X-Project is missing"),
        400,
        "invalid-request",
        headers(
            "WWW-Authenticate",
            "Bearer realm=\"acme\", error=\"invalid_request\","
                + " error_description=\"no project: the header X-Project is missing\"",
            "Cache-Control",
            "no-store"),
        "{\"type\":\"https://patguard.dev/problems/invalid-request\","
            + "\"title\":\"Missing or malformed project\",\"status\":400,"
            + "\"detail\":\"no project: the header X-Project is missing\","
            + "\"error\":\"invalid_request\"}");
  }

  @Test
  void noCredentialsWhenCalledThenBareChallenge() {
    assertRefusal(
        ACME.noCredentials(),
        401,
        "missing-credentials",
        headers("WWW-Authenticate", "Bearer realm=\"acme\"", "Cache-Control", "no-store"),
        "{\"type\":\"https://patguard.dev/problems/missing-credentials\","
            + "\"title\":\"Authentication required\",\"status\":401,"
            + "\"detail\":\"send a personal access token: Authorization: Bearer <token>\"}");
  }

  @Test
  void badPathWhenCalledThen400WithoutChallenge() {
    assertRefusal(
        ACME.badPath("the path contains a '.' or '..' segment"),
        400,
        "non-normalised-path",
        headers("Cache-Control", "no-store"),
        "{\"type\":\"https://patguard.dev/problems/non-normalised-path\","
            + "\"title\":\"Path not in normal form\",\"status\":400,"
            + "\"detail\":\"the path contains a '.' or '..' segment\"}");
  }

  @Test
  void rejectedRequestWhenCalledThen400WithoutChallenge() {
    assertRefusal(
        ACME.rejectedRequest("the HTTP method is not allowed"),
        400,
        "rejected-request",
        headers("Cache-Control", "no-store"),
        "{\"type\":\"https://patguard.dev/problems/rejected-request\","
            + "\"title\":\"Request refused\",\"status\":400,"
            + "\"detail\":\"the HTTP method is not allowed\"}");
  }

  @Test
  void unmatchedRouteWhenCalledThen403RouteDenied() {
    assertRefusal(
        ACME.unmatchedRoute(),
        403,
        "route-denied",
        headers("Cache-Control", "no-store"),
        "{\"type\":\"https://patguard.dev/problems/route-denied\","
            + "\"title\":\"No rule allows this route\",\"status\":403,"
            + "\"detail\":\"no policy rule matches this method and path\"}");
  }

  @Test
  void accessDeniedWhenCalledThen403AccessDenied() {
    assertRefusal(
        ACME.accessDenied(),
        403,
        "access-denied",
        headers("Cache-Control", "no-store"),
        "{\"type\":\"https://patguard.dev/problems/access-denied\",\"title\":\"Access denied\","
            + "\"status\":403,\"detail\":\"this request is not allowed\"}");
  }

  @Test
  void challengeWhenParamsHoldQuotesBackslashesOrControlsThenRestrictedToQuotableText() {
    Refusal r = ACME.badProject("the project header X-P is \"a\\b\"\r\n\u00e9 bad");
    assertEquals(
        "Bearer realm=\"acme\", error=\"invalid_request\","
            + " error_description=\"the project header X-P is 'a/b'??? bad\"",
        r.headers().get("WWW-Authenticate"));
    // The body is JSON, which escapes on its own terms: the detail is kept as given.
    assertEquals(
        "{\"type\":\"https://patguard.dev/problems/invalid-request\","
            + "\"title\":\"Missing or malformed project\",\"status\":400,"
            + "\"detail\":\"the project header X-P is \\\"a\\\\b\\\"\\r\\n\u00e9 bad\","
            + "\"error\":\"invalid_request\"}",
        r.body());
    Refusal scoped =
        ACME.forDecision(
            Decision.deny(SUBJECT, DenyReason.permissionMissing("a\"b")),
            Requirement.allOf("releases:deploy"),
            FP);
    assertEquals(
        "Bearer realm=\"acme\", error=\"insufficient_scope\", error_description=\"the token lacks"
            + " a permission or project this route needs\", scope=\"releases:deploy\"",
        scoped.headers().get("WWW-Authenticate"));
    assertEquals("a'b", Refusals.quotable("a\"b"));
    assertEquals("a/b", Refusals.quotable("a\\b"));
    assertEquals("???", Refusals.quotable("\u0000\u007f\u20ac"));
  }

  @Test
  void refusalsWhenRealmNotQuotableThenRefused() {
    for (String bad : List.of("", "a\"b", "a\\b", "caf\u00e9", "a\nb")) {
      assertFalse(Refusals.isValidRealm(bad), bad);
      assertThrows(IllegalArgumentException.class, () -> new Refusals(bad, 5), bad);
    }
    assertThrows(IllegalArgumentException.class, () -> new Refusals("acme", -1));
    assertEquals(
        "Bearer realm=\"a b!\"",
        new Refusals("a b!", 1).noCredentials().headers().get("WWW-Authenticate"));
  }

  @Test
  void refusalWhenBuiltThenCheckedAndImmutable() {
    assertThrows(IllegalArgumentException.class, () -> new Refusal(200, "ok", Map.of(), "{}"));
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Cache-Control", "no-store");
    Refusal r = new Refusal(400, "x", h, "{}");
    h.put("X-Other", "1");
    assertEquals(1, r.headers().size());
    assertThrows(UnsupportedOperationException.class, () -> r.headers().put("A", "b"));
    assertEquals("application/problem+json", Refusal.CONTENT_TYPE);
  }

  @Test
  void everyRefusalWhenGivenASecretLookingTokenThenNeverHoldsIt() {
    String secret = "pat_SECRETsecret0123456789";
    String fp = dev.patguard.token.SecretDigest.fingerprintOf(secret);
    TokenSubject subject = TokenSubject.fingerprintOnly(fp);
    List<Refusal> all =
        List.of(
            ACME.forDecision(Decision.deny(subject, DenyReason.tokenInvalid()), DEPLOY, fp),
            ACME.forDecision(
                Decision.deny(subject, DenyReason.permissionMissing("releases:deploy")),
                DEPLOY,
                fp),
            ACME.forDecision(
                Decision.indeterminate(
                    subject, IndeterminateCause.BRMS_UNAVAILABLE, "no answer for " + fp),
                DEPLOY,
                fp),
            ACME.invalidToken(fp),
            ACME.malformedCredentials(
                (BearerCredentials.Malformed)
                    BearerCredentials.fromAuthorization("Bearer " + secret + "\"", 4096)),
            ACME.malformedCredentials(
                (BearerCredentials.Malformed)
                    BearerCredentials.fromAuthorization("Bearer " + secret, 8)),
            ACME.noCredentials());
    for (Refusal r : all) {
      assertFalse(r.toString().contains(secret), r::toString);
      assertFalse(new String(r.bodyBytes(), StandardCharsets.UTF_8).contains(secret), r::body);
      r.headers().values().forEach(v -> assertFalse(v.contains(secret), v));
    }
  }
}
