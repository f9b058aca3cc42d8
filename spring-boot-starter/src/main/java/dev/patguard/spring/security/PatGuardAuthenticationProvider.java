package dev.patguard.spring.security;

import dev.patguard.PatGuard;
import dev.patguard.TokenFacts;
import dev.patguard.decision.Decision;
import dev.patguard.decision.Grant;
import dev.patguard.decision.Requirement;
import dev.patguard.token.SecretDigest;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * Authenticates the {@link BearerTokenAuthenticationToken}s Spring Security's bearer filter makes:
 * patguard decides {@link Requirement#authenticated()} for the secret (one BRMS lookup per cache
 * lifetime, shared with every later check of the same token).
 *
 * <ul>
 *   <li>permit: a {@link PatGuardAuthentication} whose principal carries the token's facts;
 *   <li>an unusable token (invalid, expired, revoked, unknown, owner inactive): an {@link
 *       InvalidBearerTokenException} with one fixed description, so every such token gets the same
 *       401 {@code invalid_token};
 *   <li>any other deny ({@code LOOKUP_FORBIDDEN}) or an indeterminate: a {@link
 *       PatGuardAuthenticationException}, 403 or 503 through {@link PatGuardProblemHandler}.
 * </ul>
 */
public final class PatGuardAuthenticationProvider implements AuthenticationProvider {
  /** The description of every unusable-token refusal: one answer, whatever the cause. */
  static final String INVALID_TOKEN =
      "the token is invalid, expired, revoked or unknown, or its owner is inactive";

  private final PatGuard guard;

  /**
   * Authenticates through {@code guard}.
   *
   * @param guard the guard that decides and reads the token's facts; not null
   * @throws NullPointerException if {@code guard} is null
   */
  public PatGuardAuthenticationProvider(PatGuard guard) {
    this.guard = Objects.requireNonNull(guard, "guard must not be null");
  }

  @Override
  public @Nullable Authentication authenticate(Authentication authentication)
      throws AuthenticationException {
    if (!(authentication instanceof BearerTokenAuthenticationToken bearer)) {
      return null;
    }
    String secret = bearer.getToken();
    Decision decision = guard.decideBlocking(secret, Requirement.authenticated());
    if (decision instanceof Decision.Permit permit) {
      PatGuardTokenPrincipal principal =
          PatGuardTokenPrincipal.of(permit.subject(), grantOf(secret));
      PatGuardAuthentication result = new PatGuardAuthentication(principal, secret);
      result.setDetails(bearer.getDetails());
      return result;
    }
    if (decision instanceof Decision.Deny deny && deny.isTokenUnusable()) {
      throw new UnusableTokenException(SecretDigest.fingerprintOf(secret));
    }
    throw new PatGuardAuthenticationException(decision);
  }

  /**
   * The grant just decided on: a cache hit, so it does not wait; null if it is gone already. (No
   * timeout of our own on the future: it may be the cache's shared one, and {@code facts} already
   * completes within the decision timeout.)
   */
  private @Nullable Grant grantOf(String secret) {
    TokenFacts facts = guard.facts(secret).join();
    return facts instanceof TokenFacts.Known known ? known.grant() : null;
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return BearerTokenAuthenticationToken.class.isAssignableFrom(authentication);
  }

  /** The 401 for an unusable token, naming it by fingerprint only. */
  static final class UnusableTokenException extends InvalidBearerTokenException {
    private static final long serialVersionUID = 1L;

    private final String fingerprint;

    UnusableTokenException(String fingerprint) {
      super(INVALID_TOKEN);
      this.fingerprint = fingerprint;
    }

    String fingerprint() {
      return fingerprint;
    }
  }
}
