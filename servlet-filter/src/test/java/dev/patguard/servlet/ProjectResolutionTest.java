package dev.patguard.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import dev.patguard.decision.ProjectRef;
import dev.patguard.decision.Requirement;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which project a request is decided on: from the one source its rule names, as a bare key or UUID,
 * or a 400 saying what is wrong. Other sources are never read.
 */
class ProjectResolutionTest {
  private static final Requirement DEPLOY = Requirement.parse("releases:deploy");
  private static final String ID = "3c90c3cc-0d44-4b50-8888-8dd25736052a";
  private static final String NOT_BARE =
      " is not a bare project key or UUID (key: and id: prefixes are for policies only)";

  private static RouteMatch match(@Nullable ProjectSource source, Map<String, String> variables) {
    RouteRule rule =
        RouteRule.of("GET", "/api/projects/{projectId}/releases", "releases:deploy", source);
    return new RouteMatch(rule, variables, DEPLOY);
  }

  private static HttpServletRequest request(
      @Nullable String query, String header, List<String> values) {
    HttpServletRequest req = mock(HttpServletRequest.class);
    when(req.getQueryString()).thenReturn(query);
    when(req.getHeaders(header)).thenAnswer(i -> Collections.enumeration(values));
    return req;
  }

  private static void assertRefused(ProjectResolution r, String detail) {
    assertNull(r.requirement());
    assertEquals(detail, r.problem());
  }

  @Test
  void ofWhenRuleNamesNoSourceThenTheRulesOwnRequirementAndNothingRead() {
    HttpServletRequest req = mock(HttpServletRequest.class);
    ProjectResolution r = ProjectResolution.of(req, match(null, Map.of()), DEPLOY);
    assertSame(DEPLOY, r.requirement());
    assertNull(r.problem());
    verifyNoInteractions(req);
  }

  @Test
  void ofWhenPathVariableThenDecidedOnItWithoutReadingHeadersOrQuery() {
    HttpServletRequest req = mock(HttpServletRequest.class);
    ProjectResolution r =
        ProjectResolution.of(
            req, match(ProjectSource.path("projectId"), Map.of("projectId", "web-shop")), DEPLOY);
    assertEquals(DEPLOY.onProject(ProjectRef.byKey("web-shop")), r.requirement());
    verifyNoInteractions(req);
  }

  @Test
  void ofWhenHeaderHoldsAnUpperCaseUuidThenDecidedOnTheProjectById() {
    HttpServletRequest req =
        request("project=other", "X-Project", List.of(ID.toUpperCase(java.util.Locale.ROOT)));
    ProjectResolution r =
        ProjectResolution.of(req, match(ProjectSource.header("X-Project"), Map.of()), DEPLOY);
    assertEquals(DEPLOY.onProject(ProjectRef.byId(UUID.fromString(ID))), r.requirement());
    verify(req, never()).getQueryString(); // the other sources are never read
  }

  @Test
  void ofWhenQueryParameterThenDecidedOnIt() {
    HttpServletRequest req = request("a=1&project=web-shop&b=2", "X-Project", List.of("ignored"));
    ProjectResolution r =
        ProjectResolution.of(req, match(ProjectSource.query("project"), Map.of()), DEPLOY);
    assertEquals(DEPLOY.onProject(ProjectRef.byKey("web-shop")), r.requirement());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "header | ''                     | no project: the header X-Project is missing",
        "header | proj-1,proj-2          | several projects: the header X-Project is repeated",
        "query  | ''                     | no project: the query project is missing",
        "query  | proj-1,proj-2          | several projects: the query project is repeated",
        "query  | %zz                    | malformed %-escape in the query string",
        "header | key:web-shop           | the project header X-Project" + NOT_BARE,
        "query  | -web-shop              | the project query project" + NOT_BARE,
        "header | web shop               | the project header X-Project" + NOT_BARE
      })
  void ofWhenValueMissingRepeatedOrNotBareThen400SayingWhat(
      String from, String values, String detail) {
    List<String> list = values.isEmpty() ? List.of() : List.of(values.split(","));
    String query =
        list.isEmpty() ? null : String.join("&", list.stream().map(v -> "project=" + v).toList());
    HttpServletRequest req =
        request(
            from.equals("query") ? query : null,
            "X-Project",
            from.equals("header") ? list : List.of());
    ProjectSource source =
        from.equals("query") ? ProjectSource.query("project") : ProjectSource.header("X-Project");
    assertRefused(ProjectResolution.of(req, match(source, Map.of()), DEPLOY), detail);
  }
}
