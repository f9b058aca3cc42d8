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
    /** The token's owner is not in an accepted status, by default {@code active} (detail: the status). */
    OWNER_INACTIVE(true, false),
    /** A needed permission is not granted (detail: the permission, or {@code a|b} for any-of). */
    PERMISSION_MISSING(false, true),
    /** The token is not scoped to the project (detail: the project key or id). */
    PROJECT_OUT_OF_SCOPE(false, true),
    /** The lookup found several candidate tokens and not all of them allow the action (detail: how many). */
    AMBIGUOUS_TOKEN(false, false),
    /** The token is live but may not read its own facts, so the lookup strategy cannot decide. */
    LOOKUP_FORBIDDEN(false, false);

    private final boolean aboutTheToken;
    private final boolean detailForCallers;

    Code(boolean aboutTheToken, boolean detailForCallers) {
      this.aboutTheToken = aboutTheToken;
      this.detailForCallers = detailForCallers;
    }

    /** Whether the token itself is unusable (as opposed to lacking something for this action). */
    public boolean isAboutTheToken() {
      return aboutTheToken;
    }

    /**
     * Whether the detail may be shown to whoever presented the token: the permission or project
     * their request needed, which they named themselves. Not the expiry, the owner's status or the
     * number of the owner's tokens, which tell a holder of a stolen or stale secret more than the
     * refusal needs to.
     */
    public boolean isDetailForCallers() {
      return detailForCallers;
    }
  }

  public DenyReason {
    Objects.requireNonNull(code, "code must not be null");
  }

  public static DenyReason tokenInvalid() {
    return new DenyReason(Code.TOKEN_INVALID, null);
  }

  public static DenyReason tokenExpired(java.time.Instant expiresAt) {
    return new DenyReason(Code.TOKEN_EXPIRED, expiresAt.toString());
  }

  public static DenyReason ownerInactive(@Nullable String status) {
    return new DenyReason(Code.OWNER_INACTIVE, status == null ? "(no status)" : status);
  }

  public static DenyReason permissionMissing(String permission) {
    return new DenyReason(Code.PERMISSION_MISSING, permission);
  }

  public static DenyReason projectOutOfScope(ProjectRef project) {
    return new DenyReason(Code.PROJECT_OUT_OF_SCOPE, project.toString());
  }

  public static DenyReason ambiguousToken(int candidates) {
    return new DenyReason(Code.AMBIGUOUS_TOKEN, candidates + " candidate tokens");
  }

  public static DenyReason lookupForbidden() {
    return new DenyReason(Code.LOOKUP_FORBIDDEN, null);
  }

  /** One line for people, such as {@code PERMISSION_MISSING releases:deploy}. */
  @Override
  public String toString() {
    return detail == null ? code.name() : code.name() + " " + detail;
  }
}
