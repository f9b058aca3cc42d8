package dev.patguard.spring.security;

import dev.patguard.http.BearerCredentials;
import dev.patguard.http.RawQuery;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Enumeration;
import java.util.List;
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
 * is never read. The header is read by core's {@link BearerCredentials}, as the filter reads it.
 */
final class StrictBearerTokenResolver implements BearerTokenResolver {
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
      params = RawQuery.values(request.getQueryString(), "access_token");
    } catch (IllegalArgumentException e) {
      throw invalidRequest(e.getMessage());
    }
    if (!params.isEmpty()) {
      throw invalidRequest("access_token parameters are not accepted; send Authorization: Bearer");
    }
    BearerCredentials.Parsed parsed = BearerCredentials.fromAuthorization(header, maxTokenLength);
    if (parsed instanceof BearerCredentials.Presented token) {
      return token.secret();
    }
    if (parsed instanceof BearerCredentials.Malformed malformed) {
      if (malformed.status() == 401) {
        throw new OAuth2AuthenticationException(
            BearerTokenErrors.invalidToken(malformed.description()));
      }
      throw invalidRequest(malformed.description());
    }
    return null; // no header, or another scheme
  }

  private static OAuth2AuthenticationException invalidRequest(String description) {
    BearerTokenError error = BearerTokenErrors.invalidRequest(description);
    return new OAuth2AuthenticationException(error, description);
  }
}
