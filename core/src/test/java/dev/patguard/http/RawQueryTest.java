package dev.patguard.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class RawQueryTest {
  @Test
  void valuesWhenRepeatedOrBareThenAllInOrder() {
    assertEquals(
        List.of("a", "", "b c", "é/&"), RawQuery.values("p=a&q=1&p&x=&p=b+c&p=%C3%A9%2F%26", "p"));
    assertEquals(List.of("v"), RawQuery.values("a%20b=v", "a b"));
    assertEquals(List.of(), RawQuery.values(null, "p"));
    assertEquals(List.of(), RawQuery.values("", "p"));
    assertEquals(List.of(), RawQuery.values("pp=1&xp=2", "p"));
    assertEquals(List.of("1=2"), RawQuery.values("p=1=2", "p"));
    assertEquals(List.of("é"), RawQuery.values("p=é", "p"));
  }

  @Test
  void valuesWhenMalformedThenRefusedWithoutQuotingTheQuery() {
    for (String q :
        List.of("p=%", "p=%4", "p=%zz", "p=%C3", "p=%FF", "p=SECRET%xy", "p=SECRET%FE", "%=1")) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> RawQuery.values(q, "p"), q);
      assertFalse(e.getMessage().contains("SECRET"), e::getMessage);
      assertFalse(e.getMessage().contains(q), e::getMessage);
    }
    assertEquals(
        "malformed %-escape in the query string",
        assertThrows(IllegalArgumentException.class, () -> RawQuery.values("p=%4", "p"))
            .getMessage());
    assertEquals(
        "the query string is not valid UTF-8 once decoded",
        assertThrows(IllegalArgumentException.class, () -> RawQuery.values("p=%FF", "p"))
            .getMessage());
  }

  @Test
  void valuesWhenAnotherParameterIsMalformedThenStillRefused() {
    // Every name is decoded to compare it, so a broken pair anywhere is a malformed query.
    assertThrows(IllegalArgumentException.class, () -> RawQuery.values("x%=1&p=ok", "p"));
  }
}
