package dev.patguard.decision;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.patguard.internal.Json;
import java.util.List;

/**
 * Renders decisions as JSON, in patguard's own shape or AuthZEN's.
 *
 * <p>patguard's shape:
 *
 * <pre>{@code
 * {"decision":"DENY",
 *  "token":{"fingerprint":"3f2a9c1b","id":"…","ownerId":"…","ownerEmail":"…","note":"…"},
 *  "requirements":["releases:deploy@web-shop"],
 *  "reasons":[{"code":"PERMISSION_MISSING","detail":"releases:deploy"}],
 *  "warnings":[],
 *  "explanation":"DENY token 3f2a9c1b: PERMISSION_MISSING releases:deploy"}
 * }</pre>
 *
 * An indeterminate decision has {@code "cause"} and {@code "detail"} instead of reasons. The
 * AuthZEN shape is {@code {"decision": true|false, "context": {…}}} with the same content in the
 * context; {@code decision} is {@code true} only for a permit.
 */
public final class DecisionJson {
  private DecisionJson() {}

  /**
   * patguard's shape, as a tree.
   *
   * @param decision the decision to render
   * @param requirements what was asked, rendered in order with {@link Requirement#toString()}; may
   *     be empty
   * @return a new tree the caller may change; token fields that are not known are JSON {@code null}
   */
  public static ObjectNode toTree(Decision decision, List<Requirement> requirements) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode o = f.objectNode();
    o.put("decision", outcome(decision));
    TokenSubject s = decision.subject();
    ObjectNode token = o.putObject("token");
    token.put("fingerprint", s.fingerprint());
    token.put("id", s.tokenId() == null ? null : s.tokenId().toString());
    token.put("ownerId", s.ownerId() == null ? null : s.ownerId().toString());
    token.put("ownerEmail", s.ownerEmail());
    token.put("note", s.note());
    ArrayNode reqs = o.putArray("requirements");
    requirements.forEach(r -> reqs.add(r.toString()));
    if (decision instanceof Decision.Deny deny) {
      ArrayNode reasons = o.putArray("reasons");
      for (DenyReason r : deny.reasons()) {
        ObjectNode ro = reasons.addObject();
        ro.put("code", r.code().name());
        ro.put("detail", r.detail());
      }
    } else if (decision instanceof Decision.Indeterminate ind) {
      o.put("cause", ind.cause().name());
      o.put("detail", ind.detail());
    }
    ArrayNode warnings = o.putArray("warnings");
    for (Warning w : decision.warnings()) {
      ObjectNode wo = warnings.addObject();
      wo.put("code", w.code().name());
      wo.put("detail", w.detail());
    }
    o.put("explanation", decision.explain());
    return o;
  }

  /**
   * patguard's shape, as text.
   *
   * @param decision the decision to render
   * @param requirements what was asked, in order; may be empty
   * @return compact JSON on one line
   */
  public static String toJson(Decision decision, List<Requirement> requirements) {
    return write(toTree(decision, requirements));
  }

  /**
   * patguard's shape, as text, without requirements.
   *
   * @param decision the decision to render
   * @return compact JSON on one line, its {@code requirements} array empty
   */
  public static String toJson(Decision decision) {
    return toJson(decision, List.of());
  }

  /**
   * The AuthZEN evaluation response shape, as a tree.
   *
   * @param decision the decision to render
   * @param requirements what was asked, in order; may be empty
   * @return a new tree: {@code decision} true only for a permit, {@code context} patguard's shape
   *     plus {@code reason_admin.en}, the explanation
   */
  public static ObjectNode toAuthZenTree(Decision decision, List<Requirement> requirements) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("decision", decision.isPermit());
    ObjectNode context = toTree(decision, requirements);
    ObjectNode reasonAdmin = context.putObject("reason_admin");
    reasonAdmin.put("en", decision.explain());
    o.set("context", context);
    return o;
  }

  /**
   * The AuthZEN evaluation response shape, as text.
   *
   * @param decision the decision to render
   * @param requirements what was asked, in order; may be empty
   * @return compact JSON on one line
   */
  public static String toAuthZenJson(Decision decision, List<Requirement> requirements) {
    return write(toAuthZenTree(decision, requirements));
  }

  /**
   * The outcome's name, as the {@code decision} field of patguard's shape holds it.
   *
   * @param decision the decision
   * @return {@code PERMIT}, {@code DENY} or {@code INDETERMINATE}
   */
  public static String outcome(Decision decision) {
    if (decision instanceof Decision.Permit) {
      return "PERMIT";
    }
    return decision instanceof Decision.Deny ? "DENY" : "INDETERMINATE";
  }

  private static String write(ObjectNode node) {
    try {
      return Json.mapper().writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("writing a JSON tree cannot fail", e);
    }
  }
}
