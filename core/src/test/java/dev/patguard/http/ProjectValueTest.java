package dev.patguard.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.patguard.decision.ProjectRef;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ProjectValueTest {
  @Test
  void singleWhenOneBareValueThenTheProject() {
    assertEquals(
        ProjectRef.byKey("web-shop"), ProjectValue.single("path projectId", List.of("web-shop")));
    UUID id = UUID.fromString("3f1c2a9e-0000-4000-8000-000000000001");
    assertEquals(
        ProjectRef.byId(id), ProjectValue.single("header X-Project", List.of(id.toString())));
  }

  @Test
  void singleWhenNoneSeveralOrPrefixedThenOneLineNamingTheSource() {
    assertEquals(
        "no project: the header X-Project is missing",
        assertThrows(
                IllegalArgumentException.class,
                () -> ProjectValue.single("header X-Project", List.of()))
            .getMessage());
    assertEquals(
        "several projects: the query project is repeated",
        assertThrows(
                IllegalArgumentException.class,
                () -> ProjectValue.single("query project", List.of("a", "a")))
            .getMessage());
    for (String prefixed : List.of("key:web-shop", "id:3f1c2a9e-0000-4000-8000-000000000001", "")) {
      assertEquals(
          "the project path projectId is not a bare project key or UUID (key: and id: prefixes"
              + " are for policies only)",
          assertThrows(
                  IllegalArgumentException.class,
                  () -> ProjectValue.single("path projectId", List.of(prefixed)))
              .getMessage(),
          prefixed);
    }
  }
}
