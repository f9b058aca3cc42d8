package dev.patguard.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patguard.PatGuard;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutePolicyTest {
  private static RoutePolicy yaml(String text) {
    return RoutePolicy.read(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
        RoutePolicy.Format.YAML,
        "p.yaml");
  }

  private static RoutePolicy json(String text) {
    return RoutePolicy.read(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
        RoutePolicy.Format.JSON,
        "p.json");
  }

  private static final String FIRST = "  - {methods: [GET], path: /health, public: true}\n";

  @Test
  void readWhenProjectFromUnknownThenNamesRuleAndField() {
    PolicyException e =
        assertThrows(
            PolicyException.class,
            () ->
                yaml(
                    "rules:\n"
                        + FIRST
                        + "  - methods: [POST]\n    path: /api/projects/{projectId}/deploy\n    requires: releases:deploy\n"
                        + "    project: {from: cookie, name: projectId}\n"));
    assertEquals(
        "policy rule #2 (POST /api/projects/{projectId}/deploy) in p.yaml: field \"project.from\" must be"
            + " one of path, header, query; got \"cookie\"",
        e.getMessage());
  }

  @Test
  void readWhenUnknownFieldThenNamesRuleAndField() {
    PolicyException e =
        assertThrows(
            PolicyException.class,
            () ->
                json(
                    "{\"rules\":[{\"path\":\"/a\","
                        + "\"requires\":\"releases\",\"permision\":\"x\"}]}"));
    assertTrue(
        e.getMessage().startsWith("policy rule #1 (* /a) in p.json: unknown field \"permision\""),
        e.getMessage());
  }

  @Test
  void readWhenUnknownTopLevelFieldThenFails() {
    PolicyException e = assertThrows(PolicyException.class, () -> yaml("rulez: []\n"));
    assertTrue(e.getMessage().contains("unknown field \"rulez\""), e.getMessage());
  }

  @Test
  void readWhenBadTemplateThenNamesRuleAndPathField() {
    for (String bad :
        new String[] {
          "api/x", "/a//b", "/a/../b", "/a/**/b", "/a/{x}{y}", "/a/%2F", "/a;b", "/a/"
        }) {
      PolicyException e =
          assertThrows(
              PolicyException.class,
              () ->
                  yaml(
                      "rules:\n"
                          + FIRST
                          + "  - {methods: GET, path: '"
                          + bad
                          + "', requires: releases}\n"),
              bad);
      assertTrue(
          e.getMessage().startsWith("policy rule #2 (GET " + bad + ") in p.yaml: field \"path\""),
          e.getMessage());
    }
  }

  @Test
  void readWhenPathVariableMissingThenNamesProjectName() {
    PolicyException e =
        assertThrows(
            PolicyException.class,
            () ->
                yaml(
                    "rules:\n"
                        + "  - {methods: POST, path: '/p/{id}', requires: releases, project: {from: path, name: projectId}}\n"));
    assertTrue(e.getMessage().contains("field \"project.name\""), e.getMessage());
  }

  @Test
  void readWhenBadRequirementOrMethodThenNamesField() {
    assertTrue(
        assertThrows(
                PolicyException.class,
                () -> yaml("rules:\n  - {path: /a, requires: 'releases deploy'}\n"))
            .getMessage()
            .contains("field \"requires\""));
    assertTrue(
        assertThrows(
                PolicyException.class,
                () -> yaml("rules:\n  - {methods: post, path: /a, requires: x}\n"))
            .getMessage()
            .contains("field \"methods\""));
    assertTrue(
        assertThrows(PolicyException.class, () -> yaml("rules:\n  - {path: /a}\n"))
            .getMessage()
            .contains("field \"requires\" is missing"));
    assertTrue(
        assertThrows(PolicyException.class, () -> yaml("unmatched: maybe\nrules: []\n"))
            .getMessage()
            .contains("field \"unmatched\""));
  }

  @Test
  void readWhenDuplicateKeyThenFails() {
    assertThrows(
        PolicyException.class,
        () -> json("{\"rules\":[{\"path\":\"/a\",\"path\":\"/b\",\"public\":true}]}"));
  }

  @Test
  void builderWhenBadRuleThenNamesIndex() {
    PolicyException e =
        assertThrows(
            PolicyException.class,
            () ->
                RoutePolicy.builder()
                    .publicRoute("GET", "/health")
                    .rule("POST", "/x/{a}", "releases:deploy", ProjectSource.path("b")));
    assertTrue(
        e.getMessage().startsWith("policy rule #2 (POST /x/{a}): field \"project.name\""),
        e.getMessage());
  }

  @Test
  void matchWhenTemplatesThenSegmentsExactAndCaseSensitive() {
    RoutePolicy p =
        RoutePolicy.builder()
            .rule(
                "POST",
                "/api/projects/{projectId}/releases/deploy",
                "releases:deploy",
                ProjectSource.path("projectId"))
            .publicRoute("*", "/static/**")
            .build();
    RouteMatch m = p.match("POST", "/api/projects/proj-1/releases/deploy").orElseThrow();
    assertEquals(Map.of("projectId", "proj-1"), m.variables());
    assertTrue(p.match("POST", "/api/projects/proj-1/Releases/deploy").isEmpty());
    assertTrue(p.match("POST", "/api/projects/proj-1/releases/deploy/").isEmpty());
    assertTrue(p.match("POST", "/api/projects//releases/deploy").isEmpty());
    assertTrue(p.match("GET", "/api/projects/proj-1/releases/deploy").isEmpty());
    assertTrue(p.match("GET", "/static").isPresent());
    assertTrue(p.match("GET", "/static/a/b/c").isPresent());
    assertTrue(
        p.withUnmatched(Unmatched.AUTHENTICATED)
            .match("GET", "/x")
            .orElseThrow()
            .requirement()
            .isAuthenticatedOnly());
    assertEquals(
        null, p.withUnmatched(Unmatched.ALLOW).match("GET", "/x").orElseThrow().requirement());
  }

  /**
   * The first rule whose methods and template match, asked rule by rule: what find's method bits
   * must agree with.
   */
  private static java.util.Optional<RouteRule> firstApplying(
      RoutePolicy p, String method, String path) {
    return p.rules().stream()
        .filter(
            r ->
                r.appliesTo(method)
                    && dev.patguard.servlet.internal.PathTemplate.compile(r.path()).match(path)
                        != null)
        .findFirst();
  }

  @Test
  void matchWhenMethodsVaryThenTheFirstRuleApplyingToTheMethodWins() {
    RoutePolicy p =
        RoutePolicy.builder()
            .rule("GET", "/a/{x}", "releases:deploy", null)
            .rule("POST,PUT", "/a/{x}", "releases:deploy", null)
            .publicRoute("*", "/a/{x}")
            .rule("DELETE", "/a/{x}", "releases:deploy", null)
            .rule("PATCH,DELETE", "/b", "releases:deploy", null)
            .build();
    for (String method :
        List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "get", "", "GETX")) {
      for (String path : List.of("/a/1", "/b", "/c")) {
        assertEquals(
            firstApplying(p, method, path),
            p.match(method, path).map(RouteMatch::rule),
            method + " " + path);
      }
    }
    assertEquals(
        p.rules().get(2), p.match("DELETE", "/a/1").orElseThrow().rule(), "* comes before DELETE");
    assertTrue(p.match("GET", "/b").isEmpty());
  }

  @Test
  void matchWhenMoreThan63MethodsThenStillRuleByRule() {
    RoutePolicy.Builder b = RoutePolicy.builder();
    for (int i = 0; i < 70; i++) {
      b.rule(
          "M" + (char) ('A' + i / 26) + (char) ('A' + i % 26), "/m/" + i, "releases:deploy", null);
    }
    RoutePolicy p = b.publicRoute("*", "/any").build();
    for (int i = 0; i < 70; i++) {
      String method = "M" + (char) ('A' + i / 26) + (char) ('A' + i % 26);
      assertEquals(p.rules().get(i), p.match(method, "/m/" + i).orElseThrow().rule(), method);
      assertTrue(p.match(method, "/m/" + ((i + 1) % 70)).isEmpty(), method);
    }
    assertTrue(p.match("OTHER", "/any").isPresent());
  }

  @Test
  void builderWhenCollaboratorsNullThenSaysWhich() {
    assertEquals(
        "guard must not be null",
        assertThrows(NullPointerException.class, () -> PatGuardFilter.builder().guard(null))
            .getMessage());
    assertEquals(
        "policy must not be null",
        assertThrows(NullPointerException.class, () -> PatGuardFilter.builder().policy(null))
            .getMessage());
    PatGuard guard = PatGuard.builder().baseUrl("http://127.0.0.1:9").build();
    assertEquals(
        "policy must not be null",
        assertThrows(NullPointerException.class, () -> new PatGuardFilter(guard, null))
            .getMessage());
    assertTrue(
        assertThrows(
                NullPointerException.class, () -> PatGuardFilter.builder().guard(guard).build())
            .getMessage()
            .startsWith("policy must not be null"));
    assertThrows(IllegalArgumentException.class, () -> PatGuardFilter.builder().realm("a\"b"));
    assertThrows(IllegalArgumentException.class, () -> PatGuardFilter.builder().maxTokenLength(0));
  }
}
