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

  /** The kinds of reason. */
  public enum Code {
    /** BRMS does not accept the secret: unknown, revoked, malformed or expired before lookup. */
    TOKEN_INVALID,
    /** The token's {@code expiresAt} is at or before the decision time. */
    TOKEN_EXPIRED,
    /** The token's owner is not in an accepted status (by default: {@code active}). */
    OWNER_INACTIVE,
    /** A needed permission is not granted (detail: the permission, or {@code a|b} for any-of). */
    PERMISSION_MISSING,
    /** The token is not scoped to the project (detail: the project key or id). */
    PROJECT_OUT_OF_SCOPE,
    /** The lookup found several candidate tokens and not all of them allow the action. */
    AMBIGUOUS_TOKEN,
    /** The token is live but may not read its own facts, so the lookup strategy cannot decide. */
    LOOKUP_FORBIDDEN;

    /** Whether the token itself is unusable (as opposed to lacking something for this action). */
    public boolean isAboutTheToken() {
      return this == TOKEN_INVALID || this == TOKEN_EXPIRED || this == OWNER_INACTIVE;
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
