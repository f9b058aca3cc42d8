package dev.patguard.servlet;

import dev.patguard.decision.Decision;
import dev.patguard.decision.DenyReason;
import dev.patguard.decision.Requirement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A refusal: status, RFC 6750 challenge and RFC 9457 problem body ({@link ProblemWriter} sends it).
 * Bodies hold the caller-visible reasons and the token's fingerprint; never the secret, never a
 * stack trace.
 *
 * @param status the HTTP status
 * @param slug the problem type's last segment, such as {@code invalid-token}
 * @param title the problem title
 * @param detail one line for the caller
 * @param error the RFC 6750 error code, or null for none (no credentials, no challenge needed)
 * @param challenge whether to send {@code WWW-Authenticate}
 * @param scope the {@code scope} of an {@code insufficient_scope} challenge, or null
 * @param reasons the caller-visible reasons
 * @param fingerprint the presented token's fingerprint, or null
 * @param acceptedPermissions the permissions the route accepts (403), or empty
 */
record Problem(
    int status,
    String slug,
    String title,
    String detail,
    @Nullable String error,
    boolean challenge,
    @Nullable String scope,
    List<Map<String, String>> reasons,
    @Nullable String fingerprint,
    List<String> acceptedPermissions) {
  /** Where problem types live. */
  public static final String TYPE_BASE = "https://patguard.dev/problems/";

  public Problem {
    reasons = List.copyOf(reasons);
    acceptedPermissions = List.copyOf(acceptedPermissions);
  }

  /** 400 for a path not in normal form. */
  public static Problem badPath(String why) {
    return new Problem(
        400,
        "non-normalised-path",
        "Path not in normal form",
        why,
        null,
        false,
        null,
        List.of(),
        null,
        List.of());
  }

  /** 400 {@code invalid_request} (or 401 {@code invalid_token} for an over-long token). */
  public static Problem malformed(int status, String error, String description) {
    return new Problem(
        status,
        status == 400 ? "invalid-request" : "invalid-token",
        status == 400 ? "Malformed credentials" : "Invalid token",
        description,
        error,
        true,
        null,
        List.of(),
        null,
        List.of());
  }

  /** 400 for a missing or malformed project value. */
  public static Problem badProject(String description) {
    return new Problem(
        400,
        "invalid-request",
        "Missing or malformed project",
        description,
        "invalid_request",
        true,
        null,
        List.of(),
        null,
        List.of());
  }

  /** 401 without an error code: no credentials were presented. */
  public static Problem noCredentials() {
    return new Problem(
        401,
        "missing-credentials",
        "Authentication required",
        "send a personal access token: Authorization: Bearer <token>",
        null,
        true,
        null,
        List.of(),
        null,
        List.of());
  }

  /** 403 for a request no rule matches while unmatched requests are denied. */
  public static Problem unmatched() {
    return new Problem(
        403,
        "route-denied",
        "No rule allows this route",
        "no policy rule matches this method and path",
        null,
        false,
        null,
        List.of(),
        null,
        List.of());
  }

  /**
   * The refusal for a deny or indeterminate decision.
   *
   * <p>A deny whose token is unusable (invalid, expired, owner inactive: including revoked and
   * unknown tokens, which BRMS rejects alike) is 401 {@code invalid_token} with one reason, {@code
   * TOKEN_INVALID}, whatever the cause: the body is the same for all of them, so it tells a caller
   * nothing about which secrets once existed. Any other deny is 403 {@code insufficient_scope},
   * including {@code LOOKUP_FORBIDDEN} (the token is live but the lookup strategy cannot read its
   * facts). Indeterminate is 503. Both what makes a 401 and which reasons' details a caller sees
   * are properties of the reason codes ({@link DenyReason.Code#isAboutTheToken}, {@link
   * DenyReason.Code#isDetailForCallers}), not of this method.
   */
  public static Problem of(
      Decision decision, Requirement requirement, @Nullable String fingerprint) {
    if (decision instanceof Decision.Deny deny) {
      if (deny.isTokenUnusable()) {
        return new Problem(
            401,
            "invalid-token",
            "Invalid token",
            "the token is invalid, expired, revoked or unknown, or its owner is inactive",
            "invalid_token",
            true,
            null,
            List.of(Map.of("code", DenyReason.Code.TOKEN_INVALID.name())),
            fingerprint,
            List.of());
      }
      List<Map<String, String>> reasons = new ArrayList<>();
      for (DenyReason r : deny.reasons()) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("code", r.code().name());
        if (r.detail() != null && r.code().isDetailForCallers()) {
          m.put("detail", r.detail());
        }
        reasons.add(m);
      }
      String scope =
          requirement.permissions().isEmpty() ? null : String.join(" ", requirement.permissions());
      String detail =
          deny.hasReason(DenyReason.Code.LOOKUP_FORBIDDEN)
              ? "the token may not read its own facts, so this server cannot decide what it may do"
              : "the token lacks a permission or project this route needs";
      return new Problem(
          403,
          "insufficient-scope",
          "Insufficient scope",
          detail,
          "insufficient_scope",
          true,
          scope,
          reasons,
          fingerprint,
          requirement.permissions());
    }
    Decision.Indeterminate ind = (Decision.Indeterminate) decision;
    return new Problem(
        503,
        "decision-unavailable",
        "Decision unavailable",
        "the permission service could not decide; retry later",
        null,
        false,
        null,
        List.of(Map.of("code", ind.cause().name())),
        fingerprint,
        List.of());
  }
}
