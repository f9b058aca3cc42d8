package dev.patguard.servlet;

import dev.patguard.http.BearerCredentials;
import dev.patguard.http.RawQuery;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;

/**
 * Finds the one bearer credential of a request (RFC 6750 §2): the {@code Authorization} header, and
 * — only when enabled — an {@code access_token} query parameter or form field (never on GET, never
 * in multipart bodies). Never reads the body unless form tokens are enabled and the body is {@code
 * application/x-www-form-urlencoded}. The header and each token are read by {@link
 * BearerCredentials}; where a token may come from is this class's rule.
 */
final class BearerExtractor {
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
     *
     * @param malformed what is wrong
     */
    record Malformed(BearerCredentials.Malformed malformed) implements Result {}
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
      params = query == null || query.isEmpty() ? List.of() : RawQuery.values(query, PARAM);
    } catch (IllegalArgumentException e) {
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
    return of(BearerCredentials.fromAuthorization(header, maxTokenLength), false);
  }

  private Result token(String token, boolean inQuery) {
    return of(BearerCredentials.token(token, maxTokenLength), inQuery);
  }

  private static Result of(BearerCredentials.Parsed parsed, boolean inQuery) {
    if (parsed instanceof BearerCredentials.Presented t) {
      return new Result.Token(t.secret(), inQuery);
    }
    if (parsed instanceof BearerCredentials.Malformed m) {
      return new Result.Malformed(m);
    }
    return new Result.None();
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
    return new Result.Malformed(BearerCredentials.Malformed.invalidRequest(description));
  }
}
