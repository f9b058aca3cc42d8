package dev.patguard.spring.security;

import dev.patguard.decision.Grant;
import dev.patguard.decision.TokenSubject;
import java.security.Principal;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Who a {@link PatGuardAuthentication} is: the presented token's facts, never its secret.
 *
 * @param fingerprint the first 8 hex digits of the secret's SHA-256
 * @param tokenId the token id, when the lookup identified exactly one token
 * @param ownerId the owner's user id, when known
 * @param ownerEmail the owner's email, when known
 * @param grant what the token was found to grant when it was authenticated; for explanations and
 *     reviews only: authorization goes through {@link PatGuardAuthorizationManager} and {@link
 *     PatGuardMethodSecurity}, which ask patguard again (a cache hit) at the time of the check
 */
public record PatGuardTokenPrincipal(
    String fingerprint,
    @Nullable UUID tokenId,
    @Nullable UUID ownerId,
    @Nullable String ownerEmail,
    @Nullable Grant grant)
    implements Principal {

  /**
   * Checks the fingerprint.
   *
   * @param fingerprint the secret's fingerprint; not null
   * @param tokenId the token id, or null
   * @param ownerId the owner's user id, or null
   * @param ownerEmail the owner's email, or null
   * @param grant the compiled grant, or null when it could not be read
   * @throws NullPointerException if {@code fingerprint} is null
   */
  public PatGuardTokenPrincipal {
    Objects.requireNonNull(fingerprint, "fingerprint must not be null");
  }

  /**
   * The principal for a decision's subject.
   *
   * @param subject the subject of a permit (its fingerprint must be known)
   * @param grant the token's grant, or null
   * @return the principal
   * @throws IllegalArgumentException if the subject has no fingerprint
   */
  static PatGuardTokenPrincipal of(TokenSubject subject, @Nullable Grant grant) {
    String fp =
        subject
            .fingerprintIfKnown()
            .orElseThrow(() -> new IllegalArgumentException("the subject has no fingerprint"));
    return new PatGuardTokenPrincipal(
        fp, subject.tokenId(), subject.ownerId(), subject.ownerEmail(), grant);
  }

  /**
   * The compiled grant, if it was read.
   *
   * @return the grant found when the token was authenticated
   */
  public Optional<Grant> grantIfKnown() {
    return Optional.ofNullable(grant);
  }

  /** The fingerprint: what logs and {@code Authentication.getName()} show of the token. */
  @Override
  public String getName() {
    return fingerprint;
  }

  @Override
  public String toString() {
    return "PatGuardTokenPrincipal[token="
        + fingerprint
        + ", tokenId="
        + tokenId
        + ", ownerId="
        + ownerId
        + "]";
  }
}
