package dev.patguard.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProjectRefTest {
  private static final String WEB_SHOP_ID = "3c90c3cc-0d44-4b50-8888-8dd25736052a";

  @ParameterizedTest
  @ValueSource(strings = {"web-shop", "w", "Web_Shop.2", "0web", "k" + "0123456789"})
  void parseBareWhenBareKeyThenNamedByKey(String key) {
    assertEquals(ProjectRef.byKey(key), ProjectRef.parseBare(key));
  }

  @Test
  void parseBareWhenKeyIs128CharactersThenNamedByKey() {
    String key = "k".repeat(128);
    assertEquals(ProjectRef.byKey(key), ProjectRef.parseBare(key));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        WEB_SHOP_ID,
        "3C90C3CC-0D44-4B50-8888-8DD25736052A",
        "3c90C3cc-0D44-4b50-8888-8dd25736052A"
      })
  void parseBareWhenBareUuidInAnyCaseThenNamedById(String id) {
    ProjectRef p = ProjectRef.parseBare(id);

    assertEquals(ProjectRef.byId(UUID.fromString(WEB_SHOP_ID)), p);
    assertEquals(WEB_SHOP_ID, p.toString());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "key:web-shop;                                 the \"key:\" prefix is only for policies",
        "id:" + WEB_SHOP_ID + ";                       the \"id:\" prefix is only for policies",
        "id:not-a-uuid;                                the \"id:\" prefix is only for policies",
        "key:;                                         the \"key:\" prefix is only for policies",
        "-web-shop;                                    a key is 1-128 letters",
        ".hidden;                                      a key is 1-128 letters",
        "web shop;                                     a key is 1-128 letters",
        "web/shop;                                     a key is 1-128 letters",
        "web:shop;                                     a key is 1-128 letters",
        "KEY:web-shop;                                 a key is 1-128 letters",
        "w\u00e9b;                                     a key is 1-128 letters",
        "{" + WEB_SHOP_ID + "};                        a key is 1-128 letters"
      })
  void parseBareWhenNotABareKeyOrUuidThenRejectedNamingTheValueAndWhy(String value, String why) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ProjectRef.parseBare(value));

    assertTrue(
        e.getMessage().startsWith("project \"" + value + "\" is not a bare project key or UUID: "),
        e.getMessage());
    assertTrue(e.getMessage().contains(why), () -> "expected '" + why + "' in: " + e.getMessage());
  }

  @Test
  void parseBareWhenEmptyThenRejected() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ProjectRef.parseBare(""));

    assertEquals("project \"\" is not a bare project key or UUID: it is empty", e.getMessage());
  }

  @Test
  void parseBareWhenLongerThan128CharactersThenRejectedWithItsLengthAndACutValue() {
    String value = "k".repeat(129);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ProjectRef.parseBare(value));

    assertEquals(
        "project \""
            + "k".repeat(64)
            + "...\" is not a bare project key or UUID: it is 129 characters"
            + " long, and a key is at most 128",
        e.getMessage());
  }

  @Test
  void parseBareWhenNullThenNullPointerNamingTheArgument() {
    NullPointerException e =
        assertThrows(NullPointerException.class, () -> ProjectRef.parseBare(null));

    assertEquals("project must not be null", e.getMessage());
  }

  @Test
  void parseWhenPrefixedThenStillAcceptedForPoliciesAndRequirements() {
    assertEquals(ProjectRef.byKey("web-shop"), ProjectRef.parse("key:web-shop"));
    assertEquals(ProjectRef.byKey(WEB_SHOP_ID), ProjectRef.parse("key:" + WEB_SHOP_ID));
    assertEquals(
        ProjectRef.byId(UUID.fromString(WEB_SHOP_ID)), ProjectRef.parse("id:" + WEB_SHOP_ID));
  }

  @Test
  void parseBareWhenToStringOfAParsedValueThenReadsBackEqual() {
    for (String value : new String[] {"web-shop", WEB_SHOP_ID}) {
      ProjectRef p = ProjectRef.parseBare(value);
      assertEquals(p, ProjectRef.parseBare(p.toString()));
    }
  }
}
