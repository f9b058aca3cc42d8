package dev.patguard.cli.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.patguard.decision.LeastPrivilegeReport;
import dev.patguard.decision.TokenSubject;
import java.util.Collection;

/** Least-privilege reports as JSON and as SARIF 2.1.0. */
final class Reports {
  static final String SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

  /** The SARIF rules: id, level, short description. */
  enum Rule {
    EXCESS_PERMISSION(
        "patguard/excess-permission",
        "error",
        "The token holds a permission its requirements do not need."),
    EXCESS_PROJECT(
        "patguard/excess-project",
        "error",
        "The token is scoped to a project its requirements do not name."),
    MISSING_PERMISSION(
        "patguard/missing-permission",
        "error",
        "The token lacks a permission its requirements need."),
    MISSING_PROJECT(
        "patguard/missing-project",
        "error",
        "The token is not scoped to a project its requirements name."),
    NEVER_EXPIRES("patguard/never-expires", "warning", "The token never expires."),
    LIFETIME_TOO_LONG(
        "patguard/lifetime-too-long",
        "warning",
        "The token expires later than the maximum lifetime."),
    EXPIRED("patguard/expired", "error", "The token has expired.");

    final String id;
    final String level;
    final String description;

    Rule(String id, String level, String description) {
      this.id = id;
      this.level = level;
      this.description = description;
    }
  }

  private Reports() {}

  static ObjectNode toJson(LeastPrivilegeReport r) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.set("token", token(r.subject()));
    strings(o.putArray("requirements"), r.requirements().stream().map(Object::toString).toList());
    strings(o.putArray("declared"), r.declared());
    strings(o.putArray("granted"), r.granted().stream().sorted().toList());
    strings(o.putArray("needed"), r.needed().stream().sorted().toList());
    strings(o.putArray("excessPermissions"), r.excessPermissions());
    strings(o.putArray("missingPermissions"), r.missingPermissions());
    o.put("allProjects", r.allProjects());
    strings(o.putArray("excessProjects"), r.excessProjects());
    strings(o.putArray("missingProjects"), r.missingProjects());
    o.put("expiresAt", r.expiresAt() == null ? null : r.expiresAt().toString());
    o.put("maxLifetime", r.maxLifetime() == null ? null : r.maxLifetime().toString());
    strings(o.putArray("lifetimeFindings"), r.lifetimeFindings().stream().map(Enum::name).toList());
    strings(o.putArray("findings"), r.findings());
    o.put("leastPrivilege", r.isLeastPrivilege());
    return o;
  }

  static ObjectNode token(TokenSubject s) {
    ObjectNode t = JsonNodeFactory.instance.objectNode();
    t.put("fingerprint", s.fingerprint());
    t.put("id", s.tokenId() == null ? null : s.tokenId().toString());
    t.put("ownerId", s.ownerId() == null ? null : s.ownerId().toString());
    return t;
  }

  /**
   * SARIF 2.1.0: one run, the rules, one result per finding (each permission or project
   * separately).
   */
  static ObjectNode toSarif(LeastPrivilegeReport r, String version) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode sarif = f.objectNode();
    sarif.put("$schema", SARIF_SCHEMA);
    sarif.put("version", "2.1.0");
    ObjectNode run = sarif.putArray("runs").addObject();
    ObjectNode driver = run.putObject("tool").putObject("driver");
    driver.put("name", "patguard");
    driver.put("version", version);
    driver.put("informationUri", "https://github.com/patguard/patguard");
    ArrayNode rules = driver.putArray("rules");
    for (Rule rule : Rule.values()) {
      ObjectNode ro = rules.addObject();
      ro.put("id", rule.id);
      ro.putObject("shortDescription").put("text", rule.description);
      ro.putObject("defaultConfiguration").put("level", rule.level);
    }
    ArrayNode results = run.putArray("results");
    String who = r.subject().label();
    String reqs = String.join(", ", r.requirements().stream().map(Object::toString).toList());
    for (String p : r.excessPermissions()) {
      result(
          results,
          r,
          Rule.EXCESS_PERMISSION,
          who + " holds " + p + ", which " + reqs + " does not need");
    }
    if (r.allProjects() && !r.excessProjects().isEmpty()) {
      result(
          results,
          r,
          Rule.EXCESS_PROJECT,
          who + " covers all projects (allProjects), but " + reqs + " names only some");
    } else {
      for (String p : r.excessProjects()) {
        result(
            results,
            r,
            Rule.EXCESS_PROJECT,
            who + " is scoped to project " + p + ", which " + reqs + " does not name");
      }
    }
    for (String p : r.missingPermissions()) {
      result(
          results, r, Rule.MISSING_PERMISSION, who + " lacks " + p + ", which " + reqs + " needs");
    }
    for (String p : r.missingProjects()) {
      result(results, r, Rule.MISSING_PROJECT, who + " is not scoped to project " + p);
    }
    for (LeastPrivilegeReport.LifetimeFinding lf : r.lifetimeFindings()) {
      switch (lf) {
        case NEVER_EXPIRES:
          result(
              results,
              r,
              Rule.NEVER_EXPIRES,
              who
                  + " never expires"
                  + (r.maxLifetime() == null ? "" : " (maximum lifetime " + r.maxLifetime() + ")"));
          break;
        case EXPIRES_AFTER_HORIZON:
          result(
              results,
              r,
              Rule.LIFETIME_TOO_LONG,
              who
                  + " expires "
                  + r.expiresAt()
                  + ", later than the maximum lifetime "
                  + r.maxLifetime());
          break;
        default:
          result(results, r, Rule.EXPIRED, who + " expired at " + r.expiresAt());
      }
    }
    return sarif;
  }

  private static void result(ArrayNode results, LeastPrivilegeReport r, Rule rule, String message) {
    ObjectNode o = results.addObject();
    o.put("ruleId", rule.id);
    o.put("ruleIndex", rule.ordinal());
    o.put("level", rule.level);
    o.putObject("message").put("text", message);
    ObjectNode props = o.putObject("properties");
    props.setAll(token(r.subject()));
    // No source file is involved: the token is the "location", named logically.
    o.putArray("locations")
        .addObject()
        .putArray("logicalLocations")
        .addObject()
        .put("name", r.subject().label())
        .put("kind", "resource");
  }

  private static void strings(ArrayNode a, Collection<String> values) {
    values.forEach(a::add);
  }
}
