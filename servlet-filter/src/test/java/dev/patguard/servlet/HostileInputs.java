package dev.patguard.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patguard.fakebrms.MintedToken;
import dev.patguard.servlet.support.RawHttp;
import dev.patguard.servlet.support.ServletContainer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * One row per hostile request, sent raw over a socket. Each row names the statuses it may get (the
 * filter's answer, or the container's where the container refuses first), whether it may reach
 * BRMS, and never accepts 200 for a guarded route unless the row is a well-formed permit.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HostileInputs {
  private static final String DEPLOY = "/app/api/projects/proj-1/releases/deploy";
  private GuardedApp app;
  private MintedToken good;
  private MintedToken padded;

  /** The id of proj-1, which {@link #good} is scoped to. */
  private String proj1Id;

  private final List<String> report = new ArrayList<>();

  abstract ServletContainer.Factory factory();

  @BeforeAll
  void start() throws Exception {
    app = new GuardedApp(factory(), false);
    good =
        app.brms.mint(
            t ->
                t.permissions("releases:deploy")
                    .projects("proj-1")
                    .secret("GoodToken-1.x_y~z+w/v"));
    padded =
        app.brms.mint(
            t -> t.permissions("releases:deploy").projects("proj-1").secret("PaddedToken0abc=="));
    app.brms.mint(t -> t.permissions("releases:deploy").projects("proj-10").secret("TenToken10"));
    proj1Id = app.brms.project("proj-1").orElseThrow().id().toString();
  }

  @AfterAll
  void stop() throws Exception {
    Path out = Path.of("target", "hostile-" + app.container.name() + ".txt");
    Files.createDirectories(out.getParent());
    Files.write(out, report, StandardCharsets.UTF_8);
    app.close();
  }

  /**
   * A row: a name, the raw request head and body, the statuses allowed, whether BRMS may be asked.
   */
  record Row(String name, String head, String body, Set<Integer> expected, boolean mayLookUp) {}

  private static Row row(String name, String head, boolean mayLookUp, Integer... expected) {
    return new Row(name, head, "", Set.of(expected), mayLookUp);
  }

  private static Row formRow(
      String name, String target, String body, boolean mayLookUp, Integer... expected) {
    String head =
        "POST "
            + target
            + " HTTP/1.1\r\nHost: localhost\r\n"
            + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: "
            + body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    return new Row(name, head, body, Set.of(expected), mayLookUp);
  }

  private static String post(String target, String... headers) {
    StringBuilder b =
        new StringBuilder("POST " + target + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0");
    for (String h : headers) {
      b.append("\r\n").append(h);
    }
    return b.toString();
  }

  private List<Row> rows() {
    String g = good.secret();
    String auth = "Authorization: Bearer " + g;
    List<Row> rows = new ArrayList<>();
    // Schemes and the Authorization header
    rows.add(row("no Authorization header", post(DEPLOY), false, 401));
    rows.add(row("empty Authorization header", post(DEPLOY, "Authorization: "), false, 401));
    rows.add(row("Basic scheme", post(DEPLOY, "Authorization: Basic dXNlcjpwYXNz"), false, 401));
    rows.add(row("lowercase bearer scheme", post(DEPLOY, "Authorization: bearer " + g), true, 200));
    rows.add(row("BEARER scheme", post(DEPLOY, "Authorization: BEARER " + g), true, 200));
    rows.add(row("Bearer without token", post(DEPLOY, "Authorization: Bearer"), false, 400));
    rows.add(
        row("Bearer and trailing space only", post(DEPLOY, "Authorization: Bearer "), false, 400));
    rows.add(
        row(
            "BearerX scheme (another scheme)",
            post(DEPLOY, "Authorization: BearerX " + g),
            false,
            401));
    rows.add(
        row(
            "two spaces after Bearer (RFC 6750 1*SP)",
            post(DEPLOY, "Authorization: Bearer  " + g),
            true,
            200));
    rows.add(row("tab after Bearer", post(DEPLOY, "Authorization: Bearer\t" + g), false, 400));
    rows.add(row("space inside token", post(DEPLOY, "Authorization: Bearer abc def"), false, 400));
    rows.add(row("bad character '!'", post(DEPLOY, "Authorization: Bearer abc!def"), false, 400));
    rows.add(row("bad character ','", post(DEPLOY, "Authorization: Bearer abc,def"), false, 400));
    rows.add(row("quoted token", post(DEPLOY, "Authorization: Bearer \"abc\""), false, 400));
    rows.add(row("non-ASCII token", post(DEPLOY, "Authorization: Bearer abc\u00e9"), false, 400));
    rows.add(
        row(
            "padding abc== is fine",
            post(DEPLOY, "Authorization: Bearer " + padded.secret()),
            true,
            200));
    rows.add(row("padding inside ab=c", post(DEPLOY, "Authorization: Bearer ab=c"), false, 400));
    rows.add(row("padding only ==", post(DEPLOY, "Authorization: Bearer =="), false, 400));
    rows.add(
        row("CR inside the header", post(DEPLOY, "Authorization: Bearer abc\rdef"), false, 400));
    rows.add(
        row(
            "LF inside the header (obs-fold)",
            post(DEPLOY, "Authorization: Bearer abc\n def"),
            false,
            400));
    rows.add(
        row("NUL inside the header", post(DEPLOY, "Authorization: Bearer abc\0def"), false, 400));
    rows.add(
        row(
            "5000-character token (over the 4 KiB cap)",
            post(DEPLOY, "Authorization: Bearer " + "a".repeat(5000)),
            false,
            401));
    rows.add(
        row(
            "64 KiB token",
            post(DEPLOY, "Authorization: Bearer " + "a".repeat(65_536)),
            false,
            400,
            413,
            431));
    rows.add(row("two Authorization headers", post(DEPLOY, auth, auth), false, 400));
    rows.add(
        row(
            "Bearer and Basic headers",
            post(DEPLOY, auth, "Authorization: Basic dXNlcjpwYXNz"),
            false,
            400));
    // Query and form tokens (off by default)
    rows.add(
        row(
            "header plus access_token query",
            post(DEPLOY + "?access_token=" + g, auth),
            false,
            400));
    rows.add(
        row(
            "access_token query alone (disabled)",
            post(DEPLOY + "?access_token=" + g),
            false,
            400));
    rows.add(
        row(
            "two access_token parameters",
            post(DEPLOY + "?access_token=a&access_token=b"),
            false,
            400));
    rows.add(row("empty access_token", post(DEPLOY + "?access_token="), false, 400));
    rows.add(
        formRow(
            "access_token form body (disabled)", DEPLOY, "note=x&access_token=" + g, false, 401));
    // Paths
    rows.add(
        row(
            "/..;/ traversal",
            post("/app/api/projects/proj-2/..;/proj-1/releases/deploy", auth),
            false,
            400));
    rows.add(
        row(
            "%2e%2e traversal",
            post("/app/api/projects/proj-2/%2e%2e/proj-1/releases/deploy", auth), false, 400));
    rows.add(
        row(
            "%2E%2E traversal (upper case)",
            post("/app/api/projects/x/%2E%2E/proj-1/releases/deploy", auth), false, 400));
    rows.add(
        row(
            "plain ../ traversal",
            post("/app/api/projects/x/../proj-1/releases/deploy", auth),
            false,
            400));
    rows.add(
        row("./ segment", post("/app/api/projects/./proj-1/releases/deploy", auth), false, 400));
    rows.add(
        row(
            "encoded slash %2F",
            post("/app/api/projects/proj-1%2Freleases/deploy", auth), false, 400));
    rows.add(
        row(
            "encoded backslash %5c",
            post("/app/api/projects/proj-1/releases%5cdeploy", auth), false, 400));
    rows.add(
        row("raw backslash", post("/app/api/projects/proj-1\\releases\\deploy", auth), false, 400));
    rows.add(
        row(
            "encoded percent %25",
            post("/app/api/projects/proj%252d1/releases/deploy", auth), false, 400));
    rows.add(
        row(
            "double slash //",
            post("/app/api/projects//proj-1/releases/deploy", auth),
            false,
            400));
    rows.add(
        row(";jsessionid= path parameter", post(DEPLOY + ";jsessionid=abc", auth), false, 400));
    rows.add(
        row(
            "encoded LF %0a",
            post("/app/api/projects/proj-1%0a/releases/deploy", auth), false, 400));
    // The same path problems beside a harmless escape (%6F is 'o'): the filter decodes such paths
    // instead
    // of checking their characters only, and must refuse them just the same.
    rows.add(
        row(
            "../ traversal beside an escape",
            post("/app/api/pr%6Fjects/x/../proj-1/releases/deploy", auth),
            false,
            400));
    rows.add(
        row(
            "./ segment beside an escape",
            post("/app/api/pr%6Fjects/./proj-1/releases/deploy", auth),
            false,
            400));
    rows.add(
        row(
            "double slash beside an escape",
            post("/app/api/pr%6Fjects//proj-1/releases/deploy", auth),
            false,
            400));
    rows.add(
        row(
            "raw backslash beside an escape",
            post("/app/api/pr%6Fjects/proj-1\\releases\\deploy", auth),
            false,
            400));
    rows.add(
        row(
            ";jsessionid= beside an escape",
            post("/app/api/pr%6Fjects/proj-1/releases/deploy;jsessionid=abc", auth),
            false,
            400));
    rows.add(
        row(
            "harmless escape alone is fine",
            post("/app/api/pr%6Fjects/proj-1/releases/deploy", auth),
            true,
            200));
    rows.add(row("trailing slash (unmatched)", post(DEPLOY + "/", auth), false, 403));
    rows.add(
        row(
            "upper-case literal /API/",
            post("/app/API/projects/proj-1/releases/deploy", auth),
            false,
            403));
    rows.add(
        row(
            "mixed-case literal /Releases/Deploy",
            post("/app/api/projects/proj-1/Releases/Deploy", auth),
            false,
            403));
    rows.add(
        row(
            "other method GET on a POST route",
            "GET " + DEPLOY + " HTTP/1.1\r\nHost: localhost\r\n" + auth,
            false,
            403));
    rows.add(
        row(
            "malformed project key in path",
            post("/app/api/projects/-bad/releases/deploy", auth),
            false,
            400));
    // Projects
    rows.add(
        row(
            "proj-1 token on proj-10",
            post("/app/api/projects/proj-10/releases/deploy", auth),
            true,
            403));
    rows.add(
        row(
            "proj-10 token on proj-1",
            post(DEPLOY, "Authorization: Bearer TenToken10"),
            true,
            403));
    rows.add(
        row(
            "spoofed X-Project header when the rule says path",
            post("/app/api/projects/proj-2/releases/deploy", auth, "X-Project: proj-1"),
            true,
            403));
    rows.add(
        row(
            "header-scoped route without X-Project",
            "GET /app/api/header-scoped/releases HTTP/1.1\r\n" + "Host: localhost\r\n" + auth,
            false,
            400));
    rows.add(
        row(
            "header-scoped route with two X-Project",
            "GET /app/api/header-scoped/releases HTTP/1.1\r\n"
                + "Host: localhost\r\n"
                + auth
                + "\r\nX-Project: proj-1\r\nX-Project: proj-2",
            false,
            400));
    rows.add(
        row(
            "query-scoped route with two project parameters",
            "GET /app/api/query-scoped/releases?project=proj-1&project=proj-2 HTTP/1.1\r\nHost: localhost\r\n"
                + auth,
            false,
            400));
    // Project values from requests are bare keys or UUIDs: a prefix would be authorized on proj-1
    // while the app reads the literal "key:proj-1". Refused before any lookup, whatever the source.
    String header =
        "GET /app/api/header-scoped/releases HTTP/1.1\r\nHost: localhost\r\n"
            + auth
            + "\r\nX-Project: ";
    String query =
        "GET /app/api/query-scoped/releases?project=%s HTTP/1.1\r\nHost: localhost\r\n" + auth;
    Map<String, String> prefixed = new LinkedHashMap<>();
    prefixed.put("key:proj-1", "key:proj-1");
    prefixed.put("id:<proj-1 id>", "id:" + proj1Id);
    prefixed.put("id:<PROJ-1 ID>", "id:" + proj1Id.toUpperCase(java.util.Locale.ROOT));
    prefixed.put("id:not-a-uuid", "id:not-a-uuid");
    prefixed.put("key: (nothing after)", "key:");
    prefixed.forEach(
        (label, value) -> {
          rows.add(
              row(
                  "prefixed project " + label + " in path",
                  post("/app/api/projects/" + value + "/releases/deploy", auth),
                  false,
                  400));
          rows.add(row("prefixed project " + label + " in header", header + value, false, 400));
          rows.add(
              row("prefixed project " + label + " in query", query.formatted(value), false, 400));
        });
    rows.add(
        row(
            "prefixed project key%3Aproj-1 (encoded ':') in path",
            post("/app/api/projects/key%3Aproj-1/releases/deploy", auth), false, 400));
    rows.add(
        row(
            "prefixed project key%3Aproj-1 (encoded ':') in query",
            query.formatted("key%3Aproj-1"), false, 400));
    rows.add(row("empty project in query", query.formatted(""), false, 400));
    rows.add(row("empty project header", header, false, 400));
    rows.add(
        row(
            "129-character project key in path",
            post("/app/api/projects/" + "k".repeat(129) + "/releases/deploy", auth),
            false,
            400));
    rows.add(
        row(
            "bare upper-case UUID of proj-1 in path is fine",
            post(
                "/app/api/projects/"
                    + proj1Id.toUpperCase(java.util.Locale.ROOT)
                    + "/releases/deploy",
                auth),
            true,
            200));
    rows.add(row("bare UUID of proj-1 in header is fine", header + proj1Id, true, 200));
    // Dispatch
    rows.add(
        row(
            "FORWARD from a public route to a guarded route, no token",
            post("/app/public/forward?to=/api/projects/proj-1/releases/deploy"),
            false,
            401));
    rows.add(
        row(
            "FORWARD from a public route to another project's route",
            post("/app/public/forward?to=/api/projects/proj-2/releases/deploy", auth),
            true,
            403));
    // ASYNC dispatches the filter did not start (the app's AsyncContext.dispatch) are checked too
    rows.add(
        row(
            "ASYNC dispatch from a public route to a guarded route, no token",
            post("/app/public/info?async-to=/api/projects/proj-1/releases/deploy"),
            false,
            401));
    rows.add(
        row(
            "ASYNC dispatch from a public route to another project's route",
            post("/app/public/info?async-to=/api/projects/proj-2/releases/deploy", auth),
            true,
            403));
    rows.add(
        row(
            "ASYNC dispatch from a permitted route to another project's route",
            post(DEPLOY + "?async-to=/api/projects/proj-2/releases/deploy", auth),
            true,
            403));
    rows.add(
        row(
            "ASYNC dispatch from a public route to an unmatched route",
            post("/app/public/info?async-to=/api/other", auth),
            false,
            403));
    rows.add(
        row(
            "ASYNC dispatch to a prefixed project",
            post("/app/public/info?async-to=/api/projects/key:proj-1" + "/releases/deploy", auth),
            false,
            400));
    return rows;
  }

  @TestFactory
  Stream<DynamicTest> doFilterWhenHostileRequestThenRefusedWithoutLookup() {
    List<Row> rows = rows();
    assertTrue(rows.size() >= 40, "at least 40 rows");
    return rows.stream()
        .map(
            r ->
                DynamicTest.dynamicTest(
                    r.name(),
                    () -> {
                      long before = app.brms.totalRequests();
                      RawHttp.Response res = RawHttp.send(app.container.port(), r.head(), r.body());
                      long lookups = app.brms.totalRequests() - before;
                      synchronized (report) {
                        String by =
                            res.text().contains("application/problem+json")
                                ? "filter"
                                : res.status() == 200 ? "app" : "container";
                        report.add(
                            String.format(
                                "%-58s %d %-9s%s",
                                r.name(), res.status(), by, lookups > 0 ? " looked up" : ""));
                      }
                      assertTrue(
                          r.expected().contains(res.status()),
                          r.name()
                              + ": expected one of "
                              + r.expected()
                              + ", got "
                              + res.text().lines().findFirst().orElse("(nothing)"));
                      if (!r.mayLookUp()) {
                        assertEquals(
                            0, lookups, r.name() + ": a malformed or refused request reached BRMS");
                      }
                      if (!r.expected().contains(200)) {
                        assertNotEquals(200, res.status());
                      }
                      assertTrue(
                          !res.text().contains(good.secret())
                              && !res.text().contains(padded.secret()),
                          "the response contains a secret");
                    }));
  }
}
