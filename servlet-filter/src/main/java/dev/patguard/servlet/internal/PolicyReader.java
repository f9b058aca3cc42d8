package dev.patguard.servlet.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.patguard.decision.Requirement;
import dev.patguard.decision.RequirementFormatException;
import dev.patguard.servlet.PolicyException;
import dev.patguard.servlet.ProjectSource;
import dev.patguard.servlet.RoutePolicy;
import dev.patguard.servlet.RouteRule;
import dev.patguard.servlet.Unmatched;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/** Reads JSON and YAML policy files, naming the rule and the field in every error. */
public final class PolicyReader {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final List<String> TOP_FIELDS = List.of("unmatched", "rules");
  private static final List<String> RULE_FIELDS =
      List.of("methods", "path", "requires", "project", "public");
  private static final List<String> PROJECT_FIELDS = List.of("from", "name");

  private PolicyReader() {}

  /** Reads and validates a policy. */
  public static RoutePolicy read(InputStream in, boolean yaml, String source) {
    JsonNode root;
    try {
      root = (yaml ? YAML : JSON).readTree(in);
    } catch (JsonProcessingException e) {
      throw new PolicyException(
          "policy "
              + source
              + ": not valid "
              + (yaml ? "YAML" : "JSON")
              + ": "
              + e.getOriginalMessage()
              + locationOf(e));
    } catch (IOException e) {
      throw new PolicyException("policy " + source + ": cannot read it: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new PolicyException(
          "policy " + source + ": the top level must be an object with \"rules\"");
    }
    String top = "policy " + source + ": ";
    unknownFields(root, TOP_FIELDS, top, "");
    RoutePolicy.Builder builder = RoutePolicy.builder();
    JsonNode unmatched = root.get("unmatched");
    if (unmatched != null) {
      try {
        builder.unmatched(Unmatched.parse(text(unmatched, "unmatched", top)));
      } catch (PolicyException e) {
        throw e;
      } catch (IllegalArgumentException e) {
        throw new PolicyException(top + "field \"unmatched\" " + e.getMessage());
      }
    }
    JsonNode rules = root.get("rules");
    if (rules == null || !rules.isArray()) {
      throw new PolicyException(top + "field \"rules\" must be a list of rules");
    }
    for (int i = 0; i < rules.size(); i++) {
      builder.rule(rule(rules.get(i), i + 1, source));
    }
    return builder.build();
  }

  private static RouteRule rule(JsonNode node, int index, String source) {
    String where = "policy " + source + " rule #" + index;
    if (!node.isObject()) {
      throw new PolicyException(where + ": must be an object");
    }
    String methodsText = node.has("methods") ? node.get("methods").toString() : "*";
    JsonNode pathNode = node.get("path");
    String label =
        "policy rule #"
            + index
            + " ("
            + describeMethods(node.get("methods"))
            + " "
            + (pathNode != null && pathNode.isTextual() ? pathNode.asText() : "?")
            + ") in "
            + source;
    String prefix = label + ": ";
    unknownFields(node, RULE_FIELDS, prefix, "");
    Set<String> methods = new TreeSet<>();
    JsonNode m = node.get("methods");
    if (m != null) {
      if (m.isTextual()) {
        methods.add(m.asText());
      } else if (m.isArray() && m.size() > 0) {
        for (JsonNode e : m) {
          methods.add(text(e, "methods", prefix));
        }
      } else {
        throw new PolicyException(
            prefix
                + "field \"methods\" must be a method name or a non-empty list of them;"
                + " got "
                + methodsText);
      }
    }
    if (pathNode == null) {
      throw new PolicyException(prefix + "field \"path\" is missing");
    }
    String path = text(pathNode, "path", prefix);
    boolean isPublic = false;
    JsonNode pub = node.get("public");
    if (pub != null) {
      if (!pub.isBoolean()) {
        throw new PolicyException(prefix + "field \"public\" must be true or false; got " + pub);
      }
      isPublic = pub.booleanValue();
    }
    Requirement requirement = null;
    JsonNode req = node.get("requires");
    if (req != null) {
      try {
        requirement = Requirement.parse(text(req, "requires", prefix));
      } catch (RequirementFormatException e) {
        throw new PolicyException(prefix + "field \"requires\" " + e.getMessage());
      }
    }
    ProjectSource project = null;
    JsonNode p = node.get("project");
    if (p != null) {
      if (!p.isObject()) {
        throw new PolicyException(
            prefix + "field \"project\" must be an object {from, name}; got " + p);
      }
      unknownFields(p, PROJECT_FIELDS, prefix, "project.");
      JsonNode from = p.get("from");
      if (from == null) {
        throw new PolicyException(
            prefix + "field \"project.from\" is missing (path, header or query)");
      }
      String fromText = text(from, "project.from", prefix);
      ProjectSource.From f = null;
      for (ProjectSource.From candidate : ProjectSource.From.values()) {
        if (candidate.text().equals(fromText)) {
          f = candidate;
        }
      }
      if (f == null) {
        throw new PolicyException(
            prefix
                + "field \"project.from\" must be one of path, header, query; got \""
                + fromText
                + "\"");
      }
      JsonNode name = p.get("name");
      if (name == null) {
        throw new PolicyException(prefix + "field \"project.name\" is missing");
      }
      try {
        project = new ProjectSource(f, text(name, "project.name", prefix));
      } catch (IllegalArgumentException e) {
        throw new PolicyException(prefix + "field \"project.name\" " + e.getMessage());
      }
    }
    try {
      return new RouteRule(methods, path, requirement, project, isPublic);
    } catch (IllegalArgumentException e) {
      throw new PolicyException(prefix + e.getMessage(), e);
    }
  }

  private static String describeMethods(@Nullable JsonNode m) {
    if (m == null) {
      return "*";
    }
    if (m.isTextual()) {
      return m.asText();
    }
    if (m.isArray()) {
      StringBuilder b = new StringBuilder();
      for (JsonNode e : m) {
        if (b.length() > 0) {
          b.append(',');
        }
        b.append(e.isTextual() ? e.asText() : e.toString());
      }
      return b.toString();
    }
    return m.toString();
  }

  private static String text(JsonNode node, String field, String prefix) {
    if (!node.isTextual()) {
      throw new PolicyException(prefix + "field \"" + field + "\" must be a string; got " + node);
    }
    return node.asText();
  }

  private static void unknownFields(JsonNode node, List<String> known, String prefix, String path) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String n = names.next();
      if (!known.contains(n)) {
        throw new PolicyException(
            prefix
                + "unknown field \""
                + path
                + n
                + "\" (known: "
                + String.join(", ", known)
                + ")");
      }
    }
  }

  private static String locationOf(JsonProcessingException e) {
    var loc = e.getLocation();
    return loc == null
        ? ""
        : String.format(Locale.ROOT, " (line %d, column %d)", loc.getLineNr(), loc.getColumnNr());
  }
}
