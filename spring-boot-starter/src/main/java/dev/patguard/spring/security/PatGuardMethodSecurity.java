package dev.patguard.spring.security;

import dev.patguard.Decider;
import dev.patguard.decision.ProjectRef;
import dev.patguard.decision.Requirement;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;

/**
 * patguard checks for method security. Registered as the bean {@code patguard} (the Spring Boot
 * starter does so), it reads:
 *
 * <pre>{@code
 * @PreAuthorize("@patguard.may(authentication, 'releases:deploy', #projectId)")
 * public Release deploy(String projectId) { ... }
 * }</pre>
 *
 * <p>The methods return Spring Security {@link AuthorizationResult}s, not booleans, so that a
 * refusal keeps patguard's decision: {@link PatGuardProblemHandler} answers an indeterminate with
 * 503 (never 403), an unusable token with 401, a malformed project value with 400. There is no
 * project-less variant: a method that acts on a project names it.
 */
public final class PatGuardMethodSecurity {
  private final Decider decider;

  /**
   * Checks through {@code decider}.
   *
   * @param decider the decider to ask; not null
   * @throws NullPointerException if {@code decider} is null
   */
  public PatGuardMethodSecurity(Decider decider) {
    this.decider = Objects.requireNonNull(decider, "decider must not be null");
  }

  /**
   * Whether {@code authentication} may do {@code permission} on {@code project}.
   *
   * @param authentication the caller ({@code authentication} in SpEL); anything but a {@link
   *     PatGuardAuthentication} is refused
   * @param permission the permission, such as {@code releases:deploy}
   * @param project the project as the request named it: a bare key or UUID (a {@code key:} or
   *     {@code id:} prefix, or anything else, is a 400)
   * @return granted for a permit only
   */
  public AuthorizationResult may(
      @Nullable Authentication authentication, String permission, @Nullable String project) {
    return mayAll(authentication, new String[] {permission}, project);
  }

  /**
   * Whether {@code authentication} may do every one of {@code permissions} on {@code project}.
   *
   * @param authentication the caller; anything but a {@link PatGuardAuthentication} is refused
   * @param permissions the permissions, all required
   * @param project the project as the request named it: a bare key or UUID
   * @return granted for a permit only
   */
  public AuthorizationResult mayAll(
      @Nullable Authentication authentication, String[] permissions, @Nullable String project) {
    if (!(authentication instanceof PatGuardAuthentication token)) {
      return PatGuardAuthorizationDecision.notAPatGuardToken();
    }
    ProjectRef ref;
    try {
      ref = ProjectRef.parseBare(project == null ? "" : project);
    } catch (IllegalArgumentException e) {
      return PatGuardAuthorizationDecision.badProject(
          "the project is not a bare project key or UUID (key: and id: prefixes are for policies"
              + " only)");
    }
    Requirement requirement = Requirement.allOf(permissions).onProject(ref);
    return PatGuardAuthorizationManager.decide(decider, token, requirement);
  }

  @Override
  public String toString() {
    return "PatGuardMethodSecurity[" + decider + "]";
  }
}
