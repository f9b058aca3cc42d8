package dev.patguard.token;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.patguard.decision.Authorizer;
import dev.patguard.decision.Decision;
import dev.patguard.decision.DenyReason;
import dev.patguard.decision.Grant;
import dev.patguard.decision.PermissionModel;
import dev.patguard.decision.Requirement;
import dev.patguard.testing.TestTokens;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TokenJsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static ObjectNode seedTree() {
    try {
      return (ObjectNode) MAPPER.readTree(TestTokens.seedJson());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String seedWith(Consumer<ObjectNode> change) {
    ObjectNode tree = seedTree();
    change.accept(tree);
    return tree.toString();
  }

  private static ObjectNode user(ObjectNode token) {
    return (ObjectNode) token.get("user");
  }

  private static ObjectNode firstProject(ObjectNode token) {
    return (ObjectNode) token.get("projects").get(0);
  }

  @Nested
  class SeedFixture {
    @Test
    void parseTokenWhenSeedFixtureThenEveryFieldIsMapped() {
      PersonalAccessToken t = TokenJson.parseToken(TestTokens.seedJson());

      assertAll(
          () -> assertEquals(UUID.fromString("3c90c3cc-0d44-4b50-8888-8dd25736052a"), t.id()),
          () -> assertEquals("ci deploy", t.note()),
          () ->
              assertEquals(
                  List.of("releases:deploy", "releases:manage", "documents:view-content"),
                  t.permissions()),
          () -> assertFalse(t.allProjects()),
          () -> assertEquals(Instant.parse("2026-01-15T09:30:00Z"), t.createdAt()),
          () -> assertEquals(Instant.parse("2026-01-16T14:05:30.500Z"), t.updatedAt()),
          () -> assertEquals(Instant.parse("2026-04-15T09:30:00Z"), t.expiresAt()),
          () -> assertEquals(1, t.projects().size()));

      Project p = t.projects().get(0);
      assertAll(
          () -> assertEquals(UUID.fromString("7f1d2e3a-4b5c-4d6e-8f70-8192a3b4c5d6"), p.id()),
          () -> assertEquals("Web Shop", p.name()),
          () ->
              assertEquals(
                  UUID.fromString("0b9e8d7c-6a5b-4c3d-9e2f-1a0b9c8d7e6f"), p.organisationId()),
          () -> assertEquals("2", p.version()),
          () -> assertEquals(Instant.parse("2025-06-01T08:00:00Z"), p.createdAt()),
          () -> assertEquals(Instant.parse("2025-12-20T16:45:10.250Z"), p.updatedAt()),
          () -> assertEquals("web-shop", p.key()),
          () -> assertTrue(p.isProtected()));

      TokenOwner u = t.user();
      assertAll(
          () -> assertEquals(UUID.fromString("5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d"), u.id()),
          () -> assertEquals("ci-bot@example.com", u.email()),
          () -> assertEquals("service account", u.type()),
          () -> assertEquals("active", u.status()),
          () -> assertEquals(Instant.parse("2025-05-30T10:00:00Z"), u.createdAt()),
          () -> assertEquals(Instant.parse("2025-11-02T11:11:11Z"), u.updatedAt()),
          () -> assertEquals("CI", u.firstName()),
          () -> assertEquals("Bot", u.lastName()),
          () -> assertTrue(u.isService()));
    }

    @Test
    void writeWhenSeedFixtureParsedThenParsingTheOutputGivesAnEqualToken() {
      PersonalAccessToken parsed = TokenJson.parseToken(TestTokens.seedJson());

      String written = TokenJson.write(parsed);

      assertEquals(parsed, TokenJson.parseToken(written));
    }

    @Test
    void writeWhenOptionalFieldsAreAbsentThenRoundTripKeepsThemAbsent() {
      PersonalAccessToken sparse =
          TokenJson.parseToken(
              seedWith(
                  t -> {
                    t.remove("note");
                    t.remove("createdAt");
                    t.remove("updatedAt");
                    t.putNull("expiresAt");
                    ObjectNode u = user(t);
                    u.retain("id");
                    ObjectNode p = firstProject(t);
                    p.retain("id");
                  }));

      assertEquals(sparse, TokenJson.parseToken(TokenJson.write(sparse)));
      assertNull(sparse.user().email());
      assertNull(sparse.projects().get(0).key());
      assertEquals("", sparse.note());
    }

    @Test
    void writeWhenCalledThenOutputHasTheSeedShape() throws Exception {
      JsonNode written =
          MAPPER.readTree(TokenJson.write(TokenJson.parseToken(TestTokens.seedJson())));

      for (String field :
          List.of(
              "id",
              "note",
              "permissions",
              "allProjects",
              "projects",
              "user",
              "createdAt",
              "updatedAt",
              "expiresAt")) {
        assertTrue(written.has(field), field);
      }
      assertTrue(written.get("allProjects").isBoolean());
      assertTrue(written.get("projects").get(0).get("protected").isBoolean());
      assertTrue(written.get("user").get("isService").isBoolean());
    }

    @Test
    void parseTokenWhenGivenBytesThenSameAsString() {
      assertEquals(
          TokenJson.parseToken(TestTokens.seedJson()),
          TokenJson.parseToken(TestTokens.seedJson().getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void parseTokenListWhenArrayOfTwoThenBothInOrder() {
      ObjectNode second = seedTree();
      second.put("id", "11111111-2222-4333-8444-555555555555");
      ArrayNode list = MAPPER.createArrayNode().add(seedTree()).add(second);

      List<PersonalAccessToken> tokens = TokenJson.parseTokenList(list.toString());

      assertEquals(2, tokens.size());
      assertEquals(UUID.fromString("3c90c3cc-0d44-4b50-8888-8dd25736052a"), tokens.get(0).id());
      assertEquals(UUID.fromString("11111111-2222-4333-8444-555555555555"), tokens.get(1).id());
    }

    @Test
    void parseTokenListWhenSecondElementIsBadThenPathNamesItsIndex() {
      ObjectNode second = seedTree();
      second.remove("id");
      ArrayNode list = MAPPER.createArrayNode().add(seedTree()).add(second);

      TokenFormatException e =
          assertThrows(TokenFormatException.class, () -> TokenJson.parseTokenList(list.toString()));

      assertEquals("$[1].id", e.path());
    }

    @Test
    void parseTokenWhenUnknownFieldsArePresentThenTheyAreIgnored() {
      String withExtras =
          seedWith(
              t -> {
                t.put("scopes", "everything");
                t.putObject("future").put("nested", true);
                user(t).put("avatarUrl", "https://example.com/a.png");
                firstProject(t).putArray("tags").add("x");
              });

      assertEquals(TokenJson.parseToken(TestTokens.seedJson()), TokenJson.parseToken(withExtras));
    }

    @Test
    void parseTokenWhenExpiresAtIsNullThenTheTokenNeverExpires() {
      PersonalAccessToken t = TokenJson.parseToken(seedWith(o -> o.putNull("expiresAt")));

      assertNull(t.expiresAt());
      assertTrue(t.expiry().isEmpty());
      assertFalse(t.isExpiredAt(Instant.parse("9999-01-01T00:00:00Z")));
    }

    @Test
    void parseTokenWhenTimestampHasAnOffsetThenItIsReadAsTheSameInstant() {
      PersonalAccessToken t =
          TokenJson.parseToken(seedWith(o -> o.put("expiresAt", "2026-04-15T11:30:00.000+02:00")));

      assertEquals(Instant.parse("2026-04-15T09:30:00Z"), t.expiresAt());
    }

    @Test
    void parseTokenWhenUserStatusIsMissingThenStatusIsNullAndTheTokenIsDeniedOwnerInactive() {
      PersonalAccessToken t = TokenJson.parseToken(seedWith(o -> user(o).remove("status")));

      assertNull(t.user().status());
      Decision d =
          Authorizer.standard()
              .decide(
                  Grant.compile(t, PermissionModel.strict()),
                  Requirement.parse("releases:deploy@web-shop"),
                  Instant.parse("2026-03-01T00:00:00Z"));
      Decision.Deny deny = assertInstanceOf(Decision.Deny.class, d);
      assertEquals(
          List.of(DenyReason.Code.OWNER_INACTIVE),
          deny.reasons().stream().map(DenyReason::code).toList());
    }

    @Test
    void parseTokenWhenProjectsIsAbsentThenThereAreNone() {
      PersonalAccessToken t = TokenJson.parseToken(seedWith(o -> o.remove("projects")));

      assertEquals(List.of(), t.projects());
    }
  }

  @Nested
  class Rejections {
    static Stream<Arguments> badTokens() {
      return Stream.of(
          bad("id missing", t -> t.remove("id"), "$.id"),
          bad("permissions missing", t -> t.remove("permissions"), "$.permissions"),
          bad("allProjects missing", t -> t.remove("allProjects"), "$.allProjects"),
          bad("user missing", t -> t.remove("user"), "$.user"),
          bad("user.id missing", t -> user(t).remove("id"), "$.user.id"),
          bad(
              "expiresAt missing (absent is not 'never')",
              t -> t.remove("expiresAt"),
              "$.expiresAt"),
          bad(
              "permissions containing a number",
              t -> ((ArrayNode) t.get("permissions")).add(42),
              "$.permissions[3]"),
          bad(
              "permissions containing null",
              t -> ((ArrayNode) t.get("permissions")).addNull(),
              "$.permissions[3]"),
          bad(
              "permissions as a single string",
              t -> t.put("permissions", "owner"),
              "$.permissions"),
          bad("permissions null", t -> t.putNull("permissions"), "$.permissions"),
          bad(
              "allProjects as the string \"true\"",
              t -> t.put("allProjects", "true"),
              "$.allProjects"),
          bad("allProjects as the number 1", t -> t.put("allProjects", 1), "$.allProjects"),
          bad("allProjects null", t -> t.putNull("allProjects"), "$.allProjects"),
          bad("user as a string", t -> t.put("user", "ci-bot"), "$.user"),
          bad("user null", t -> t.putNull("user"), "$.user"),
          bad("user.status as a number", t -> user(t).put("status", 1), "$.user.status"),
          bad("id not a UUID", t -> t.put("id", "not-a-uuid"), "$.id"),
          bad("id in short form 1-1-1-1-1", t -> t.put("id", "1-1-1-1-1"), "$.id"),
          bad(
              "id 36 characters but not canonical",
              t -> t.put("id", "0000000000000001-1-1-1-0000000000001"),
              "$.id"),
          bad("id with a sign", t -> t.put("id", "+0000000-0000-0000-0000-000000000000"), "$.id"),
          bad("id as a number", t -> t.put("id", 12345), "$.id"),
          bad("user.id not a UUID", t -> user(t).put("id", "ci-bot"), "$.user.id"),
          bad("expiresAt not a timestamp", t -> t.put("expiresAt", "next tuesday"), "$.expiresAt"),
          bad(
              "expiresAt without an offset",
              t -> t.put("expiresAt", "2026-04-15T09:30:00"),
              "$.expiresAt"),
          bad("expiresAt as epoch millis", t -> t.put("expiresAt", 1776245400000L), "$.expiresAt"),
          bad(
              "createdAt an impossible date",
              t -> t.put("createdAt", "2026-13-45T00:00:00Z"),
              "$.createdAt"),
          bad("projects[0].id missing", t -> firstProject(t).remove("id"), "$.projects[0].id"),
          bad(
              "projects[0].protected as a string",
              t -> firstProject(t).put("protected", "yes"),
              "$.projects[0].protected"),
          bad("projects as an object", t -> t.putObject("projects"), "$.projects"));
    }

    private static Arguments bad(String name, Consumer<ObjectNode> change, String path) {
      return Arguments.of(Named.of(name, change), path);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    void parseTokenWhenFieldIsMissingOrMistypedThenExceptionNamesIt(
        Consumer<ObjectNode> change, String path) {
      String json = seedWith(change);

      TokenFormatException e =
          assertThrows(TokenFormatException.class, () -> TokenJson.parseToken(json));

      assertEquals(path, e.path());
      assertTrue(
          e.getMessage().contains(path),
          () -> "message should name " + path + ": " + e.getMessage());
    }

    @Test
    void parseTokenWhenTopLevelIsAnArrayThenRejected() {
      String array = "[" + TestTokens.seedJson() + "]";

      TokenFormatException e =
          assertThrows(TokenFormatException.class, () -> TokenJson.parseToken(array));

      assertEquals("$", e.path());
      assertTrue(e.getMessage().contains("object"), e.getMessage());
    }

    @Test
    void parseTokenListWhenTopLevelIsAnObjectThenRejected() {
      TokenFormatException e =
          assertThrows(
              TokenFormatException.class, () -> TokenJson.parseTokenList(TestTokens.seedJson()));

      assertEquals("$", e.path());
      assertTrue(e.getMessage().contains("array"), e.getMessage());
    }

    @Test
    void parseTokenWhenTextIsNotJsonThenRejected() {
      TokenFormatException e =
          assertThrows(
              TokenFormatException.class,
              () -> TokenJson.parseToken("<html>502 Bad Gateway</html>"));

      assertEquals("$", e.path());
      assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
    }

    @Test
    void parseTokenWhenJsonIsTruncatedThenRejected() {
      String json = TestTokens.seedJson();
      String truncated = json.substring(0, json.length() / 2);

      assertThrows(TokenFormatException.class, () -> TokenJson.parseToken(truncated));
    }

    @Test
    void parseTokenWhenTrailingGarbageFollowsThenRejected() {
      assertThrows(
          TokenFormatException.class, () -> TokenJson.parseToken(TestTokens.seedJson() + " {}"));
    }

    @Test
    void parseTokenWhenEmptyTextThenRejected() {
      assertThrows(TokenFormatException.class, () -> TokenJson.parseToken(""));
    }

    @Test
    void parseTokenWhenDuplicateFieldThenRejected() {
      String json =
          TestTokens.seedJson()
              .replaceFirst(
                  "\"allProjects\": false", "\"allProjects\": false, \"allProjects\": true");

      assertThrows(TokenFormatException.class, () -> TokenJson.parseToken(json));
    }

    @Test
    void parseTokenWhenNestingIsTenThousandDeepThenFormatExceptionNotStackOverflow() {
      String deep = "[".repeat(10_000) + "]".repeat(10_000);
      String deepInField = "{\"id\":" + "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000) + "}";

      assertThrows(TokenFormatException.class, () -> TokenJson.parseToken(deep));
      assertThrows(TokenFormatException.class, () -> TokenJson.parseTokenList(deep));
      assertThrows(TokenFormatException.class, () -> TokenJson.parseToken(deepInField));
      assertThrows(
          TokenFormatException.class,
          () -> TokenJson.parseToken(deep.getBytes(StandardCharsets.UTF_8)));
    }
  }
}
