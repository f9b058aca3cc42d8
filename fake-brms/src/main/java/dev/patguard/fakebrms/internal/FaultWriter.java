package dev.patguard.fakebrms.internal;

import com.sun.net.httpserver.HttpExchange;
import dev.patguard.fakebrms.Fault;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/** Writes the response of a concrete fault (not latency, not random). */
final class FaultWriter {

  private static final int CHUNK = 64 * 1024;
  private static final byte[] MALFORMED =
      "{\"id\":\"3c90c3cc-0d44-4b50-8888-8dd25736052a\",\"note\":\"trunc"
          .getBytes(StandardCharsets.UTF_8);
  private static final byte[] HTML =
      "<html><body><h1>502 Bad Gateway</h1></body></html>".getBytes(StandardCharsets.UTF_8);

  /** Thrown so that the JDK server closes the connection mid-response. */
  static final class ResetSignal extends IOException {
    private static final long serialVersionUID = 1L;

    ResetSignal() {
      super("fake-brms: connection reset fault");
    }
  }

  private FaultWriter() {}

  /**
   * Writes the fault's response; a reset throws {@link ResetSignal} so the server drops the
   * connection.
   */
  static void write(HttpExchange exchange, Fault fault) throws IOException {
    if (fault instanceof Fault.Status s) {
      // The fault's own headers win, even over Content-Type.
      Map<String, String> headers = new HashMap<>(Map.of("Content-Type", "application/json"));
      headers.putAll(s.headers());
      send(
          exchange,
          new Response(s.status(), headers, Json.bytes(Json.message(reason(s.status())))));
    } else if (fault instanceof Fault.Redirect r) {
      exchange.getResponseHeaders().set("Location", r.location().toString());
      exchange.sendResponseHeaders(302, -1);
    } else if (fault instanceof Fault.MalformedJson) {
      send(exchange, new Response(200, Map.of("Content-Type", "application/json"), MALFORMED));
    } else if (fault instanceof Fault.WrongContentType) {
      send(exchange, new Response(200, Map.of("Content-Type", "text/html; charset=utf-8"), HTML));
    } else if (fault instanceof Fault.OversizedBody o) {
      oversized(exchange, o.bytes());
    } else if (fault instanceof Fault.DeepNesting d) {
      deep(exchange, d.depth());
    } else if (fault instanceof Fault.ConnectionReset) {
      reset(exchange);
    } else {
      throw new IllegalStateException("not a concrete fault: " + fault);
    }
  }

  static void send(HttpExchange exchange, Response response) throws IOException {
    response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    byte[] body = response.body();
    exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** {@code ["xxx...x"]} of exactly {@code bytes} bytes, chunked, from one reused buffer. */
  private static void oversized(HttpExchange exchange, long bytes) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, 0);
    byte[] chunk = new byte[CHUNK];
    Arrays.fill(chunk, (byte) 'x');
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(new byte[] {'[', '"'});
      long left = bytes - 4;
      while (left > 0) {
        int n = (int) Math.min(left, CHUNK);
        out.write(chunk, 0, n);
        left -= n;
      }
      out.write(new byte[] {'"', ']'});
    }
  }

  private static void deep(HttpExchange exchange, int depth) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, 0);
    byte[] open = new byte[CHUNK];
    byte[] close = new byte[CHUNK];
    Arrays.fill(open, (byte) '[');
    Arrays.fill(close, (byte) ']');
    try (OutputStream out = exchange.getResponseBody()) {
      for (byte[] run : new byte[][] {open, close}) {
        for (int left = depth; left > 0; left -= CHUNK) {
          out.write(run, 0, Math.min(left, CHUNK));
        }
      }
    }
  }

  /** Promises 1000 bytes, sends a few, then lets the server drop the connection. */
  private static void reset(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, 1000);
    OutputStream out = exchange.getResponseBody();
    out.write(MALFORMED);
    out.flush();
    throw new ResetSignal();
  }

  private static String reason(int status) {
    switch (status) {
      case 400:
        return "Bad Request";
      case 401:
        return "Unauthorized";
      case 403:
        return "Forbidden";
      case 404:
        return "Not Found";
      case 408:
        return "Request Timeout";
      case 429:
        return "Too Many Requests";
      case 500:
        return "Internal Server Error";
      case 502:
        return "Bad Gateway";
      case 503:
        return "Service Unavailable";
      case 504:
        return "Gateway Timeout";
      default:
        return "Fault " + status;
    }
  }
}
