package dev.patguard.junit;

import dev.patguard.decision.Authorizer;
import dev.patguard.decision.Decision;
import dev.patguard.decision.DenyReason;
import dev.patguard.decision.Grant;
import dev.patguard.decision.LeastPrivilegeReport;
import dev.patguard.decision.Requirement;
import dev.patguard.decision.TokenSubject;
import dev.patguard.token.Project;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;
import org.opentest4j.AssertionFailedError;

/**
 * Writes failure messages about tokens: who the token is (fingerprint when known, id and note,
 * never the secret), what was required, what is granted and what is in excess.
 */
final class Findings {
  /**
   * A requirement asked only to learn why a secret has no grant: the deny of a rejected token says
   * {@code TOKEN_INVALID}, that of a forbidden self lookup {@code LOOKUP_FORBIDDEN}.
   */
  static final Requirement PROBE = Requirement.allOf("owner");

  private Findings() {}

  /** Whether {@code d} denies because the token may not read its own facts (403). */
  static boolean isForbidden(Decision d) {
    return d instanceof Decision.Deny deny && deny.hasReason(DenyReason.Code.LOOKUP_FORBIDDEN);
  }

  /** What a 403 on the self lookup means, as messages say it. */
  static final String FORBIDDEN =
      "403, LOOKUP_FORBIDDEN: the token is live but may not read its own facts";

  /** What a 401 means, as messages say it. */
  static final String REJECTED = "401, TOKEN_INVALID: it is unknown, revoked or expired";

  /** Why BRMS refused a secret, from the decision on it: 401, 403, or what the decision says. */
  static String refusal(Decision d) {
    if (isForbidden(d)) {
      return FORBIDDEN;
    }
    if (d instanceof Decision.Deny deny && deny.hasReason(DenyReason.Code.TOKEN_INVALID)) {
      return REJECTED;
    }
    return "no grant, and then " + d.explain();
  }

  /**
   * One candidate of an ambiguous lookup: {@code token <id> ("note")}, as the token describes
   * itself.
   */
  static String describe(Grant candidate) {
    TokenSubject s = candidate.subject();
    String id = "token " + (s.tokenId() == null ? "(no id)" : s.tokenId().toString());
    return s.note() == null || s.note().isEmpty() ? id : id + " (\"" + s.note() + "\")";
  }

  /** How a message names the token: {@code token 3f2a9c1b (id …, note "ci deploy")}. */
  static String name(TokenSubject s) {
    StringJoiner details = new StringJoiner(", ", " (", ")").setEmptyValue("");
    if (s.fingerprint() != null && s.tokenId() != null) {
      details.add("id " + s.tokenId());
    }
    if (s.note() != null && !s.note().isEmpty()) {
      details.add("note \"" + s.note() + "\"");
    }
    if (s.tokenId() == null && s.ownerId() != null) {
      details.add("owner " + s.ownerId());
    }
    return s.label() + details;
  }

  /** The token's permissions and scope, one line, for {@code actual} values. */
  static String summary(Grant g) {
    return "permissions " + g.grantedPermissions() + " on " + scope(g) + ", " + expiry(g);
  }

  /** {@code all projects} or {@code projects [web-shop]}. */
  static String scope(Grant g) {
    if (g.allProjects()) {
      return "all projects (allProjects=true)";
    }
    return "projects " + projectLabels(g);
  }

  static List<String> projectLabels(Grant g) {
    List<String> labels = new ArrayList<>();
    for (Project p : g.projects()) {
      labels.add(p.label());
    }
    return labels;
  }

  static String expiry(Grant g) {
    return g.expiresAt().map(i -> "expires " + i).orElse("never expires");
  }

  /** The facts block every message ends with. */
  static String facts(Grant g) {
    String declared =
        g.declaredPermissions().isEmpty()
            ? ""
            : " (declared: " + String.join(", ", g.declaredPermissions()) + ")";
    return "  granted:  "
        + join(g.grantedPermissions())
        + declared
        + "\n"
        + "  scope:    "
        + scope(g)
        + "\n"
        + "  expiry:   "
        + g.expiresAt().map(Instant::toString).orElse("never")
        + "\n"
        + "  owner:    "
        + g.ownerStatus().orElse("(no status)");
  }

  /** Comma-separated, or {@code (none)}. */
  static String join(Collection<String> items) {
    return items.isEmpty() ? "(none)" : String.join(", ", items);
  }

  /** Whether the owner's status counts as active under the standard authorizer. */
  static boolean ownerActive(Grant g) {
    return g.ownerStatus()
        .map(
            s -> Authorizer.standard().acceptedOwnerStatuses().contains(s.toLowerCase(Locale.ROOT)))
        .orElse(false);
  }

  /**
   * The least-privilege failure, or null when the report finds nothing and {@code extraFindings} is
   * empty.
   *
   * @param heading who asked, such as {@code @LeastPrivilege(token = "DEPLOY_TOKEN")}, or empty
   */
  static @Nullable AssertionFailedError leastPrivilegeFailure(
      String heading, Grant grant, LeastPrivilegeReport report, List<String> extraFindings) {
    List<String> findings = new ArrayList<>(report.findings());
    findings.addAll(extraFindings);
    if (findings.isEmpty()) {
      return null;
    }
    StringJoiner required = new StringJoiner(", ");
    for (Requirement r : report.requirements()) {
      required.add(r.toString());
    }
    StringBuilder m = new StringBuilder();
    if (!heading.isEmpty()) {
      m.append(heading).append(": ");
    }
    m.append(name(grant.subject()))
        .append(" is NOT least privilege for ")
        .append(required)
        .append('\n');
    m.append("  required: ")
        .append(required)
        .append(" (needs ")
        .append(join(report.needed()))
        .append(")\n");
    m.append(facts(grant)).append('\n');
    m.append("  excess:   ").append(join(report.excessPermissions()));
    if (!report.excessProjects().isEmpty()) {
      m.append("; projects ").append(join(report.excessProjects()));
    }
    m.append('\n');
    m.append("  missing:  ").append(join(report.missingPermissions()));
    if (!report.missingProjects().isEmpty()) {
      m.append("; projects ").append(join(report.missingProjects()));
    }
    m.append("\n  findings:");
    for (String f : findings) {
      m.append("\n  - ").append(f);
    }
    String expected =
        "permissions "
            + report.needed()
            + " on "
            + namedProjects(report)
            + (report.maxLifetime() == null
                ? ", expiring"
                : ", expiring within " + report.maxLifetime());
    return new AssertionFailedError(m.toString(), expected, summary(grant));
  }

  private static String namedProjects(LeastPrivilegeReport report) {
    List<String> named = new ArrayList<>();
    for (Requirement r : report.requirements()) {
      r.project()
          .ifPresent(
              p -> {
                if (!named.contains(p.toString())) {
                  named.add(p.toString());
                }
              });
    }
    return named.isEmpty() ? "any projects" : "projects " + named;
  }

  /** The extra findings of a declarative check: owner held, owner inactive. */
  static List<String> ownerFindings(Grant grant) {
    List<String> extra = new ArrayList<>();
    if (grant.holds("owner")) {
      extra.add("owner: the token holds owner, which implies every permission");
    }
    if (!ownerActive(grant)) {
      extra.add(
          "owner status: "
              + grant.ownerStatus().map(s -> "\"" + s + "\"").orElse("(none)")
              + " is not active");
    }
    return extra;
  }
}
