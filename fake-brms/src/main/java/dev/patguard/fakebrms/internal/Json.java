package dev.patguard.fakebrms.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.patguard.fakebrms.FakeProject;
import dev.patguard.fakebrms.FakeToken;
import dev.patguard.fakebrms.FakeUser;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Renders the PAT object in the seed's field order, timestamps as {@code 2026-11-29T12:00:00.000Z}.
 */
final class Json {

  static final ObjectMapper MAPPER = new ObjectMapper();

  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private static final Instant FIRST_PLAIN_YEAR = Instant.parse("0000-01-01T00:00:00Z");
  private static final Instant AFTER_LAST_PLAIN_YEAR = Instant.parse("+10000-01-01T00:00:00Z");

  private Json() {}

  static String timestamp(Instant instant) {
    // Beyond year 9999 (which LocalDateTime cannot always hold) write what JavaScript's
    // toISOString and Instant#toString write: a signed, extended year.
    if (instant.isBefore(FIRST_PLAIN_YEAR) || !instant.isBefore(AFTER_LAST_PLAIN_YEAR)) {
      return instant.toString();
    }
    return TIMESTAMP.format(instant);
  }

  static ObjectNode pat(FakeToken token, @Nullable String secret) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("id", token.id().toString());
    node.put("note", token.note());
    ArrayNode permissions = node.putArray("permissions");
    token.permissions().forEach(permissions::add);
    node.put("allProjects", token.allProjects());
    ArrayNode projects = node.putArray("projects");
    token.projects().forEach(p -> projects.add(project(p)));
    node.set("user", user(token.user()));
    node.put("createdAt", timestamp(token.createdAt()));
    node.put("updatedAt", timestamp(token.updatedAt()));
    Instant expiresAt = token.expiresAt();
    if (expiresAt == null) {
      node.putNull("expiresAt");
    } else {
      node.put("expiresAt", timestamp(expiresAt));
    }
    if (secret != null) {
      node.put("token", secret);
    }
    return node;
  }

  static ArrayNode pats(List<FakeToken> tokens) {
    ArrayNode array = MAPPER.createArrayNode();
    tokens.forEach(t -> array.add(pat(t, null)));
    return array;
  }

  static ObjectNode message(String message) {
    return MAPPER.createObjectNode().put("message", message);
  }

  static byte[] bytes(Object node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectNode project(FakeProject project) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("id", project.id().toString());
    node.put("name", project.name());
    node.put("organisationId", project.organisationId().toString());
    node.put("version", project.version());
    node.put("createdAt", timestamp(project.createdAt()));
    node.put("updatedAt", timestamp(project.updatedAt()));
    node.put("key", project.key());
    node.put("protected", project.isProtected());
    return node;
  }

  private static ObjectNode user(FakeUser user) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("id", user.id().toString());
    node.put("email", user.email());
    node.put("type", user.type());
    node.put("status", user.status());
    node.put("createdAt", timestamp(user.createdAt()));
    node.put("updatedAt", timestamp(user.updatedAt()));
    node.put("firstName", user.firstName());
    node.put("lastName", user.lastName());
    node.put("isService", user.isService());
    return node;
  }
}
