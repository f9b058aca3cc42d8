package dev.patguard.http;

import dev.patguard.token.SecretDigest;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reads a bearer token (RFC 6750 §2.1): the {@code Bearer} scheme in any case, one space or more,
 * and a b64token no longer than a limit. Another scheme ({@code Basic}, {@code BearerX}) is no
 * bearer credential and is left to other mechanisms. Where else a token may come from (query or
 * form parameters, several headers) is each enforcement point's rule.
 */
public final class BearerCredentials {
  /**
   * The b64token grammar as a pattern: {@link #isB64Token} accepts exactly the strings it matches.
   */
  static final String B64TOKEN_REGEX = "[A-Za-z0-9\\-._~+/]+=*";

  private static final String BEARER = "bearer";

  private BearerCredentials() {}

  /** What a credential read found: nothing, one well-formed token, or malformed credentials. */
  public sealed interface Parsed permits Absent, Presented, Malformed {}

  /** No bearer credentials (no header, an empty one, or another scheme). */
  public record Absent() implements Parsed {}

  /**
   * One well-formed token; {@code toString} shows only its fingerprint.
   *
   * @param secret the token
   */
  public record Presented(String secret) implements Parsed {
    /**
     * Checks the token is there.
     *
     * @param secret the token
     * @throws NullPointerException if {@code secret} is null
     */
    public Presented {
      Objects.requireNonNull(secret, "secret must not be null");
    }

    @Override
    public String toString() {
      return "Presented[fingerprint=" + SecretDigest.fingerprintOf(secret) + "]";
    }
  }

  /**
   * Malformed credentials: {@code invalid_request} (400), or {@code invalid_token} (401) for a
   * token refused by its length. The description never quotes the token.
   *
   * @param error {@code invalid_request} or {@code invalid_token}
   * @param description one line saying what is wrong
   */
  public record Malformed(String error, String description) implements Parsed {
    /** The RFC 6750 error code of a malformed request. */
    public static final String INVALID_REQUEST = "invalid_request";

    /** The RFC 6750 error code of a token refused by its form. */
    public static final String INVALID_TOKEN = "invalid_token";

    /**
     * Checks the error code.
     *
     * @param error {@code invalid_request} or {@code invalid_token}
     * @param description one line saying what is wrong
     * @throws IllegalArgumentException if {@code error} is neither of the two codes
     */
    public Malformed {
      if (!INVALID_REQUEST.equals(error) && !INVALID_TOKEN.equals(error)) {
        throw new IllegalArgumentException(
            "error must be invalid_request or invalid_token, got " + error);
      }
      Objects.requireNonNull(description, "description must not be null");
    }

    /**
     * A malformed request.
     *
     * @param description one line saying what is wrong
     * @return the 400 {@code invalid_request} outcome
     */
    public static Malformed invalidRequest(String description) {
      return new Malformed(INVALID_REQUEST, description);
    }

    /**
     * The HTTP status of this outcome.
     *
     * @return 400 for {@code invalid_request}, 401 for {@code invalid_token}
     */
    public int status() {
      return INVALID_REQUEST.equals(error) ? 400 : 401;
    }
  }

  /**
   * Reads one {@code Authorization} header value.
   *
   * @param header the header's value, or null if the request has none
   * @param maxTokenLength the longest token accepted
   * @return {@link Absent} for no header, an empty one or another scheme; else as {@link #token}
   */
  public static Parsed fromAuthorization(@Nullable String header, int maxTokenLength) {
    if (header == null || header.isEmpty() || !startsWithBearer(header)) {
      return new Absent();
    }
    if (header.length() == 6) {
      return Malformed.invalidRequest("no token after the Bearer scheme");
    }
    char sep = header.charAt(6);
    if (sep != ' ') {
      if (Character.isLetterOrDigit(sep) || sep == '-' || sep == '_' || sep == '.') {
        return new Absent(); // another scheme, such as "BearerX"
      }
      return Malformed.invalidRequest("the Bearer scheme must be followed by a space");
    }
    int start = 6;
    while (start < header.length() && header.charAt(start) == ' ') {
      start++;
    }
    return token(header.substring(start), maxTokenLength);
  }

  /**
   * Checks a token however it came (after the scheme, or as a parameter's value).
   *
   * @param token the candidate token
   * @param maxTokenLength the longest token accepted
   * @return the {@link Presented}, or {@link Malformed}: {@code invalid_request} for an empty token
   *     or one that is not a b64token, {@code invalid_token} for one longer than {@code
   *     maxTokenLength}
   */
  public static Parsed token(String token, int maxTokenLength) {
    if (token.isEmpty()) {
      return Malformed.invalidRequest("the token is empty");
    }
    if (token.length() > maxTokenLength) {
      return new Malformed(
          Malformed.INVALID_TOKEN, "the token is longer than " + maxTokenLength + " characters");
    }
    if (!isB64Token(token)) {
      return Malformed.invalidRequest("the token is not a b64token (RFC 6750 section 2.1)");
    }
    return new Presented(token);
  }

  /**
   * Whether {@code header} starts with the scheme name {@code Bearer}, in any case: what {@code
   * header.substring(0, 6).toLowerCase(Locale.ROOT).equals("bearer")} says (no character outside
   * ASCII lower-cases to one of its letters), without the two strings.
   */
  static boolean startsWithBearer(String header) {
    if (header.length() < 6) {
      return false;
    }
    for (int i = 0; i < 6; i++) {
      // For these letters, c | 0x20 maps the upper-case letter to the lower-case one and nothing
      // else to either.
      if ((header.charAt(i) | 0x20) != BEARER.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code token} is an RFC 6750 b64token, {@code 1*( ALPHA / DIGIT / "-" / "." / "_" / "~"
   * / "+" / "/" ) *"="}: the same strings as the pattern {@value #B64TOKEN_REGEX}, checked
   * character by character. A hand-written fast path kept on purpose: a jqwik property in {@code
   * BearerCredentialsTest} holds it equal to the pattern on near-miss strings, and the filter
   * benchmark (benchmarks/RESULTS.md §3) is why it exists.
   */
  static boolean isB64Token(String token) {
    int n = token.length();
    int i = 0;
    while (i < n && isB64Char(token.charAt(i))) {
      i++;
    }
    if (i == 0) {
      return false;
    }
    while (i < n && token.charAt(i) == '=') {
      i++;
    }
    return i == n;
  }

  private static boolean isB64Char(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~'
        || c == '+'
        || c == '/';
  }
}
