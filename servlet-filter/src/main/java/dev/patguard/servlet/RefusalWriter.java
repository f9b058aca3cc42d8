package dev.patguard.servlet;

import dev.patguard.http.Refusal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/** Sends a {@link Refusal} on a servlet response: what it says, and how this connection ends. */
final class RefusalWriter {
  private RefusalWriter() {}

  /**
   * Sends {@code refusal}: the status, headers and body; resets any buffered output first. A
   * request with an unread body is answered with {@code Connection: close}.
   */
  static void write(HttpServletRequest request, HttpServletResponse response, Refusal refusal)
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
    response.setStatus(refusal.status());
    for (Map.Entry<String, String> h : refusal.headers().entrySet()) {
      response.setHeader(h.getKey(), h.getValue());
    }
    response.setContentType(Refusal.CONTENT_TYPE);
    byte[] bytes = refusal.bodyBytes();
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
    response.flushBuffer();
  }

  /** An HTTP/1.x request that carries a body (Connection is a hop-by-hop header HTTP/2 forbids). */
  static boolean hasUnreadBody(HttpServletRequest req) {
    String protocol = req.getProtocol();
    return protocol != null
        && protocol.startsWith("HTTP/1.")
        && (req.getContentLengthLong() > 0 || req.getHeader("Transfer-Encoding") != null);
  }
}
