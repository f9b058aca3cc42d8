package dev.patguard.cli.internal;

import org.jspecify.annotations.Nullable;

/**
 * What patguard reports in SARIF and GitHub annotations: one rule per kind of finding, its id
 * stable across releases (code scanning matches alerts by rule id), its default level and the help
 * a dashboard shows beside an alert.
 */
enum Rule {
  EXCESS_PERMISSION(
      "excess-permission",
      "ExcessPermission",
      "error",
      "7.0",
      "The token holds a permission its requirements do not need.",
      "A least-privilege review found a permission granted to the token that none of the"
          + " requirements it is used for needs. A leaked token can do everything it holds.",
      "Mint a new token with only the permissions the requirements name, switch the pipeline to"
          + " it, then revoke this one."),
  EXCESS_PROJECT(
      "excess-project",
      "ExcessProject",
      "error",
      "6.0",
      "The token is scoped to a project its requirements do not name.",
      "A least-privilege review found the token scoped to projects (or to all projects) that none"
          + " of its requirements names.",
      "Mint a new token scoped to the projects the requirements name only (not all projects),"
          + " switch the pipeline to it, then revoke this one."),
  MISSING_PERMISSION(
      "missing-permission",
      "MissingPermission",
      "error",
      null,
      "The token lacks a permission its requirements need.",
      "The token does not hold a permission a requirement needs, so the release it gates would"
          + " fail or is refused.",
      "Grant the permission to a new token (or fix the requirement if it names the wrong one)."),
  MISSING_PROJECT(
      "missing-project",
      "MissingProject",
      "error",
      null,
      "The token is not scoped to a project its requirements name.",
      "The token's project scope does not cover a project a requirement names.",
      "Use a token scoped to that project, or fix the requirement's project."),
  NEVER_EXPIRES(
      "never-expires",
      "NeverExpires",
      "warning",
      "5.0",
      "The token never expires.",
      "The token has no expiry date: if it leaks, it stays usable until someone revokes it.",
      "Mint a token with an expiry (patguard's --max-lifetime says how long is acceptable) and"
          + " rotate it before it expires."),
  LIFETIME_TOO_LONG(
      "lifetime-too-long",
      "LifetimeTooLong",
      "warning",
      "4.0",
      "The token expires later than the maximum lifetime.",
      "The token's expiry is further away than the --max-lifetime the review was run with.",
      "Mint a token that expires within the maximum lifetime and switch the pipeline to it."),
  EXPIRED(
      "expired",
      "TokenExpired",
      "error",
      null,
      "The token has expired.",
      "The token's expiry date has passed: BRMS refuses it, and the gated release cannot run.",
      "Rotate the token: mint a new one and update the pipeline's secret."),
  TOKEN_INVALID(
      "token-invalid",
      "TokenInvalid",
      "error",
      null,
      "BRMS does not accept the token.",
      "BRMS rejected the secret (unknown, revoked, malformed or expired), or has no token with the"
          + " given id.",
      "Check that the pipeline's secret holds a current token; rotate it if it was revoked."),
  OWNER_INACTIVE(
      "owner-inactive",
      "OwnerInactive",
      "error",
      null,
      "The token's owner is not active.",
      "The user that owns the token is not in an accepted status (by default active), so the"
          + " token may not be used.",
      "Use a token of an active (service) user."),
  AMBIGUOUS_TOKEN(
      "ambiguous-token",
      "AmbiguousToken",
      "error",
      null,
      "The token could not be told apart from other live tokens of its owner.",
      "The self lookup found several live tokens of the owner and not all of them allow the"
          + " action, so patguard cannot permit it.",
      "Revoke the owner's unused tokens, or give the pipeline its own service user."),
  LOOKUP_FORBIDDEN(
      "lookup-forbidden",
      "LookupForbidden",
      "error",
      null,
      "The token may not read its own facts.",
      "BRMS answered 403 to the token's self lookup, so patguard cannot decide by secret.",
      "Review it by id (patguard explain --user-id … --pat-id …) with an admin credential."),
  INDETERMINATE(
      "indeterminate",
      "Indeterminate",
      "error",
      null,
      "patguard could not decide: BRMS was unreachable, too slow or answered wrongly.",
      "No decision could be reached (BRMS unavailable, a timeout, a malformed answer, a refused"
          + " admin credential). patguard fails closed: the release is not permitted. While this"
          + " alert is open the other findings of this gate were not re-checked.",
      "Retry later; if it persists, check BRMS's status and the --brms-url."),
  NOT_REVIEWED(
      "not-reviewed",
      "NotReviewed",
      "error",
      null,
      "The least-privilege review could not be made.",
      "The token's grant could not be read, or the self lookup found several candidate tokens, so"
          + " patguard cannot say whether the token holds more than needed.",
      "Review the token by id: patguard explain --user-id … --pat-id …"),
  EXPIRES_SOON(
      "expires-soon",
      "ExpiresSoon",
      "warning",
      null,
      "The token expires soon.",
      "The token expires within the authorizer's horizon (7 days by default): releases will start"
          + " failing when it does.",
      "Rotate the token before it expires."),
  STALE_FACTS(
      "stale-facts",
      "StaleFacts",
      "note",
      null,
      "The decision used cached facts older than their TTL.",
      "BRMS failed and the token's facts were served from the cache past their TTL"
          + " (stale-if-error).",
      "Check BRMS's availability."),
  AMBIGUOUS_LOOKUP(
      "ambiguous-lookup",
      "AmbiguousLookup",
      "note",
      null,
      "The self lookup found several candidate tokens.",
      "The self lookup matched several live tokens of the owner; the decision holds for all of"
          + " them.",
      "Revoke the owner's unused tokens so that each pipeline's token can be identified.");

  /** Every id starts with this, so patguard's alerts are easy to filter. */
  static final String PREFIX = "patguard/";

  final String id;
  final String name;
  final String level;
  final @Nullable String securitySeverity;
  final String shortDescription;
  final String fullDescription;
  final String help;

  Rule(
      String id,
      String name,
      String level,
      @Nullable String securitySeverity,
      String shortDescription,
      String fullDescription,
      String help) {
    this.id = PREFIX + id;
    this.name = name;
    this.level = level;
    this.securitySeverity = securitySeverity;
    this.shortDescription = shortDescription;
    this.fullDescription = fullDescription;
    this.help = help;
  }
}
