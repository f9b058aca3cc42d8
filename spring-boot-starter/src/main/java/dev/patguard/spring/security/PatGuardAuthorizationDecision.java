package dev.patguard.spring.security;

import dev.patguard.decision.Decision;
import dev.patguard.decision.ProjectRef;
import dev.patguard.decision.Requirement;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authorization.AuthorizationDecision;

/**
 * The result of a patguard check in Spring Security: granted only for a {@link Decision.Permit}. A
 * refused one travels in Spring Security's {@code AuthorizationDeniedException} to {@link
 * PatGuardProblemHandler}, which answers from it: 400 for a missing or malformed project, 401 for
 * an unusable token, 403 {@code insufficient_scope} for a deny, 503 for an indeterminate.
 */
public final class PatGuardAuthorizationDecision extends AuthorizationDecision {
  private static final long serialVersionUID = 1L;

  /** patguard's decision, or null when none was made. */
  private final transient @Nullable Decision decision;

  /** The requirement decided, or null when none was made. */
  private final transient @Nullable Requirement requirement;

  /** Why the project value was refused, or null. */
  private final @Nullable String badRequest;

  /** The presented token's fingerprint, or null. */
  private final @Nullable String fingerprint;

  private PatGuardAuthorizationDecision(
      boolean granted,
      @Nullable Decision decision,
      @Nullable Requirement requirement,
      @Nullable String badRequest,
      @Nullable String fingerprint) {
    super(granted);
    this.decision = decision;
    this.requirement = requirement;
    this.badRequest = badRequest;
    this.fingerprint = fingerprint;
  }

  /** What patguard decided on {@code requirement}. */
  static PatGuardAuthorizationDecision decided(
      Decision decision, Requirement requirement, String fingerprint) {
    return new PatGuardAuthorizationDecision(
        decision.isPermit(), decision, requirement, null, fingerprint);
  }

  /** The request names its project wrongly: 400, before any lookup. */
  static PatGuardAuthorizationDecision badProject(String why) {
    return new PatGuardAuthorizationDecision(false, null, null, why, null);
  }

  /** The request is not authenticated by patguard (anonymous, or another mechanism). */
  static PatGuardAuthorizationDecision notAPatGuardToken() {
    return new PatGuardAuthorizationDecision(false, null, null, null, null);
  }

  /**
   * patguard's decision, when one was made.
   *
   * @return the decision; empty for a malformed project or an authentication patguard did not make
   */
  public Optional<Decision> decision() {
    return Optional.ofNullable(decision);
  }

  /**
   * The requirement decided, project included.
   *
   * @return the requirement; empty when no decision was made
   */
  public Optional<Requirement> requirement() {
    return Optional.ofNullable(requirement);
  }

  /**
   * The project that was authorized or refused.
   *
   * @return the requirement's project; empty when it had none or no decision was made
   */
  public Optional<ProjectRef> project() {
    return requirement == null ? Optional.empty() : requirement.project();
  }

  /** Why the project value was refused (400), or null. */
  @Nullable String badRequest() {
    return badRequest;
  }

  @Nullable String fingerprint() {
    return fingerprint;
  }

  @Override
  public String toString() {
    return "PatGuardAuthorizationDecision[granted="
        + isGranted()
        + (decision != null ? ", " + decision.explain() : "")
        + (badRequest != null ? ", bad request: " + badRequest : "")
        + "]";
  }
}
