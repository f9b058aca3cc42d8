package dev.patguard.servlet;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sends a {@link Problem} the way this filter is configured to: the challenge's {@code realm} and
 * the {@code Retry-After} of 503 answers.
 *
 * @param realm the {@code realm} of challenges
 * @param retryAfterSeconds the {@code Retry-After} of 503 answers
 */
record ProblemWriter(String realm, long retryAfterSeconds) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Sends {@code problem}: the status, headers and body; resets any buffered output first. A
   * request with an unread body is answered with {@code Connection: close}.
   */
  void write(HttpServletRequest request, HttpServletResponse response, Problem problem)
      throws IOException {
    if (hasUnreadBody(request)) {
      // The body of a refused request is never read (it may be large and is untrusted), so the
      // container closes the connection after answering. Say so: a keep-alive client that is not
      // told would send its next request on a connection that is about to close.
      response.setHeader("Connection", "close");
    }
    if (!response.isCommitted()) {
      response.resetBuffer();
    }
    int status = problem.status();
    String error = problem.error();
    String scope = problem.scope();
    String fingerprint = problem.fingerprint();
    response.setStatus(status);
    if (problem.challenge()) {
      StringBuilder h = new StringBuilder("Bearer realm=\"").append(quotable(realm)).append('"');
      if (error != null) {
        h.append(", error=\"").append(error).append('"');
        h.append(", error_description=\"").append(quotable(problem.detail())).append('"');
      }
      if (scope != null) {
        h.append(", scope=\"").append(quotable(scope)).append('"');
      }
      response.setHeader("WWW-Authenticate", h.toString());
    }
    if (status == 403 && !problem.acceptedPermissions().isEmpty()) {
      response.setHeader(
          "X-Accepted-Permissions", String.join(", ", problem.acceptedPermissions()));
    }
    if (status == 503) {
      response.setHeader("Retry-After", Long.toString(retryAfterSeconds));
    }
    response.setHeader("Cache-Control", "no-store");
    response.setContentType("application/problem+json");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", Problem.TYPE_BASE + problem.slug());
    body.put("title", problem.title());
    body.put("status", status);
    body.put("detail", problem.detail());
    if (error != null) {
      body.put("error", error);
    }
    if (!problem.reasons().isEmpty()) {
      body.put("reasons", problem.reasons());
    }
    if (!problem.acceptedPermissions().isEmpty()) {
      body.put("acceptedPermissions", problem.acceptedPermissions());
    }
    if (fingerprint != null) {
      body.put("token", fingerprint);
    }
    byte[] bytes = JSON.writeValueAsBytes(body);
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
    response.flushBuffer();
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

  /** An HTTP/1.x request that carries a body (Connection is a hop-by-hop header HTTP/2 forbids). */
  static boolean hasUnreadBody(HttpServletRequest req) {
    String protocol = req.getProtocol();
    return protocol != null
        && protocol.startsWith("HTTP/1.")
        && (req.getContentLengthLong() > 0 || req.getHeader("Transfer-Encoding") != null);
  }
}
