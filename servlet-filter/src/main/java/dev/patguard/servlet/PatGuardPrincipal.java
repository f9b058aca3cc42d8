package dev.patguard.servlet;

import dev.patguard.decision.ProjectRef;
import dev.patguard.decision.TokenSubject;
import java.security.Principal;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The caller of a permitted request, as {@code request.getUserPrincipal()} returns it. Never holds
 * the secret.
 *
 * @param tokenId the token's id, when the lookup identified one token
 * @param ownerId the owner's user id, when known
 * @param ownerEmail the owner's email, when known
 * @param fingerprint the first 8 hex digits of the secret's SHA-256
 * @param authorizedProject the project the filter authorized the request on (see {@link
 *     #project()}), or null for a route without a project
 */
public record PatGuardPrincipal(
    @Nullable UUID tokenId,
    @Nullable UUID ownerId,
    @Nullable String ownerEmail,
    @Nullable String fingerprint,
    @Nullable ProjectRef authorizedProject)
    implements Principal {

  /**
   * A principal for a request authorized on no project.
   *
   * @param tokenId the token's id, or null
   * @param ownerId the owner's user id, or null
   * @param ownerEmail the owner's email, or null
   * @param fingerprint the first 8 hex digits of the secret's SHA-256, or null
   */
  public PatGuardPrincipal(
      @Nullable UUID tokenId,
      @Nullable UUID ownerId,
      @Nullable String ownerEmail,
      @Nullable String fingerprint) {
    this(tokenId, ownerId, ownerEmail, fingerprint, null);
  }

  /**
   * The principal of a decision's subject, on no project.
   *
   * @param subject who the decision is about; not null
   * @return a principal with the subject's ids, email and fingerprint
   * @throws NullPointerException if {@code subject} is null
   */
  public static PatGuardPrincipal of(TokenSubject subject) {
    return of(subject, null);
  }

  /**
   * The principal of a decision's subject, authorized on {@code project}.
   *
   * @param subject who the decision is about; not null
   * @param project the project the request was authorized on, or null for none
   * @return a principal with the subject's ids, email and fingerprint
   * @throws NullPointerException if {@code subject} is null
   */
  public static PatGuardPrincipal of(TokenSubject subject, @Nullable ProjectRef project) {
    return new PatGuardPrincipal(
        subject.tokenId(), subject.ownerId(), subject.ownerEmail(), subject.fingerprint(), project);
  }

  /**
   * The project the filter authorized this request on: the one its route takes from the request
   * (path variable, header or query parameter), read as a bare key or UUID, or the one the rule's
   * requirement names. Empty for a route without a project. Resolve this one in the application,
   * not the raw request value, so that what runs is what was authorized.
   *
   * @return the authorized project; empty for a route without a project
   */
  public Optional<ProjectRef> project() {
    return Optional.ofNullable(authorizedProject);
  }

  /** The fingerprint, or else the token id, or else {@code unknown}. */
  @Override
  public String getName() {
    if (fingerprint != null) {
      return fingerprint;
    }
    return tokenId != null ? tokenId.toString() : "unknown";
  }
}
