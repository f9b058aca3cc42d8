package dev.patguard.servlet;

import dev.patguard.servlet.internal.QueryParams;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;

/**
 * Finds the one bearer credential of a request (RFC 6750 §2): the {@code Authorization} header, and
 * — only when enabled — an {@code access_token} query parameter or form field (never on GET, never
 * in multipart bodies). Never reads the body unless form tokens are enabled and the body is {@code
 * application/x-www-form-urlencoded}.
 */
final class BearerExtractor {
  /**
   * The b64token grammar as a pattern: {@link #isB64Token} accepts exactly the strings it matches.
   */
  static final String B64TOKEN_REGEX = "[A-Za-z0-9\\-._~+/]+=*";

  private static final String BEARER = "bearer";
  private static final String PARAM = "access_token";

  private final boolean allowParameterTokens;
  private final int maxTokenLength;

  public BearerExtractor(boolean allowParameterTokens, int maxTokenLength) {
    this.allowParameterTokens = allowParameterTokens;
    this.maxTokenLength = maxTokenLength;
  }

  /** The outcome: no credentials, one token, or a malformed request. */
  public sealed interface Result {
    /** No bearer credentials at all. */
    record None() implements Result {}

    /**
     * One well-formed token (never printed: {@code toString} hides it).
     *
     * @param secret the token
     * @param inQuery whether it came from the query string (so the URL holds it)
     */
    record Token(String secret, boolean inQuery) implements Result {
      @Override
      public String toString() {
        return "Token[fingerprint="
            + dev.patguard.token.SecretDigest.fingerprintOf(secret)
            + (inQuery ? ", in query" : "")
            + "]";
      }
    }

    /**
     * The credentials are malformed: 400 {@code invalid_request}, or 401 {@code invalid_token} for
     * a token refused by its length.
     */
    record Malformed(int status, String error, String description) implements Result {}
  }

  /** Extracts the credential. */
  public Result extract(HttpServletRequest request) {
    // The first Authorization header, and whether there are more (no list: one request, one
    // header).
    Enumeration<String> headers = request.getHeaders("Authorization");
    String header = null;
    boolean severalHeaders = false;
    if (headers != null && headers.hasMoreElements()) {
      header = headers.nextElement();
      severalHeaders = headers.hasMoreElements();
    }
    String query = request.getQueryString();
    List<String> params;
    try {
      params = query == null || query.isEmpty() ? List.of() : QueryParams.values(query, PARAM);
    } catch (QueryParams.MalformedQueryException e) {
      return invalidRequest(e.getMessage());
    }
    int queryCount = params.size();
    if (allowParameterTokens && isFormBody(request)) {
      String[] all = request.getParameterValues(PARAM);
      int formCount = all == null ? 0 : all.length - queryCount;
      if (formCount > 0) {
        params = new ArrayList<>(params);
        for (int i = 0; i < formCount; i++) {
          params.add(all[queryCount + i]);
        }
      }
      if (formCount > 0 && "GET".equals(request.getMethod())) {
        return invalidRequest("access_token is not accepted in a GET form");
      }
    }
    if (severalHeaders) {
      return invalidRequest("more than one Authorization header");
    }
    boolean hasHeader = header != null && !header.isEmpty();
    if (hasHeader && !params.isEmpty()) {
      return invalidRequest(
          "credentials in both the Authorization header and an access_token parameter");
    }
    if (params.size() > 1) {
      return invalidRequest("more than one access_token parameter");
    }
    if (!params.isEmpty()) {
      if (!allowParameterTokens) {
        return invalidRequest(
            "access_token parameters are not accepted; send Authorization: Bearer");
      }
      if (isMultipart(request)) {
        return invalidRequest("access_token is not accepted in a multipart request");
      }
      return token(params.get(0), queryCount == 1);
    }
    if (!hasHeader) {
      return new Result.None();
    }
    if (!startsWithBearer(header)) {
      return new Result.None();
    }
    if (header.length() == 6) {
      return invalidRequest("no token after the Bearer scheme");
    }
    char sep = header.charAt(6);
    if (sep != ' ') {
      if (Character.isLetterOrDigit(sep) || sep == '-' || sep == '_' || sep == '.') {
        return new Result.None(); // another scheme, such as "BearerX"
      }
      return invalidRequest("the Bearer scheme must be followed by a space");
    }
    int start = 6;
    while (start < header.length() && header.charAt(start) == ' ') {
      start++;
    }
    return token(header.substring(start), false);
  }

  private Result token(String token, boolean inQuery) {
    if (token.isEmpty()) {
      return invalidRequest("the token is empty");
    }
    if (token.length() > maxTokenLength) {
      return new Result.Malformed(
          401, "invalid_token", "the token is longer than " + maxTokenLength + " characters");
    }
    if (!isB64Token(token)) {
      return invalidRequest("the token is not a b64token (RFC 6750 section 2.1)");
    }
    return new Result.Token(token, inQuery);
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
   * BearerExtractorTest} holds it equal to the pattern on near-miss strings, and the filter
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

  private static boolean isFormBody(HttpServletRequest request) {
    String ct = request.getContentType();
    return ct != null
        && ct.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
  }

  private static boolean isMultipart(HttpServletRequest request) {
    String ct = request.getContentType();
    return ct != null && ct.toLowerCase(Locale.ROOT).startsWith("multipart/");
  }

  private static Result invalidRequest(String description) {
    return new Result.Malformed(400, "invalid_request", description);
  }
}
