package dev.patguard.spring.security;

import dev.patguard.decision.Requirement;
import dev.patguard.http.BearerCredentials;
import dev.patguard.http.Refusal;
import dev.patguard.http.Refusals;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.BearerTokenError;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * The entry point and access-denied handler that answer like {@code PatGuardFilter}: RFC 6750
 * {@code WWW-Authenticate} challenges (with {@code scope=} on 403), {@code
 * application/problem+json} bodies with the caller-visible reasons and the token's fingerprint, one
 * identical 401 for every unusable token, and 503 with {@code Retry-After} for an indeterminate
 * decision, never 401 or 403. The answers are core's {@link Refusals}, as the filter's are.
 *
 * <table>
 *   <caption>answers</caption>
 *   <tr><th>status</th><th>when</th></tr>
 *   <tr><td>400 {@code invalid_request}</td><td>malformed credentials; missing, repeated or
 *       malformed project value</td></tr>
 *   <tr><td>401</td><td>no credentials (challenge without error)</td></tr>
 *   <tr><td>401 {@code invalid_token}</td><td>unknown, revoked or expired token, inactive
 *       owner</td></tr>
 *   <tr><td>403 {@code insufficient_scope}</td><td>a patguard deny: permission missing, project out
 *       of scope, ambiguous lookup, token may not read its own facts</td></tr>
 *   <tr><td>403</td><td>refused by some other rule of the app</td></tr>
 *   <tr><td>503 + {@code Retry-After}</td><td>patguard could not decide</td></tr>
 *   <tr><td>400 (no challenge)</td><td>as a {@link RequestRejectedHandler}: a request Spring
 *       Security's firewall refused (a path not in normal form, a method, host, header or
 *       parameter it does not accept)</td></tr>
 * </table>
 */
public final class PatGuardProblemHandler
    implements AuthenticationEntryPoint, AccessDeniedHandler, RequestRejectedHandler {
  private final Refusals refusals;

  PatGuardProblemHandler(String realm, long retryAfterSeconds) {
    this.refusals = new Refusals(realm, retryAfterSeconds);
  }

  @Override
  public void commence(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
      throws IOException {
    write(request, response, refusalFor(e));
  }

  @Override
  public void handle(
      HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
      throws IOException {
    write(request, response, refusalFor(e));
  }

  /**
   * Answers a request {@code StrictHttpFirewall} refused with the filter's 400 problem+json, not
   * Boot's error page. The exception's message is never echoed: it can quote a header value, and a
   * header value can be a token.
   */
  @Override
  public void handle(
      HttpServletRequest request, HttpServletResponse response, RequestRejectedException e)
      throws IOException {
    write(request, response, refusalFor(e));
  }

  Refusal refusalFor(RequestRejectedException e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("URL")) {
      return refusals.badPath("the path is not in normal form (refused by the firewall)");
    }
    if (message.contains("HTTP method")) {
      return refusals.rejectedRequest("the HTTP method is not allowed here");
    }
    if (message.contains("domain")) {
      return refusals.rejectedRequest("the Host is not a trusted name for this application");
    }
    return refusals.rejectedRequest(
        "a header or parameter name or value is not allowed (printable ASCII only)");
  }

  Refusal refusalFor(AuthenticationException e) {
    if (e instanceof PatGuardAuthenticationProvider.UnusableTokenException unusable) {
      return refusals.invalidToken(unusable.fingerprint());
    }
    if (e instanceof PatGuardAuthenticationException refused) {
      return refusals.forDecision(
          refused.decision(), Requirement.authenticated(), fingerprintOf(refused));
    }
    if (e instanceof OAuth2AuthenticationException oauth
        && oauth.getError() instanceof BearerTokenError error) {
      if ("invalid_request".equals(error.getErrorCode())) {
        return refusals.malformedCredentials(
            BearerCredentials.Malformed.invalidRequest(String.valueOf(error.getDescription())));
      }
      return refusals.invalidToken(null);
    }
    // No credentials (an anonymous request reached a protected route), or another mechanism's
    // failure: the bare challenge.
    return refusals.noCredentials();
  }

  Refusal refusalFor(AccessDeniedException e) {
    if (e instanceof AuthorizationDeniedException denied) {
      AuthorizationResult result = denied.getAuthorizationResult();
      if (result instanceof PatGuardAuthorizationDecision d) {
        if (d.badRequest() != null) {
          return refusals.badProject(d.badRequest());
        }
        if (d.decision().isPresent() && d.requirement().isPresent()) {
          return refusals.forDecision(d.decision().get(), d.requirement().get(), d.fingerprint());
        }
      }
    }
    return refusals.accessDenied();
  }

  /**
   * Sends {@code refusal}, unless the response is already committed; resets whatever it had
   * buffered. A refused HTTP/1.x request with an unread body is answered with {@code Connection:
   * close}, as the filter does: the container closes such a connection, and a keep-alive client
   * should know before it sends again.
   */
  private static void write(
      HttpServletRequest request, HttpServletResponse response, Refusal refusal)
      throws IOException {
    if (response.isCommitted()) {
      return;
    }
    String protocol = request.getProtocol();
    if (protocol != null
        && protocol.startsWith("HTTP/1.")
        && (request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null)) {
      response.setHeader("Connection", "close");
    }
    response.resetBuffer();
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

  private static @org.jspecify.annotations.Nullable String fingerprintOf(
      PatGuardAuthenticationException e) {
    return e.decision().subject().fingerprintIfKnown().orElse(null);
  }

  @Override
  public String toString() {
    return "PatGuardProblemHandler[realm="
        + refusals.realm()
        + ", retryAfter="
        + refusals.retryAfterSeconds()
        + "s]";
  }
}
