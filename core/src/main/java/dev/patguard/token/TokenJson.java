package dev.patguard.token;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.patguard.internal.Json;
import dev.patguard.internal.Uuids;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes the BRMS token JSON.
 *
 * <p>Binding is done by hand from a tree rather than by Jackson's data binding, because Jackson's
 * coercions would widen access: it reads {@code "allProjects": "true"} as {@code true} and a
 * missing boolean as {@code false}. Here every field a decision depends on must be present and of
 * its JSON type:
 *
 * <ul>
 *   <li>required: {@code id} (UUID string), {@code permissions} (array of strings), {@code
 *       allProjects} (boolean), {@code user} (object with a UUID {@code id}) and {@code expiresAt}
 *       (timestamp string, or {@code null} for a token that never expires: an absent field is an
 *       error, because reading it as "never expires" would widen access);
 *   <li>optional: {@code note}, {@code projects} (absent: none), timestamps, and the user's other
 *       fields; a missing {@code user.status} reads as {@code null}, which is not active.
 * </ul>
 *
 * Unknown fields are ignored. Every error is a {@link TokenFormatException} naming the JSON path.
 */
public final class TokenJson {
  private TokenJson() {}

  /**
   * Parses one token object.
   *
   * @param json the object's text: one JSON value, no trailing content, no duplicate keys, at most
   *     32 levels deep
   * @return the token
   * @throws TokenFormatException if the text is not such JSON or does not describe a token
   */
  public static PersonalAccessToken parseToken(String json) {
    return parseToken(readTree(json));
  }

  /**
   * Parses one token object from UTF-8 bytes.
   *
   * @param json the object, UTF-8 encoded: one JSON value, no trailing content, no duplicate keys,
   *     at most 32 levels deep
   * @return the token
   * @throws TokenFormatException if the bytes are not such JSON or do not describe a token
   */
  public static PersonalAccessToken parseToken(byte[] json) {
    return parseToken(readTree(json));
  }

  /**
   * Binds one token object from a tree.
   *
   * @param node the token object, already parsed
   * @return the token
   * @throws TokenFormatException if {@code node} does not describe a token, naming the path from
   *     {@code $}
   */
  public static PersonalAccessToken parseToken(JsonNode node) {
    return token(node, "$");
  }

  /**
   * Parses a plain JSON array of token objects, as the list endpoints answer.
   *
   * @param json the array's text: one JSON value, no trailing content, no duplicate keys, at most
   *     32 levels deep
   * @return the tokens in the array's order, unmodifiable; empty for {@code []}
   * @throws TokenFormatException if the text is not such JSON, not an array, or an element does not
   *     describe a token (the path names it, such as {@code $[3].user.id})
   */
  public static List<PersonalAccessToken> parseTokenList(String json) {
    return parseTokenList(readTree(json));
  }

  /**
   * Parses a plain JSON array of token objects from UTF-8 bytes.
   *
   * @param json the array, UTF-8 encoded: one JSON value, no trailing content, no duplicate keys,
   *     at most 32 levels deep
   * @return the tokens in the array's order, unmodifiable
   * @throws TokenFormatException if the bytes are not such JSON, not an array, or an element does
   *     not describe a token
   */
  public static List<PersonalAccessToken> parseTokenList(byte[] json) {
    return parseTokenList(readTree(json));
  }

