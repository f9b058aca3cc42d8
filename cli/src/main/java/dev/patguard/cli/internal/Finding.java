package dev.patguard.cli.internal;

import dev.patguard.decision.Decision;
import dev.patguard.decision.DenyReason;
import dev.patguard.decision.LeastPrivilegeReport;
import dev.patguard.decision.Requirement;
import dev.patguard.decision.TokenSubject;
import dev.patguard.decision.Warning;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One thing a SARIF result or a GitHub annotation reports: its rule, a message for people (the
 * token by fingerprint or id, never the secret) and what it is about, from which its fingerprint is
 * made.
 *
 * @param rule the kind of finding
 * @param message one line for people
 * @param subject the token it is about
 * @param about what it is about beside the token (a permission, a project, a cause), stable across
 *     runs: part of the fingerprint
 * @param requirements what the token was checked against, part of the fingerprint
 */
record Finding(
    Rule rule, String message, TokenSubject subject, String about, List<String> requirements) {

  Finding {
    requirements = List.copyOf(requirements);
  }

  /**
   * A stable identity for code scanning's de-duplication: SHA-256 of the rule, the token (its id
   * when known, else its fingerprint), what the finding is about and the sorted requirements. The
   * secret is not an input; the fingerprint is already public.
   */
  String fingerprint() {
    String token =
        subject.tokenId() != null
            ? "id:" + subject.tokenId()
            : subject.fingerprint() != null ? "fp:" + subject.fingerprint() : "unknown";
    String material =
        String.join(
            "\n", rule.id, token, about, String.join(",", requirements.stream().sorted().toList()));
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(material.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** The gate's decision: each deny reason, the cause of an indeterminate, each warning. */
  static List<Finding> ofDecision(Decision d, List<Requirement> requirements) {
    List<String> reqs = strings(requirements);
    TokenSubject s = d.subject();
    String who = s.label();
    List<Finding> out = new ArrayList<>();
    if (d instanceof Decision.Deny deny) {
      for (DenyReason r : deny.reasons()) {
        String detail = r.detail() == null ? "" : r.detail();
        // Exhaustive switches: a code core adds fails this build instead of vanishing from the
        // SARIF, where a deny without results would look like a clean run.
        out.add(
            switch (r.code()) {
              case PERMISSION_MISSING ->
                  new Finding(
                      Rule.MISSING_PERMISSION,
                      who + " lacks " + detail + ", which " + String.join(", ", reqs) + " needs",
                      s,
                      detail,
                      reqs);
              case PROJECT_OUT_OF_SCOPE ->
                  new Finding(
                      Rule.MISSING_PROJECT,
                      who + " is not scoped to project " + detail,
                      s,
                      detail,
                      reqs);
              case TOKEN_EXPIRED ->
                  new Finding(Rule.EXPIRED, who + " expired at " + detail, s, "", reqs);
              case TOKEN_INVALID ->
                  new Finding(
                      Rule.TOKEN_INVALID,
                      who + " was rejected by BRMS: unknown, revoked or expired",
                      s,
                      "",
                      reqs);
              case OWNER_INACTIVE ->
                  new Finding(
                      Rule.OWNER_INACTIVE,
                      who + "'s owner is not active (status " + detail + ")",
                      s,
                      "",
                      reqs);
              case AMBIGUOUS_TOKEN ->
                  new Finding(
                      Rule.AMBIGUOUS_TOKEN,
                      who
                          + " matches "
                          + detail
                          + " of its owner, and not all of them may do what is required",
                      s,
                      "",
                      reqs);
              case LOOKUP_FORBIDDEN ->
                  new Finding(
                      Rule.LOOKUP_FORBIDDEN,
                      who + " may not read its own facts (403)",
                      s,
                      "",
                      reqs);
            });
      }
    } else if (d instanceof Decision.Indeterminate i) {
      out.add(
          new Finding(
              Rule.INDETERMINATE,
              "could not decide for " + who + ": " + i.cause() + " (" + i.detail() + ")",
              s,
              i.cause().name(),
              reqs));
    }
    for (Warning w : d.warnings()) {
      out.add(
          switch (w.code()) {
            case EXPIRES_SOON ->
                new Finding(
                    Rule.EXPIRES_SOON, who + " expires soon, at " + w.detail(), s, "", reqs);
            case STALE_FACTS ->
                new Finding(
                    Rule.STALE_FACTS,
                    "the decision for " + who + " used stale facts: BRMS failed",
                    s,
                    "",
                    reqs);
            case AMBIGUOUS_LOOKUP ->
                new Finding(
                    Rule.AMBIGUOUS_LOOKUP,
                    "the self lookup for " + who + " found " + w.detail(),
                    s,
                    "",
                    reqs);
          });
    }
    return out;
  }

  /** A least-privilege review: each excess or missing permission or project, each lifetime one. */
  static List<Finding> ofReport(LeastPrivilegeReport r) {
    List<String> reqs = strings(r.requirements());
    TokenSubject s = r.subject();
    String who = s.label();
    String needs = String.join(", ", reqs);
    List<Finding> out = new ArrayList<>();
    for (String p : r.excessPermissions()) {
      out.add(
          new Finding(
              Rule.EXCESS_PERMISSION,
              who + " holds " + p + ", which " + needs + " does not need",
              s,
              p,
              reqs));
    }
    if (r.allProjects() && !r.excessProjects().isEmpty()) {
      out.add(
          new Finding(
              Rule.EXCESS_PROJECT,
              who + " covers all projects (allProjects), but " + needs + " names only some",
              s,
              "*",
              reqs));
    } else {
      for (String p : r.excessProjects()) {
        out.add(
            new Finding(
                Rule.EXCESS_PROJECT,
                who + " is scoped to project " + p + ", which " + needs + " does not name",
                s,
                p,
                reqs));
      }
    }
    for (String p : r.missingPermissions()) {
      out.add(
          new Finding(
              Rule.MISSING_PERMISSION,
              who + " lacks " + p + ", which " + needs + " needs",
              s,
              p,
              reqs));
    }
    for (String p : r.missingProjects()) {
      out.add(
          new Finding(Rule.MISSING_PROJECT, who + " is not scoped to project " + p, s, p, reqs));
    }
    for (LeastPrivilegeReport.LifetimeFinding lf : r.lifetimeFindings()) {
      out.add(
          switch (lf) {
            case NEVER_EXPIRES ->
                new Finding(
                    Rule.NEVER_EXPIRES,
                    who
                        + " never expires"
                        + (r.maxLifetime() == null
                            ? ""
                            : " (maximum lifetime " + r.maxLifetime() + ")"),
                    s,
                    "",
                    reqs);
            case EXPIRES_AFTER_HORIZON ->
                new Finding(
                    Rule.LIFETIME_TOO_LONG,
                    who
                        + " expires "
                        + r.expiresAt()
                        + ", later than the maximum lifetime "
                        + r.maxLifetime(),
                    s,
                    String.valueOf(r.maxLifetime()),
                    reqs);
            case EXPIRED ->
                new Finding(Rule.EXPIRED, who + " expired at " + r.expiresAt(), s, "", reqs);
          });
    }
    return out;
  }

  /** The least-privilege review could not be made; {@code message} says why (no secret). */
  static Finding notReviewed(TokenSubject s, List<Requirement> requirements, String message) {
    return new Finding(Rule.NOT_REVIEWED, message, s, "", strings(requirements));
  }

  /** One finding per fingerprint, the first kept: a deny and a review may report the same gap. */
  static List<Finding> distinct(Collection<Finding> findings) {
    Map<String, Finding> byFingerprint = new LinkedHashMap<>();
    for (Finding f : findings) {
      byFingerprint.putIfAbsent(f.fingerprint(), f);
    }
    return List.copyOf(byFingerprint.values());
  }

  private static List<String> strings(List<Requirement> requirements) {
    return requirements.stream().map(Object::toString).toList();
  }
}
