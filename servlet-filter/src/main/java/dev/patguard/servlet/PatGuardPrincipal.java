package dev.patguard.servlet;

import dev.patguard.decision.TokenSubject;
import java.security.Principal;
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
 */
public record PatGuardPrincipal(
    @Nullable UUID tokenId, @Nullable UUID ownerId, @Nullable String ownerEmail, @Nullable String fingerprint)
    implements Principal {

  /** The principal of a decision's subject. */
  public static PatGuardPrincipal of(TokenSubject subject) {
    return new PatGuardPrincipal(subject.tokenId(), subject.ownerId(), subject.ownerEmail(), subject.fingerprint());
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
