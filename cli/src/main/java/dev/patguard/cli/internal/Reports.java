package dev.patguard.cli.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.patguard.decision.LeastPrivilegeReport;
import dev.patguard.decision.TokenSubject;
import java.util.Collection;

/** Least-privilege reports as JSON (SARIF: {@link Sarif}). */
final class Reports {
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

  private static void strings(ArrayNode a, Collection<String> values) {
    values.forEach(a::add);
  }
}
