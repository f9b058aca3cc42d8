package dev.patguard.spring.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Enumeration;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.BearerTokenError;
import org.springframework.security.oauth2.server.resource.BearerTokenErrors;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;

/**
 * Finds the bearer token the way {@code PatGuardFilter} does by default (RFC 6750 §2.1, header
 * only): one {@code Authorization} header with the {@code Bearer} scheme (any case) and a b64token.
 * Two headers, an {@code access_token} query parameter, an empty or malformed token are 400 {@code
 * invalid_request}; a token over the length limit is 401 {@code invalid_token}; another scheme
 * ({@code Basic}, {@code BearerX}) is not a bearer token and is left to other mechanisms. The body
 * is never read.
 */
final class StrictBearerTokenResolver implements BearerTokenResolver {
  private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

  private final int maxTokenLength;

  StrictBearerTokenResolver(int maxTokenLength) {
    this.maxTokenLength = maxTokenLength;
  }

  @Override
  public @Nullable String resolve(HttpServletRequest request) {
    Enumeration<String> headers = request.getHeaders("Authorization");
    String header = null;
    if (headers != null && headers.hasMoreElements()) {
      header = headers.nextElement();
      if (headers.hasMoreElements()) {
        throw invalidRequest("more than one Authorization header");
      }
    }
    List<String> params;
    try {
      params = QueryValues.of(request.getQueryString(), "access_token");
    } catch (IllegalArgumentException e) {
      throw invalidRequest(e.getMessage());
    }
    if (!params.isEmpty()) {
      throw invalidRequest("access_token parameters are not accepted; send Authorization: Bearer");
    }
    if (header == null || header.length() < 6 || !header.regionMatches(true, 0, "bearer", 0, 6)) {
      return null;
    }
    if (header.length() == 6) {
      throw invalidRequest("no token after the Bearer scheme");
    }
    char sep = header.charAt(6);
    if (sep != ' ') {
      if (Character.isLetterOrDigit(sep) || sep == '-' || sep == '_' || sep == '.') {
        return null; // another scheme, such as "BearerX"
      }
      throw invalidRequest("the Bearer scheme must be followed by a space");
    }
    int start = 6;
    while (start < header.length() && header.charAt(start) == ' ') {
      start++;
    }
    String token = header.substring(start);
    if (token.isEmpty()) {
      throw invalidRequest("the token is empty");
    }
    if (token.length() > maxTokenLength) {
      throw new OAuth2AuthenticationException(
          BearerTokenErrors.invalidToken(
              "the token is longer than " + maxTokenLength + " characters"));
    }
    if (!B64TOKEN.matcher(token).matches()) {
      throw invalidRequest("the token is not a b64token (RFC 6750 section 2.1)");
    }
    return token;
  }

  private static OAuth2AuthenticationException invalidRequest(String description) {
    BearerTokenError error = BearerTokenErrors.invalidRequest(description);
    return new OAuth2AuthenticationException(error, description);
  }
}
