package dev.patguard.decision;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One reason a token was denied. A deny lists every reason that applies, not only the first.
 *
 * @param code what is wrong
 * @param detail the permission, project, expiry or status the reason is about, when it has one
 */
public record DenyReason(Code code, @Nullable String detail) {

  /**
   * The kinds of reason. Each says whether it is about the token itself (enforcement points answer
   * those with one "invalid token", 401) and whether its detail may be shown to the caller.
   */
  public enum Code {
    /** BRMS does not accept the secret: unknown, revoked, malformed or expired before lookup. */
    TOKEN_INVALID(true, false),
    /** The token's {@code expiresAt} is at or before the decision time (detail: that instant). */
    TOKEN_EXPIRED(true, false),
    /**
     * The token's owner is not in an accepted status, by default {@code active} (detail: the
     * status).
     */
    OWNER_INACTIVE(true, false),
    /** A needed permission is not granted (detail: the permission, or {@code a|b} for any-of). */
    PERMISSION_MISSING(false, true),
    /** The token is not scoped to the project (detail: the project key or id). */
    PROJECT_OUT_OF_SCOPE(false, true),
    /**
     * The lookup found several candidate tokens and not all of them allow the action (detail: how
     * many).
     */
    AMBIGUOUS_TOKEN(false, false),
    /** The token is live but may not read its own facts, so the lookup strategy cannot decide. */
    LOOKUP_FORBIDDEN(false, false);

    private final boolean aboutTheToken;
    private final boolean detailForCallers;

    Code(boolean aboutTheToken, boolean detailForCallers) {
      this.aboutTheToken = aboutTheToken;
      this.detailForCallers = detailForCallers;
    }

    /**
     * Whether the token itself is unusable (as opposed to lacking something for this action).
     *
     * @return true for {@link #TOKEN_INVALID}, {@link #TOKEN_EXPIRED} and {@link #OWNER_INACTIVE}
     */
    public boolean isAboutTheToken() {
      return aboutTheToken;
    }

    /**
     * Whether the detail may be shown to whoever presented the token: the permission or project
     * their request needed, which they named themselves. Not the expiry, the owner's status or the
     * number of the owner's tokens, which tell a holder of a stolen or stale secret more than the
     * refusal needs to.
     *
     * @return true for {@link #PERMISSION_MISSING} and {@link #PROJECT_OUT_OF_SCOPE}
     */
    public boolean isDetailForCallers() {
      return detailForCallers;
    }
  }

  /**
   * Checks the code.
   *
   * @param code what is wrong; not null
   * @param detail what the reason is about, or null
   * @throws NullPointerException if {@code code} is null
   */
  public DenyReason {
    Objects.requireNonNull(code, "code must not be null");
  }

  /**
   * BRMS does not accept the secret.
   *
   * @return a {@link Code#TOKEN_INVALID} reason, without detail
   */
  public static DenyReason tokenInvalid() {
    return new DenyReason(Code.TOKEN_INVALID, null);
  }

  /**
   * The token expired at or before the decision time.
   *
   * @param expiresAt when it expired; not null
   * @return a {@link Code#TOKEN_EXPIRED} reason, the expiry in ISO-8601 as its detail
   * @throws NullPointerException if {@code expiresAt} is null
   */
  public static DenyReason tokenExpired(java.time.Instant expiresAt) {
    return new DenyReason(Code.TOKEN_EXPIRED, expiresAt.toString());
  }

  /**
   * The token's owner is not in an accepted status.
   *
   * @param status the owner's status as BRMS sent it, or null when it sent none
   * @return an {@link Code#OWNER_INACTIVE} reason, the status (or {@code (no status)}) as its
   *     detail
   */
  public static DenyReason ownerInactive(@Nullable String status) {
    return new DenyReason(Code.OWNER_INACTIVE, status == null ? "(no status)" : status);
  }

  /**
   * A needed permission is not granted.
   *
   * @param permission the permission's name, or {@code a|b} when any of several would do
   * @return a {@link Code#PERMISSION_MISSING} reason, {@code permission} as its detail
   */
  public static DenyReason permissionMissing(String permission) {
    return new DenyReason(Code.PERMISSION_MISSING, permission);
  }

  /**
   * The token is not scoped to the project.
   *
   * @param project the project the requirement named; not null
   * @return a {@link Code#PROJECT_OUT_OF_SCOPE} reason, the project as {@link ProjectRef#toString}
   *     writes it as its detail
   * @throws NullPointerException if {@code project} is null
   */
  public static DenyReason projectOutOfScope(ProjectRef project) {
    return new DenyReason(Code.PROJECT_OUT_OF_SCOPE, project.toString());
  }

  /**
   * The lookup found several candidate tokens and not all of them allow the action.
   *
   * @param candidates how many
   * @return an {@link Code#AMBIGUOUS_TOKEN} reason, such as {@code 3 candidate tokens} as its
   *     detail
   */
  public static DenyReason ambiguousToken(int candidates) {
    return new DenyReason(Code.AMBIGUOUS_TOKEN, candidates + " candidate tokens");
  }

  /**
   * The token is live but may not read its own facts.
   *
   * @return a {@link Code#LOOKUP_FORBIDDEN} reason, without detail
   */
  public static DenyReason lookupForbidden() {
    return new DenyReason(Code.LOOKUP_FORBIDDEN, null);
  }

  /** One line for people, such as {@code PERMISSION_MISSING releases:deploy}. */
  @Override
  public String toString() {
    return detail == null ? code.name() : code.name() + " " + detail;
  }
}
