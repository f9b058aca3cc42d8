package dev.patguard.fakebrms.internal;

import java.util.Map;

/** A complete, buffered response; JSON unless a fault says otherwise. */
record Response(int status, Map<String, String> headers, byte[] body) {

  Response {
    headers = Map.copyOf(headers);
  }

  static Response json(int status, Object node) {
    return new Response(status, Map.of("Content-Type", "application/json"), Json.bytes(node));
  }

  static Response message(int status, String message) {
    return json(status, Json.message(message));
  }
}
