package dev.patguard.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.patguard.http.Refusals;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The path a request is matched on, as a container presents it: context path stripped, decoded, and
 * refused (400, with the raw URI as the path) when not in normal form or not what the container
 * dispatches. The hostile paths themselves are PathCheckTest's and HostileInputs'.
 */
class RequestTargetTest {

  private static HttpServletRequest request(
      String uri, String contextPath, String servletPath, @Nullable String pathInfo) {
    HttpServletRequest req = mock(HttpServletRequest.class);
    when(req.getMethod()).thenReturn("GET");
    when(req.getRequestURI()).thenReturn(uri);
    when(req.getContextPath()).thenReturn(contextPath);
    when(req.getServletPath()).thenReturn(servletPath);
    when(req.getPathInfo()).thenReturn(pathInfo);
    return req;
  }

  private static void assertRefused(RequestTarget t, String raw, String why) {
    assertEquals(raw, t.path(), "a refusal names the raw URI");
    assertEquals(why, t.problem());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // uri                          | context | servlet path | path info            | matched
        // path
        "/app/api/projects/p1/releases  | /app    |              | /api/projects/p1/releases | /api/projects/p1/releases",
        "/app/api/projects/p1/releases  | /app    | /api         | /projects/p1/releases | /api/projects/p1/releases",
        "/api/projects/p1/releases      |         |              | /api/projects/p1/releases | /api/projects/p1/releases",
        "/app/api/caf%C3%A9             | /app    |              | /api/café            | /api/café",
        "/api/caf%C3%A9                 |         |              | /api/café            | /api/café",
        "/app                           | /app    |              |                      | /",
        "/app/                          | /app    |              | /                    | /"
      })
  void ofWhenDispatchedPathMatchesTheUriThenTheInContextDecodedPath(
      String uri,
      @Nullable String context,
      @Nullable String servletPath,
      @Nullable String pathInfo,
      String matched) {
    RequestTarget t =
        RequestTarget.of(
            request(
                uri,
                context == null ? "" : context,
                servletPath == null ? "" : servletPath,
                pathInfo),
            DispatcherType.REQUEST);
    assertNull(t.problem(), () -> String.valueOf(t.problem()));
    assertEquals("GET", t.method());
    assertEquals(matched, t.path());
  }

  @Test
  void ofWhenUriNotInNormalFormThenRefusedNamingWhy() {
    assertRefused(
        RequestTarget.of(
            request("/app/api/../admin", "/app", "", "/admin"), DispatcherType.REQUEST),
        "/app/api/../admin",
        "the path contains a '.' or '..' segment");
  }

  @Test
  void ofWhenUriOutsideTheContextPathThenRefused() {
    assertRefused(
        RequestTarget.of(request("/other/api", "/app", "", "/api"), DispatcherType.REQUEST),
        "/other/api",
        "the path does not start with the context path");
  }

  @Test
  void ofWhenContainerWouldDispatchAnotherPathThenRefused() {
    // A container that decoded ';' path parameters away, or normalised differently: the policy
    // would
    // be matched on a path the application never serves.
    assertRefused(
        RequestTarget.of(
            request("/app/api/public", "/app", "", "/api/admin"), DispatcherType.REQUEST),
        "/app/api/public",
        "the container would dispatch another path than the one requested");
  }

  @Test
  void ofWhenIncludeThenTheIncludedPathNotTheRequests() {
    HttpServletRequest req = request("/app/public/include", "/app", "/public/include", null);
    when(req.getAttribute(RequestDispatcher.INCLUDE_REQUEST_URI))
        .thenReturn("/app/api/projects/p1/releases");
    when(req.getAttribute(RequestDispatcher.INCLUDE_CONTEXT_PATH)).thenReturn("/app");
    RequestTarget t = RequestTarget.of(req, DispatcherType.INCLUDE);
    assertNull(t.problem());
    assertEquals("/api/projects/p1/releases", t.path(), "an include is matched on its own path");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''    | ''       | /       | true",
        "''    | ''       | ''      | true",
        "''    | ''       | /a      | false",
        "/a    | ''       | /a      | true",
        "/a    | /b       | /a/b    | true",
        "''    | /a/b     | /a/b    | true",
        "/a    | /b       | /ab     | false",
        "/a    | /b       | /a/bc   | false",
        "/a/b  | ''       | /a      | false"
      })
  void dispatchesToWhenServletPathAndPathInfoThenComparedWithThePathInPlace(
      String servletPath, String pathInfo, String path, boolean expected) {
    assertEquals(expected, RequestTarget.dispatchesTo(servletPath, pathInfo, path));
  }

  @Test
  void ofWhenRefusedThenNoChallengeIsSent() {
    RequestTarget t =
        RequestTarget.of(request("/app//api", "/app", "", "/api"), DispatcherType.REQUEST);
    String problem = t.problem();
    assertNotNull(problem);
    assertTrue(problem.contains("empty segment"), problem);
    assertFalse(
        new Refusals("patguard", 5).badPath(problem).headers().containsKey("WWW-Authenticate"),
        "a bad path is not about credentials");
  }
}
