package dev.patguard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.patguard.decision.PermissionModel;
import dev.patguard.internal.Json;
import dev.patguard.token.PersonalAccessToken;
import dev.patguard.token.SecretDigest;
import dev.patguard.token.TokenFormatException;
import dev.patguard.token.TokenJson;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * The bytes core writes to a shared level, version 1: a JSON object
 *
 * <pre>{@code
 * {"v":1, "kind":"known",     "until":<epoch ms>, "tokens":[<token in the BRMS seed shape>, ...]}
 * {"v":1, "kind":"rejected",  "until":<epoch ms>, "detail":"..."}
 * {"v":1, "kind":"forbidden", "until":<epoch ms>, "detail":"..."}
 * }</pre>
 *
 * A grant travels as the candidate tokens it was compiled from, not as a compiled grant: the reader
 * compiles them under its own permission model and names them by the fingerprint of the secret it
 * was presented, so that nothing in the entry can claim another token's fingerprint. {@code until}
 * is when the entry stops being valid by the writer's clock, so that a copy read late (or a store
 * that kept it too long) is never served past the writer's lifetime. Anything else — another
 * version, a missing or extra field, a wrong type, an empty candidate list, a control character in
 * a detail — is garbage, which the cache counts as a shared-level error and treats as a miss.
 */
final class SharedFacts {
  /** The only version read or written. */
  static final int VERSION = 1;

  /** Longest detail accepted from the shared level. */
  private static final int MAX_DETAIL = 200;

  private SharedFacts() {}

  /** What an entry says, and until when it may be used. */
  record Decoded(TokenFacts facts, Instant until) {}

  /** A shared entry that does not parse. Its message never quotes the entry. */
  static final class GarbageException extends Exception {
    private static final long serialVersionUID = 1L;

    GarbageException(String message) {
      super(message, null, false, false);
    }
  }

  /** A grant's entry; {@code candidates} must not be empty. */
  static byte[] known(List<PersonalAccessToken> candidates, Instant until) {
    ObjectNode o = header("known", until);
    ArrayNode tokens = o.putArray("tokens");
    candidates.forEach(t -> tokens.add(TokenJson.toTree(t)));
    return bytes(o);
  }

  /** A rejection's or a forbidden token's entry. */
  static byte[] denied(TokenFacts facts, Instant until) {
    String kind;
    String detail;
    if (facts instanceof TokenFacts.Rejected r) {
      kind = "rejected";
      detail = r.detail();
    } else if (facts instanceof TokenFacts.Forbidden f) {
      kind = "forbidden";
      detail = f.detail();
    } else {
      throw new IllegalArgumentException("only rejections are shared this way: " + facts);
    }
    ObjectNode o = header(kind, until);
    o.put("detail", detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) : detail);
    return bytes(o);
  }

  private static ObjectNode header(String kind, Instant until) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("v", VERSION);
    o.put("kind", kind);
    o.put("until", until.toEpochMilli());
    return o;
  }

  private static byte[] bytes(ObjectNode o) {
    try {
      return Json.mapper().writeValueAsBytes(o);
    } catch (IOException e) {
      throw new IllegalStateException("writing a JSON tree cannot fail", e);
    }
  }

  /**
   * Reads an entry, compiling a grant under {@code model} for the secret whose digest is {@code
   * digest}.
   *
   * @throws GarbageException if the bytes are not a version-1 entry
   */
  static Decoded decode(byte[] bytes, PermissionModel model, SecretDigest digest)
      throws GarbageException {
    JsonNode node;
    try {
      node = Json.mapper().readTree(bytes);
    } catch (IOException | RuntimeException e) {
      throw new GarbageException("the entry is not JSON");
    }
    if (node == null || !node.isObject()) {
      throw new GarbageException("the entry is not a JSON object");
    }
    JsonNode v = node.get("v");
    if (v == null || !v.isInt() || v.intValue() != VERSION) {
      throw new GarbageException("the entry is not of version " + VERSION);
    }
    JsonNode untilNode = node.get("until");
    if (untilNode == null || !untilNode.isIntegralNumber() || !untilNode.canConvertToLong()) {
      throw new GarbageException("the entry has no valid \"until\"");
    }
    Instant until;
    try {
      until = Instant.ofEpochMilli(untilNode.longValue());
    } catch (RuntimeException e) {
      throw new GarbageException("the entry's \"until\" is out of range");
    }
    JsonNode kind = node.get("kind");
    String k = kind != null && kind.isTextual() ? kind.textValue() : "";
    switch (k) {
      case "known":
        expectFields(node, 4, "tokens");
        JsonNode tokens = node.get("tokens");
        if (tokens == null || !tokens.isArray() || tokens.isEmpty()) {
          throw new GarbageException("a shared grant has no candidate tokens");
        }
        List<PersonalAccessToken> candidates;
        try {
          candidates = TokenJson.parseTokenList(tokens);
        } catch (TokenFormatException e) {
          throw new GarbageException("a shared grant's tokens do not parse: " + e.getMessage());
        }
        return new Decoded(TokenLookup.known(candidates, model, digest), until);
      case "rejected":
        expectFields(node, 4, "detail");
        return new Decoded(new TokenFacts.Rejected(detail(node)), until);
      case "forbidden":
        expectFields(node, 4, "detail");
        return new Decoded(new TokenFacts.Forbidden(detail(node)), until);
      default:
        throw new GarbageException("the entry is of no known kind");
    }
  }

  private static void expectFields(JsonNode node, int count, String field) throws GarbageException {
    if (node.size() != count || !node.has(field)) {
      throw new GarbageException("the entry does not have exactly v, kind, until and " + field);
    }
  }

  private static String detail(JsonNode node) throws GarbageException {
    JsonNode d = node.get("detail");
    if (d == null || !d.isTextual() || d.textValue().length() > MAX_DETAIL) {
      throw new GarbageException("the entry's detail is missing or too long");
    }
    String text = d.textValue();
    for (int i = 0; i < text.length(); i++) {
      if (Character.isISOControl(text.charAt(i))) {
        throw new GarbageException("the entry's detail has a control character");
      }
    }
    return text + " (shared by another guard)";
  }
}
