package dev.patguard.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.patguard.decision.Decision;
import dev.patguard.decision.DenyReason;
import dev.patguard.decision.Requirement;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Makes every refusal an enforcement point sends, one factory per outcome, with this server's
 * challenge {@code realm} and {@code Retry-After}. Immutable and thread-safe.
 *
 * <table>
 *   <caption>the refusals</caption>
 *   <tr><th>status</th><th>problem type</th><th>factory</th></tr>
 *   <tr><td>400 {@code invalid_request}</td><td>{@code invalid-request}</td><td>{@link
 *       #malformedCredentials}, {@link #badProject}</td></tr>
 *   <tr><td>400</td><td>{@code non-normalised-path}</td><td>{@link #badPath}</td></tr>
 *   <tr><td>401 (challenge without error)</td><td>{@code missing-credentials}</td><td>{@link
 *       #noCredentials}</td></tr>
 *   <tr><td>401 {@code invalid_token}</td><td>{@code invalid-token}</td><td>{@link
 *       #invalidToken}, {@link #forDecision}, {@link #malformedCredentials} (a token too
 *       long)</td></tr>
 *   <tr><td>403 {@code insufficient_scope}</td><td>{@code insufficient-scope}</td><td>{@link
 *       #forDecision}</td></tr>
 *   <tr><td>403</td><td>{@code route-denied}, {@code access-denied}</td><td>{@link
 *       #unmatchedRoute}, {@link #accessDenied}</td></tr>
 *   <tr><td>503 + {@code Retry-After}</td><td>{@code decision-unavailable}</td><td>{@link
 *       #forDecision}</td></tr>
 * </table>
 *
 * @param realm the {@code realm} of every {@code WWW-Authenticate} challenge
 * @param retryAfterSeconds the {@code Retry-After} of 503 answers
 */
public record Refusals(String realm, long retryAfterSeconds) {
  /** Where problem types live. */
  static final String TYPE_BASE = "https://patguard.dev/problems/";

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Checks the settings.
   *
   * @param realm the {@code realm} of every challenge
   * @param retryAfterSeconds the {@code Retry-After} of 503 answers
   * @throws IllegalArgumentException if {@code realm} is not {@linkplain #isValidRealm valid} or
   *     {@code retryAfterSeconds} is negative
   */
  public Refusals {
    Objects.requireNonNull(realm, "realm must not be null");
    if (!isValidRealm(realm)) {
      throw new IllegalArgumentException(
          "realm must be non-empty printable ASCII without '\"' or '\\'");
    }
    if (retryAfterSeconds < 0) {
      throw new IllegalArgumentException(
          "retryAfterSeconds must not be negative, got " + retryAfterSeconds);
    }
  }

  /**
   * Whether {@code realm} can be sent as is in a challenge: non-empty printable ASCII (0x20 to
   * 0x7E) without {@code "} or {@code \}.
   *
   * @param realm the candidate
   * @return true if it is such text
   */
  public static boolean isValidRealm(String realm) {
    return !realm.isEmpty() && quotable(realm).equals(realm);
  }

  /**
   * The refusal for a deny or indeterminate decision on {@code requirement}.
   *
   * <p>A deny whose token is unusable (invalid, expired, owner inactive: including revoked and
   * unknown tokens, which BRMS rejects alike) is {@link #invalidToken}, whatever the cause: the
   * body is the same for all of them, so it tells a caller nothing about which secrets once
   * existed. Any other deny is 403 {@code insufficient_scope} with {@code scope=} the required
   * permissions, including {@code LOOKUP_FORBIDDEN} (the token is live but the lookup strategy
   * cannot read its facts). Indeterminate is 503 with {@code Retry-After}. What makes a 401 and
   * which reasons' details a caller sees are properties of the reason codes ({@link
   * DenyReason.Code#isAboutTheToken}, {@link DenyReason.Code#isDetailForCallers}).
   *
   * @param decision a deny or indeterminate decision
   * @param requirement what the request needed
   * @param fingerprint the presented token's fingerprint, or null if unknown
   * @return the refusal
   * @throws IllegalArgumentException if {@code decision} is a permit
   */
  public Refusal forDecision(
      Decision decision, Requirement requirement, @Nullable String fingerprint) {
    if (decision instanceof Decision.Deny deny) {
      if (deny.isTokenUnusable()) {
        return invalidToken(fingerprint);
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
      return make(
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
    if (decision instanceof Decision.Indeterminate ind) {
      return make(
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
    throw new IllegalArgumentException("a permit is not a refusal");
  }

  /**
   * The one 401 {@code invalid_token} for every unusable token (invalid, expired, revoked, unknown,
   * owner inactive), with the single reason {@code TOKEN_INVALID}.
   *
   * @param fingerprint the presented token's fingerprint, or null if unknown
   * @return the refusal
   */
  public Refusal invalidToken(@Nullable String fingerprint) {
    return make(
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

  /**
   * The refusal of malformed bearer credentials, before any lookup: 400 {@code invalid_request}, or
   * 401 {@code invalid_token} for a token refused by its length.
   *
   * @param malformed what {@link BearerCredentials} found wrong
   * @return the refusal, with the description as its detail
   */
  public Refusal malformedCredentials(BearerCredentials.Malformed malformed) {
    boolean badRequest = malformed.status() == 400;
    return challenged(
        malformed.status(),
        badRequest ? "invalid-request" : "invalid-token",
        badRequest ? "Malformed credentials" : "Invalid token",
        malformed.description(),
        malformed.error());
  }

  /**
   * 400 {@code invalid_request} for a missing, repeated or malformed project value.
   *
   * @param description one line naming the value's source and what is wrong with it
   * @return the refusal
   */
  public Refusal badProject(String description) {
    return challenged(
        400, "invalid-request", "Missing or malformed project", description, "invalid_request");
  }

  /**
   * 401 with a bare challenge (no error code): no credentials were presented.
   *
   * @return the refusal
   */
  public Refusal noCredentials() {
    return challenged(
        401,
        "missing-credentials",
        "Authentication required",
        "send a personal access token: Authorization: Bearer <token>",
        null);
  }

  /**
   * 400 for a request path not in normal form (no challenge: credentials would not help).
   *
   * @param why one line saying what is wrong with the path
   * @return the refusal
   */
  public Refusal badPath(String why) {
    return unchallenged(400, "non-normalised-path", "Path not in normal form", why);
  }

  /**
   * 400 for a request the container or a firewall refused before any credentials were looked at: a
   * method, header or host it does not accept (no challenge: credentials would not help). A path
   * not in normal form is {@link #badPath}.
   *
   * @param why one line saying what is wrong with the request; never the request's own text, which
   *     may carry a secret
   * @return the refusal
   */
  public Refusal rejectedRequest(String why) {
    return unchallenged(400, "rejected-request", "Request refused", why);
  }

  /**
   * 403 for a request no rule matches while unmatched requests are denied.
   *
   * @return the refusal
   */
  public Refusal unmatchedRoute() {
    return unchallenged(
        403,
        "route-denied",
        "No rule allows this route",
        "no policy rule matches this method and path");
  }

  /**
   * 403 for a request some other rule of the application refused (not a patguard decision).
   *
   * @return the refusal
   */
  public Refusal accessDenied() {
    return unchallenged(403, "access-denied", "Access denied", "this request is not allowed");
  }

  /** A refusal with a challenge and no reasons, permissions or fingerprint. */
  private Refusal challenged(
      int status, String slug, String title, String detail, @Nullable String error) {
    return make(status, slug, title, detail, error, true, null, List.of(), null, List.of());
  }

  /** A refusal credentials would not change: no challenge, no error code. */
  private Refusal unchallenged(int status, String slug, String title, String detail) {
    return make(status, slug, title, detail, null, false, null, List.of(), null, List.of());
  }

  private Refusal make(
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
    Map<String, String> headers = new LinkedHashMap<>();
    if (challenge) {
      StringBuilder h = new StringBuilder("Bearer realm=\"").append(realm).append('"');
      if (error != null) {
        h.append(", error=\"").append(error).append('"');
        h.append(", error_description=\"").append(quotable(detail)).append('"');
      }
      if (scope != null) {
        h.append(", scope=\"").append(quotable(scope)).append('"');
      }
      headers.put("WWW-Authenticate", h.toString());
    }
    if (status == 403 && !acceptedPermissions.isEmpty()) {
      headers.put("X-Accepted-Permissions", String.join(", ", acceptedPermissions));
    }
    if (status == 503) {
      headers.put("Retry-After", Long.toString(retryAfterSeconds));
    }
    headers.put("Cache-Control", "no-store");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", TYPE_BASE + slug);
    body.put("title", title);
    body.put("status", status);
    body.put("detail", detail);
    if (error != null) {
      body.put("error", error);
    }
    if (!reasons.isEmpty()) {
      body.put("reasons", reasons);
    }
    if (!acceptedPermissions.isEmpty()) {
      body.put("acceptedPermissions", acceptedPermissions);
    }
    if (fingerprint != null) {
      body.put("token", fingerprint);
    }
    try {
      return new Refusal(status, slug, headers, JSON.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      // Strings, numbers, lists and maps of them always serialise.
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Restricts text to the RFC 6750 {@code error_description} characters (%x20-21 / %x23-5B /
   * %x5D-7E): {@code "} and {@code \} become {@code '} and {@code /}, anything else {@code ?}.
   */
  static String quotable(String text) {
    StringBuilder b = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') {
        b.append('\'');
      } else if (c == '\\') {
        b.append('/');
      } else if (c >= 0x20 && c <= 0x7E) {
        b.append(c);
      } else {
        b.append('?');
      }
    }
    return b.toString();
  }
}
