package dev.patguard.spring.security;

import dev.patguard.decision.Decision;
import java.util.Objects;
import org.springframework.security.core.AuthenticationException;

/**
 * patguard could not authenticate a bearer token for a reason other than "unusable token" (that is
 * an {@link org.springframework.security.oauth2.server.resource.InvalidBearerTokenException}): BRMS
 * could not decide ({@link Decision.Indeterminate}, answered 503 with {@code Retry-After}) or the
 * token is live but may not read its own facts ({@code LOOKUP_FORBIDDEN}, answered 403). It is
 * deliberately not an {@code AuthenticationServiceException}, which Spring Security's bearer filter
 * rethrows as a 500: {@link PatGuardProblemHandler} turns it into the answer above.
 */
public final class PatGuardAuthenticationException extends AuthenticationException {
  private static final long serialVersionUID = 1L;

  private final transient Decision decision;

  /**
   * Wraps the decision that refused authentication.
   *
   * @param decision a deny that is not about an unusable token, or an indeterminate; not null
   * @throws NullPointerException if {@code decision} is null
   */
  public PatGuardAuthenticationException(Decision decision) {
    super(Objects.requireNonNull(decision, "decision must not be null").explain());
    this.decision = decision;
  }

  /**
   * The decision that refused authentication.
   *
   * @return a deny or an indeterminate
   */
  public Decision decision() {
    return decision;
  }
}
