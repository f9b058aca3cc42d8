package dev.patguard.receipt;

import dev.patguard.decision.DenyReason;
import dev.patguard.decision.IndeterminateCause;
import dev.patguard.decision.Warning;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A receipt whose signature, type, algorithm and validity period were checked, with its claims.
 *
 * @param outcome what was decided
 * @param reasons every deny reason; empty unless the outcome is {@link Outcome#DENY}
 * @param cause why no decision was reached; present only for {@link Outcome#INDETERMINATE}
 * @param detail the operator's one-line description of the cause; only for {@code INDETERMINATE}
 * @param warnings what the decision warned about
 * @param requirements what was asked, in the text form of {@link dev.patguard.decision.Requirement}
 * @param fingerprint the token's fingerprint (8 hex digits), when a secret was presented
 * @param tokenId the token id, when the lookup identified one token
 * @param ownerId the token owner's user id, when known
 * @param issuer the {@code iss} claim, when the signer set one
 * @param issuedAt when the receipt was signed ({@code iat}, whole seconds)
 * @param expiresAt when the receipt stops being accepted ({@code exp}, whole seconds)
 * @param id the receipt's unique id ({@code jti})
 * @param keyId the id of the key that signed it ({@code kid})
 */
public record VerifiedReceipt(
    Outcome outcome,
    List<DenyReason> reasons,
    @Nullable IndeterminateCause cause,
    @Nullable String detail,
    List<Warning> warnings,
    List<String> requirements,
    @Nullable String fingerprint,
    @Nullable UUID tokenId,
    @Nullable UUID ownerId,
    @Nullable String issuer,
    Instant issuedAt,
    Instant expiresAt,
    String id,
    String keyId) {

  /** What a receipt says was decided; the names are those of {@code DecisionJson.outcome}. */
  public enum Outcome {
    /** The action was allowed. */
    PERMIT,
    /** The action was refused, for the reasons listed. */
    DENY,
    /** No decision could be reached; the enforcement point failed closed. */
    INDETERMINATE
  }

  /**
   * Checks that the components agree with the outcome and copies the lists.
   *
   * @param outcome what was decided; not null
   * @param reasons every deny reason: at least one for {@code DENY}, none otherwise; copied
   * @param cause why no decision was reached: set for {@code INDETERMINATE} only
   * @param detail the operator's description of the cause: set for {@code INDETERMINATE} only
   * @param warnings what the decision warned about; copied
   * @param requirements what was asked, in text form; copied
   * @param fingerprint the token's fingerprint, or null
   * @param tokenId the token id, or null
   * @param ownerId the token owner's user id, or null
   * @param issuer the {@code iss} claim, or null
   * @param issuedAt when the receipt was signed; not null
   * @param expiresAt when the receipt stops being accepted; not null
   * @param id the receipt's unique id ({@code jti}); not null
   * @param keyId the id of the key that signed it; not null
   * @throws IllegalArgumentException if reasons, cause or detail do not match the outcome
   * @throws NullPointerException if a required component, a list or an element is null
   */
  public VerifiedReceipt {
    Objects.requireNonNull(outcome, "outcome must not be null");
    reasons = List.copyOf(reasons);
    warnings = List.copyOf(warnings);
    requirements = List.copyOf(requirements);
    Objects.requireNonNull(issuedAt, "issuedAt must not be null");
    Objects.requireNonNull(expiresAt, "expiresAt must not be null");
    Objects.requireNonNull(id, "id must not be null");
    Objects.requireNonNull(keyId, "keyId must not be null");
    if ((outcome == Outcome.DENY) == reasons.isEmpty()) {
      throw new IllegalArgumentException(
          outcome == Outcome.DENY
              ? "a DENY receipt needs at least one reason"
              : "only a DENY receipt has reasons");
    }
    if ((outcome == Outcome.INDETERMINATE) != (cause != null && detail != null)) {
      throw new IllegalArgumentException(
          outcome == Outcome.INDETERMINATE
              ? "an INDETERMINATE receipt needs a cause and a detail"
              : "only an INDETERMINATE receipt has a cause and a detail");
    }
  }

  /**
   * Whether the receipt records a permit: the only outcome that lets an action proceed.
   *
   * @return true for {@link Outcome#PERMIT} only
   */
  public boolean isPermit() {
    return outcome == Outcome.PERMIT;
  }

  /**
   * One line for people, such as {@code DENY token 3f2a9c1b for releases:deploy@web-shop:
   * PERMISSION_MISSING releases:deploy (receipt 6f1c…, key k1, issued …, expires …)}.
   *
   * @return the line; it names the token by fingerprint or id, never by secret
   */
  public String describe() {
    StringBuilder b = new StringBuilder(outcome.name()).append(' ').append(subjectLabel());
    if (!requirements.isEmpty()) {
      b.append(" for ").append(String.join(", ", requirements));
    }
    if (outcome == Outcome.DENY) {
      StringJoiner j = new StringJoiner("; ", ": ", "");
      reasons.forEach(r -> j.add(r.toString()));
      b.append(j);
    } else if (outcome == Outcome.INDETERMINATE) {
      b.append(": ").append(cause).append(" (").append(detail).append(')');
    }
    if (!warnings.isEmpty()) {
      StringJoiner j = new StringJoiner(", ", " [warnings: ", "]");
      warnings.forEach(w -> j.add(w.toString()));
      b.append(j);
    }
    b.append(" (receipt ").append(id).append(", key ").append(keyId);
    if (issuer != null) {
      b.append(", issuer ").append(issuer);
    }
    return b.append(", issued ")
        .append(issuedAt)
        .append(", expires ")
        .append(expiresAt)
        .append(')')
        .toString();
  }

  private String subjectLabel() {
    if (fingerprint != null) {
      return "token " + fingerprint;
    }
    if (tokenId != null) {
      return "token " + tokenId;
    }
    return "unknown token";
  }
}
