package dev.patguard.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequirementTest {
  private static final String WEB_SHOP_ID = "3c90c3cc-0d44-4b50-8888-8dd25736052a";

  @Nested
  class Parse {
    @Test
    void parseWhenSinglePermissionThenAllOfThatOneWithoutProject() {
      Requirement r = Requirement.parse("releases:deploy");

      assertEquals(List.of("releases:deploy"), r.permissions());
      assertEquals(Requirement.Match.ALL_OF, r.match());
      assertEquals(Optional.empty(), r.project());
      assertEquals(Requirement.allOf("releases:deploy"), r);
    }

    @Test
    void parseWhenCommaSeparatedThenAllOfInOrder() {
      Requirement r = Requirement.parse("releases:deploy,releases:manage@web-shop");

      assertEquals(List.of("releases:deploy", "releases:manage"), r.permissions());
      assertEquals(Requirement.Match.ALL_OF, r.match());
      assertEquals(Optional.of(ProjectRef.byKey("web-shop")), r.project());
    }

    @Test
    void parseWhenPipeSeparatedThenAnyOf() {
      Requirement r = Requirement.parse("releases:deploy|owner@web-shop");

      assertEquals(List.of("releases:deploy", "owner"), r.permissions());
      assertEquals(Requirement.Match.ANY_OF, r.match());
      assertEquals(Requirement.anyOf("releases:deploy", "owner").onProject("web-shop"), r);
    }

    @Test
    void parseWhenProjectIsAKeyThenNamedByKey() {
      ProjectRef p = Requirement.parse("releases:deploy@web-shop").project().orElseThrow();

      assertEquals("web-shop", p.key());
      assertEquals(null, p.id());
    }

    @ParameterizedTest
    @ValueSource(strings = {WEB_SHOP_ID, "3C90C3CC-0D44-4B50-8888-8DD25736052A"})
    void parseWhenProjectIsUuidShapedThenNamedById(String id) {
      ProjectRef p = Requirement.parse("releases:deploy@" + id).project().orElseThrow();

      assertEquals(UUID.fromString(WEB_SHOP_ID), p.id());
      assertEquals(null, p.key());
    }

    @Test
    void parseWhenAuthenticatedThenNoPermissionNoProject() {
      Requirement r = Requirement.parse("authenticated");

      assertTrue(r.isAuthenticatedOnly());
      assertEquals(List.of(), r.permissions());
      assertEquals(Optional.empty(), r.project());
      assertEquals(Requirement.authenticated(), r);
    }

    @Test
    void parseWhenAuthenticatedOnAProjectThenNoPermissionOnThatProject() {
      Requirement r = Requirement.parse("authenticated@web-shop");

      assertTrue(r.isAuthenticatedOnly());
      assertEquals(Optional.of(ProjectRef.byKey("web-shop")), r.project());
      assertEquals(Requirement.authenticated().onProject("web-shop"), r);
    }

    @Test
    void parseWhenSurroundedByWhitespaceThenNamesAreStripped() {
      assertEquals(
          Requirement.parse("releases:deploy,releases:manage@web-shop"),
          Requirement.parse("  releases:deploy , releases:manage@web-shop "));
    }

    @Test
    void parseWhenNameRepeatedThenKeptOnce() {
      assertEquals(
          List.of("releases:deploy", "owner"),
          Requirement.parse("releases:deploy,owner,releases:deploy").permissions());
    }

    @Test
    void parseWhenUnknownButWellFormedNameThenKeptVerbatim() {
      assertEquals(
          List.of("Releases:Deploy", "widgets.v2:frob_nicate"),
          Requirement.parse("Releases:Deploy,widgets.v2:frob_nicate").permissions());
    }
  }

  @Nested
  class ParseErrors {
    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(
        delimiter = ';',
        quoteCharacter = '`',
        value = {
          "``;                                      empty",
          "`   `;                                   empty",
          "releases:deploy,owner|documents;         mixes",
          "releases:deploy,,owner;                  empty permission name",
          ",releases:deploy;                        empty permission name",
          "releases:deploy|;                        empty permission name",
          "@web-shop;                               empty permission name",
          "releases deploy;                         not a permission name",
          "releases:*;                              not a permission name",
          "releases::deploy;                        not a permission name",
          ":deploy;                                 not a permission name",
          "releases:;                               not a permission name",
          "r\u00e9leases:deploy;                    not a permission name",
          "releases/deploy;                         not a permission name",
          "releases:deploy@web-shop@prod;           more than one '@'",
          "releases:deploy@;                        nothing after '@'",
          "releases:deploy@-web-shop;               project key",
          "releases:deploy@web shop;                project key",
          "releases:deploy@web/shop;                project key",
          "releases:deploy@.hidden;                 project key"
        })
    void parseWhenMalformedThenExceptionQuotesTheInputAndSaysWhy(String input, String why) {
      RequirementFormatException e =
          assertThrows(RequirementFormatException.class, () -> Requirement.parse(input));

      assertEquals(input, e.input());
      assertTrue(e.getMessage().contains("\"" + input + "\""), e.getMessage());
      assertTrue(
          e.getMessage().contains(why), () -> "expected '" + why + "' in: " + e.getMessage());
    }

    @Test
    void parseWhenProjectKeyIsTooLongThenRejected() {
      String input = "releases:deploy@" + "k".repeat(129);

      assertThrows(RequirementFormatException.class, () -> Requirement.parse(input));
      Requirement.parse("releases:deploy@" + "k".repeat(128));
    }

    @Test
    void allOfWhenNoNamesThenRejected() {
      assertThrows(IllegalArgumentException.class, () -> Requirement.allOf(new String[0]));
      assertThrows(IllegalArgumentException.class, () -> Requirement.anyOf(new String[0]));
      assertThrows(IllegalStateException.class, () -> Requirement.builder().build());
      assertThrows(IllegalArgumentException.class, () -> Requirement.allOf("releases deploy"));
    }
  }

  @Nested
  class TextForm {
    @ParameterizedTest
    @ValueSource(
        strings = {
          "releases:deploy",
          "releases:deploy,releases:manage@web-shop",
          "releases:deploy|owner@web-shop",
          "releases:deploy@" + WEB_SHOP_ID,
          "authenticated",
          "authenticated@web-shop",
          "authenticated@" + WEB_SHOP_ID,
          "Releases:Deploy@proj-10",
          "releases:deploy|releases:deploy",
          "owner|owner@web-shop"
        })
    void toStringWhenParsedBackThenEqualRequirement(String text) {
      Requirement r = Requirement.parse(text);

      Requirement again = Requirement.parse(r.toString());

      assertEquals(r, again);
      assertEquals(r.hashCode(), again.hashCode());
      assertEquals(r.toString(), again.toString());
    }

    @Test
    void toStringWhenBuiltInCodeThenParsedBackEqual() {
      List<Requirement> built =
          List.of(
              Requirement.allOf("releases:deploy", "releases:manage"),
              Requirement.anyOf("releases:deploy", "owner")
                  .onProject(ProjectRef.byId(UUID.fromString(WEB_SHOP_ID))),
              Requirement.anyOf("releases:deploy"),
              Requirement.allOf(Permission.RELEASES_DEPLOY, Permission.DOCUMENTS_FULL)
                  .onProject("web-shop"),
              Requirement.builder()
                  .permission("releases:deploy")
                  .match(Requirement.Match.ANY_OF)
                  .build(),
              Requirement.authenticated().onProject("proj-1"));

      for (Requirement r : built) {
        assertEquals(r, Requirement.parse(r.toString()), () -> "round trip of " + r);
      }
    }

    @Test
    void toStringWhenProjectGivenThenIdOrKeyAfterTheAt() {
      assertEquals(
          "releases:deploy|owner@web-shop",
          Requirement.parse("releases:deploy|owner@web-shop").toString());
      assertEquals(
          "releases:deploy@" + WEB_SHOP_ID,
          Requirement.parse("releases:deploy@" + WEB_SHOP_ID.toUpperCase(java.util.Locale.ROOT))
              .toString());
    }

    @Test
    void anyOfWhenOnlyOnePermissionThenEqualToAllOfIt() {
      assertEquals(Requirement.allOf("releases:deploy"), Requirement.anyOf("releases:deploy"));
      assertEquals(Requirement.Match.ALL_OF, Requirement.parse("owner|owner").match());
      assertEquals(Requirement.Match.ANY_OF, Requirement.parse("owner|releases:deploy").match());
    }

    @Test
    void authenticatedWhenCalledTwiceThenSameInstance() {
      assertSame(Requirement.authenticated(), Requirement.authenticated());
    }
  }
}