  /**
   * Binds a JSON array of token objects from a tree.
   *
   * @param node the array, already parsed
   * @return the tokens in the array's order, unmodifiable
   * @throws TokenFormatException if {@code node} is not an array or an element does not describe a
   *     token
   */
  public static List<PersonalAccessToken> parseTokenList(JsonNode node) {
    if (!node.isArray()) {
      throw new TokenFormatException("$", "must be an array of tokens but was " + kind(node));
    }
    List<PersonalAccessToken> tokens = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      tokens.add(token(node.get(i), "$[" + i + "]"));
    }
    return List.copyOf(tokens);
  }

  /**
   * Writes a token in the BRMS seed shape (timestamps as ISO-8601 instants).
   *
   * @param token the token
   * @return compact JSON on one line, which {@link #parseToken(String)} reads back to an equal
   *     token
   */
  public static String write(PersonalAccessToken token) {
    try {
      return Json.mapper().writeValueAsString(toTree(token));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("writing a token tree cannot fail", e);
    }
  }

  /**
   * The token as a JSON tree in the BRMS seed shape.
   *
   * @param token the token
   * @return a new tree the caller may change; fields the token lacks are JSON {@code null}
   */
  public static ObjectNode toTree(PersonalAccessToken token) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode o = f.objectNode();
    o.put("id", token.id().toString());
    o.put("note", token.note());
    ArrayNode permissions = o.putArray("permissions");
    token.permissions().forEach(permissions::add);
    o.put("allProjects", token.allProjects());
    ArrayNode projects = o.putArray("projects");
    for (Project p : token.projects()) {
      ObjectNode po = projects.addObject();
      po.put("id", p.id().toString());
      po.put("name", p.name());
      po.put("organisationId", p.organisationId() == null ? null : p.organisationId().toString());
      po.put("version", p.version());
      po.put("createdAt", text(p.createdAt()));
      po.put("updatedAt", text(p.updatedAt()));
      po.put("key", p.key());
      po.put("protected", p.isProtected());
    }
    TokenOwner u = token.user();
    ObjectNode uo = o.putObject("user");
    uo.put("id", u.id().toString());
    uo.put("email", u.email());
    uo.put("type", u.type());
    uo.put("status", u.status());
    uo.put("createdAt", text(u.createdAt()));
    uo.put("updatedAt", text(u.updatedAt()));
    uo.put("firstName", u.firstName());
    uo.put("lastName", u.lastName());
    uo.put("isService", u.isService());
    o.put("createdAt", text(token.createdAt()));
    o.put("updatedAt", text(token.updatedAt()));
    o.put("expiresAt", text(token.expiresAt()));
    return o;
  }

  private static @Nullable String text(@Nullable Instant instant) {
    return instant == null ? null : instant.toString();
  }

  private static JsonNode readTree(String json) {
    try {
      return Json.mapper().readTree(json);
    } catch (IOException e) {
      throw notJson(e);
    }
  }

  private static JsonNode readTree(byte[] json) {
    try {
      return Json.mapper().readTree(json);
    } catch (IOException e) {
      throw notJson(e);
    }
  }

  private static TokenFormatException notJson(IOException e) {
    String detail =
        e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
    if (detail != null && detail.length() > 200) {
      detail = detail.substring(0, 200) + "…";
    }
    return new TokenFormatException("$", "is not valid JSON (" + detail + ")", e);
  }

  private static PersonalAccessToken token(@Nullable JsonNode node, String path) {
    requireObject(node, path);
    // Paths for messages are built only when a message is: a token has some thirty fields.
    UUID id = uuid(required(node, "id", path), path, "id");
    String note = optionalText(node, "note", path);
    List<String> permissions = permissions(required(node, "permissions", path), path);
    boolean allProjects = bool(required(node, "allProjects", path), path, "allProjects");
    List<Project> projects = projects(node.get("projects"), path);
    TokenOwner user = owner(required(node, "user", path), path + ".user");
    Instant createdAt = optionalInstant(node, "createdAt", path);
    Instant updatedAt = optionalInstant(node, "updatedAt", path);
    JsonNode expires = required(node, "expiresAt", path);
    Instant expiresAt = expires.isNull() ? null : instant(expires, path, "expiresAt");
    return new PersonalAccessToken(
        id,
        note == null ? "" : note,
        permissions,
        allProjects,
        projects,
        user,
        createdAt,
        updatedAt,
        expiresAt);
  }

  private static List<String> permissions(JsonNode node, String tokenPath) {
    if (!node.isArray()) {
      throw new TokenFormatException(
          tokenPath + ".permissions", "must be an array of strings but was " + kind(node));
    }
    List<String> names = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      JsonNode item = node.get(i);
      if (!item.isTextual()) {
        throw new TokenFormatException(
            tokenPath + ".permissions[" + i + "]", "must be a string but was " + kind(item));
      }
      names.add(item.textValue());
    }
    return names;
  }

  private static List<Project> projects(@Nullable JsonNode node, String tokenPath) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    String path = tokenPath + ".projects";
    if (!node.isArray()) {
      throw new TokenFormatException(path, "must be an array of projects but was " + kind(node));
    }
    List<Project> projects = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      String p = path + "[" + i + "]";
      JsonNode item = node.get(i);
      requireObject(item, p);
      projects.add(
          new Project(
              uuid(required(item, "id", p), p, "id"),
              optionalText(item, "name", p),
              optionalUuid(item, "organisationId", p),
              optionalText(item, "version", p),
              optionalText(item, "key", p),
              optionalBool(item, "protected", p),
              optionalInstant(item, "createdAt", p),
              optionalInstant(item, "updatedAt", p)));
    }
    return projects;
  }

  private static TokenOwner owner(JsonNode node, String path) {
    requireObject(node, path);
    return new TokenOwner(
        uuid(required(node, "id", path), path, "id"),
        optionalText(node, "email", path),
        optionalText(node, "type", path),
        optionalText(node, "status", path),
        optionalText(node, "firstName", path),
        optionalText(node, "lastName", path),
        optionalBool(node, "isService", path),
        optionalInstant(node, "createdAt", path),
        optionalInstant(node, "updatedAt", path));
  }

  private static void requireObject(@Nullable JsonNode node, String path) {
    if (node == null || !node.isObject()) {
      throw new TokenFormatException(path, "must be an object but was " + kind(node));
    }
  }

  private static JsonNode required(JsonNode parent, String field, String path) {
    JsonNode value = parent.get(field);
    if (value == null) {
      throw new TokenFormatException(path + "." + field, "is missing");
    }
    return value;
  }

  private static UUID uuid(JsonNode node, String path, String field) {
    if (!node.isTextual()) {
      throw new TokenFormatException(
          path + "." + field, "must be a UUID string but was " + kind(node));
    }
    String text = node.textValue();
    // UUID.fromString accepts short forms such as "1-1-1-1-1", and any 36-character string with
    // five '-'-separated parts Long.parseLong can read ("0000000000000001-1-1-1-0000000000001",
    // "+0000000-0000-…"): require the canonical 8-4-4-4-12 hex digits.
    if (!Uuids.isCanonical(text)) {
      throw new TokenFormatException(
          path + "." + field, "must be a UUID but was \"" + abbreviate(text) + "\"");
    }
    return UUID.fromString(text);
  }

  private static @Nullable UUID optionalUuid(JsonNode parent, String field, String path) {
    JsonNode node = parent.get(field);
    return node == null || node.isNull() ? null : uuid(node, path, field);
  }

  private static boolean bool(JsonNode node, String path, String field) {
    if (!node.isBoolean()) {
      throw new TokenFormatException(path + "." + field, "must be a boolean but was " + kind(node));
    }
    return node.booleanValue();
  }

  private static boolean optionalBool(JsonNode parent, String field, String path) {
    JsonNode node = parent.get(field);
    return node != null && !node.isNull() && bool(node, path, field);
  }

  private static @Nullable String optionalText(JsonNode parent, String field, String path) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new TokenFormatException(path + "." + field, "must be a string but was " + kind(node));
    }
    return node.textValue();
  }

  private static @Nullable Instant optionalInstant(JsonNode parent, String field, String path) {
    JsonNode node = parent.get(field);
    return node == null || node.isNull() ? null : instant(node, path, field);
  }

  private static Instant instant(JsonNode node, String path, String field) {
    if (!node.isTextual()) {
      throw new TokenFormatException(
          path + "." + field, "must be a timestamp string but was " + kind(node));
    }
    try {
      return Timestamps.parse(node.textValue());
    } catch (DateTimeParseException e) {
      throw new TokenFormatException(
          path + "." + field,
          "must be an ISO-8601 timestamp but was \"" + abbreviate(node.textValue()) + "\"",
          e);
    }
  }

  private static String kind(@Nullable JsonNode node) {
    if (node == null) {
      return "missing";
    }
    switch (node.getNodeType()) {
      case STRING:
        return "a string";
      case NUMBER:
        return "a number";
      case BOOLEAN:
        return "a boolean";
      case ARRAY:
        return "an array";
      case OBJECT:
        return "an object";
      case NULL:
        return "null";
      default:
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "…";
  }
}
