package dev.patguard.spring.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.patguard.decision.Decision;
import dev.patguard.decision.DenyReason;
import dev.patguard.decision.Requirement;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A refusal as {@code PatGuardFilter} sends it: status, RFC 6750 challenge and an RFC 9457 problem
 * body with the caller-visible reasons and the token's fingerprint; never the secret, never a stack
 * trace. The same shapes and texts as the filter's, so that clients see one API.
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
  static final String TYPE_BASE = "https://patguard.dev/problems/";
  private static final ObjectMapper JSON = new ObjectMapper();

  Problem {
    reasons = List.copyOf(reasons);
    acceptedPermissions = List.copyOf(acceptedPermissions);
  }

  static Problem malformed(String description) {
    return new Problem(
        400,
        "invalid-request",
        "Malformed credentials",
        description,
        "invalid_request",
        true,
        null,
        List.of(),
        null,
        List.of());
  }

  static Problem badProject(String description) {
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

  static Problem noCredentials() {
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

  /** The one 401 for every unusable token (invalid, expired, revoked, unknown, owner inactive). */
  static Problem invalidToken(@Nullable String fingerprint) {
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

  /** 403 for a request some other rule of the app refused (not a patguard decision). */
  static Problem accessDenied() {
    return new Problem(
        403,
        "access-denied",
        "Access denied",
        "this request is not allowed",
        null,
        false,
        null,
        List.of(),
        null,
        List.of());
  }

  /** The refusal for a deny or indeterminate decision, exactly as the filter words it. */
  static Problem of(Decision decision, Requirement requirement, @Nullable String fingerprint) {
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
    if (decision instanceof Decision.Indeterminate ind) {
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
    throw new IllegalArgumentException("a permit is not a refusal");
  }

  /**
   * Sends this problem; resets whatever the response had buffered. A refused HTTP/1.x request with
   * an unread body is answered with {@code Connection: close}, as the filter does: the container
   * closes such a connection, and a keep-alive client should know before it sends again.
   */
  void write(
      HttpServletRequest request,
      HttpServletResponse response,
      String realm,
      long retryAfterSeconds)
      throws IOException {
    if (response.isCommitted()) {
      return;
    }
    String protocol = request.getProtocol();
    if (protocol != null
        && protocol.startsWith("HTTP/1.")
        && (request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null)) {
      response.setHeader("Connection", "close");
    }
    response.resetBuffer();
    response.setStatus(status);
    if (challenge) {
      StringBuilder h = new StringBuilder("Bearer realm=\"").append(quotable(realm)).append('"');
      if (error != null) {
        h.append(", error=\"").append(error).append('"');
        h.append(", error_description=\"").append(quotable(detail)).append('"');
      }
      if (scope != null) {
        h.append(", scope=\"").append(quotable(scope)).append('"');
      }
      response.setHeader("WWW-Authenticate", h.toString());
    }
    if (status == 403 && !acceptedPermissions.isEmpty()) {
      response.setHeader("X-Accepted-Permissions", String.join(", ", acceptedPermissions));
    }
    if (status == 503) {
      response.setHeader("Retry-After", Long.toString(retryAfterSeconds));
    }
    response.setHeader("Cache-Control", "no-store");
    response.setContentType("application/problem+json");
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
    byte[] bytes = JSON.writeValueAsBytes(body);
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
    response.flushBuffer();
  }

  /** Restricts text to the RFC 6750 {@code error_description} characters. */
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
