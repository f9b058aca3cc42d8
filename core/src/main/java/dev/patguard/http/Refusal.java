package dev.patguard.http;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One refusal, ready to send: the status, the headers in the order they are set, and an RFC 9457
 * problem body of content type {@value #CONTENT_TYPE}. Made by {@link Refusals}; it holds the
 * caller-visible reasons and the token's fingerprint, never the secret, never a stack trace.
 *
 * <p>An adapter sets the status, each header, the content type {@value #CONTENT_TYPE}, the content
 * length of {@link #bodyBytes()} and writes those bytes.
 *
 * @param status the HTTP status, 400 to 599
 * @param slug the problem type's last segment, such as {@code invalid-token} (for events and logs)
 * @param headers the headers to set, in order ({@code WWW-Authenticate}, {@code
 *     X-Accepted-Permissions}, {@code Retry-After}, {@code Cache-Control}, as they apply); the
 *     content type and length are not among them
 * @param body the problem document, JSON
 */
public record Refusal(int status, String slug, Map<String, String> headers, String body) {
  /** The content type of every refusal's body. */
  public static final String CONTENT_TYPE = "application/problem+json";

  /**
   * Checks and copies the parts (the headers keep their order).
   *
   * @param status the HTTP status, 400 to 599
   * @param slug the problem type's last segment
   * @param headers the headers to set, in order
   * @param body the problem document, JSON
   * @throws IllegalArgumentException if {@code status} is not an error status (400 to 599)
   */
  public Refusal {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("a refusal has a status of 400 to 599, got " + status);
    }
    Objects.requireNonNull(slug, "slug must not be null");
    Objects.requireNonNull(body, "body must not be null");
    Map<String, String> copy = new LinkedHashMap<>();
    headers.forEach(
        (name, value) ->
            copy.put(
                Objects.requireNonNull(name, "header name"),
                Objects.requireNonNull(value, "header value")));
    headers = Collections.unmodifiableMap(copy);
  }

  /**
   * The body as sent.
   *
   * @return {@link #body()} in UTF-8
   */
  public byte[] bodyBytes() {
    return body.getBytes(StandardCharsets.UTF_8);
  }
}
