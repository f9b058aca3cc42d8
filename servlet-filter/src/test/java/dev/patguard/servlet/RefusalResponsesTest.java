package dev.patguard.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.patguard.Decider;
import dev.patguard.decision.Decision;
import dev.patguard.decision.DenyReason;
import dev.patguard.decision.IndeterminateCause;
import dev.patguard.decision.ProjectRef;
import dev.patguard.decision.Requirement;
import dev.patguard.decision.TokenSubject;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of refusal, byte for byte: what the filter does to the response (status, each header,
 * content type and length, body) for each deny reason alone and combined, each indeterminate cause,
 * and each refusal made before any lookup, against {@code refusals.golden} (written from the filter
 * as it was before its refusals were driven by the reason codes: any change to an answer shows up
 * here). Run with {@code -Dpatguard.golden.write=true} to rewrite the file after an intended
 * change.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RefusalResponsesTest {
  private static final Path GOLDEN = Path.of("src/test/resources/refusals.golden");
  private static final String SECRET = "GoldenToken-1";
  private static final String FP = "0123abcd";
  private static final TokenSubject SUBJECT = TokenSubject.fingerprintOnly(FP);
  private static final RoutePolicy POLICY =
      RoutePolicy.builder()
          .rule(
              "POST",
              "/api/projects/{projectId}/releases/deploy",
              "releases:deploy",
              ProjectSource.path("projectId"))
          .rule("GET", "/api/any", "releases|releases:deploy", null)
          .rule("GET", "/api/both", "releases:deploy,documents:view-content", null)
          .rule("GET", "/api/whoami", "authenticated", null)
          .rule("GET", "/api/header", "releases:deploy", ProjectSource.header("X-Project"))
          .build();
  private static final String DEPLOY = "/api/projects/proj-1/releases/deploy";

  private final Map<String, String> golden = new LinkedHashMap<>();
  private final Map<String, String> actual = new LinkedHashMap<>();

  /**
   * One refused request.
   *
   * @param decision what the guard answers, or null when the request is refused before any lookup
   */
  record Case(
      String name,
      String method,
      String path,
      Map<String, List<String>> headers,
      long contentLength,
      @Nullable Decision decision) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static Case decided(String name, String method, String path, Decision decision) {
    return new Case(
        name, method, path, Map.of("Authorization", List.of("Bearer " + SECRET)), 0, decision);
  }

  private static Case deny(String name, DenyReason... reasons) {
    return decided(name, "POST", DEPLOY, Decision.deny(SUBJECT, List.of(reasons), List.of()));
  }

  static Stream<Case> cases() {
    Instant at = Instant.parse("2026-11-29T12:00:00Z");
    List<Case> cases =
        new ArrayList<>(
            List.of(
                deny("TOKEN_INVALID", DenyReason.tokenInvalid()),
                deny("TOKEN_EXPIRED", DenyReason.tokenExpired(at)),
                deny("OWNER_INACTIVE", DenyReason.ownerInactive("suspended")),
                deny("PERMISSION_MISSING", DenyReason.permissionMissing("releases:deploy")),
                deny(
                    "PROJECT_OUT_OF_SCOPE",
                    DenyReason.projectOutOfScope(ProjectRef.byKey("proj-1"))),
                deny("AMBIGUOUS_TOKEN", DenyReason.ambiguousToken(3)),
                deny("LOOKUP_FORBIDDEN", DenyReason.lookupForbidden()),
                deny(
                    "PERMISSION_MISSING + PROJECT_OUT_OF_SCOPE",
                    DenyReason.permissionMissing("releases:deploy"),
                    DenyReason.projectOutOfScope(ProjectRef.byKey("proj-1"))),
                deny(
                    "TOKEN_EXPIRED + PERMISSION_MISSING",
                    DenyReason.tokenExpired(at),
                    DenyReason.permissionMissing("releases:deploy")),
                deny(
                    "OWNER_INACTIVE + AMBIGUOUS_TOKEN",
                    DenyReason.ownerInactive(null),
                    DenyReason.ambiguousToken(2)),
                deny(
                    "LOOKUP_FORBIDDEN + PERMISSION_MISSING",
                    DenyReason.lookupForbidden(),
                    DenyReason.permissionMissing("releases:deploy")),
                deny(
                    "AMBIGUOUS_TOKEN + PROJECT_OUT_OF_SCOPE",
                    DenyReason.ambiguousToken(2),
                    DenyReason.projectOutOfScope(ProjectRef.byKey("proj-1"))),
                decided(
                    "PERMISSION_MISSING on any-of",
                    "GET",
                    "/api/any",
                    Decision.deny(
                        SUBJECT, DenyReason.permissionMissing("releases|releases:deploy"))),
                decided(
                    "PERMISSION_MISSING on all-of",
                    "GET",
                    "/api/both",
                    Decision.deny(
                        SUBJECT,
                        List.of(
                            DenyReason.permissionMissing("releases:deploy"),
                            DenyReason.permissionMissing("documents:view-content")),
                        List.of())),
                decided(
                    "AMBIGUOUS_TOKEN on authenticated",
                    "GET",
                    "/api/whoami",
                    Decision.deny(SUBJECT, DenyReason.ambiguousToken(2))),
                decided(
                    "deny naming no fingerprint",
                    "POST",
                    DEPLOY,
                    Decision.deny(
                        TokenSubject.unknown(), DenyReason.permissionMissing("releases:deploy"))),
                new Case(
                    "PERMISSION_MISSING with a request body",
                    "POST",
                    DEPLOY,
                    Map.of("Authorization", List.of("Bearer " + SECRET)),
                    42,
                    Decision.deny(SUBJECT, DenyReason.permissionMissing("releases:deploy"))),
                new Case("no credentials", "POST", DEPLOY, Map.of(), 0, null),
                new Case(
                    "Basic credentials",
                    "POST",
                    DEPLOY,
                    Map.of("Authorization", List.of("Basic dXNlcjpwYXNz")),
                    0,
                    null),
                new Case(
                    "two Authorization headers",
                    "POST",
                    DEPLOY,
                    Map.of("Authorization", List.of("Bearer " + SECRET, "Bearer " + SECRET)),
                    0,
                    null),
                new Case(
                    "token outside b64token",
                    "POST",
                    DEPLOY,
                    Map.of("Authorization", List.of("Bearer a\"b")),
                    0,
                    null),
                new Case(
                    "token too long",
                    "POST",
                    DEPLOY,
                    Map.of("Authorization", List.of("Bearer " + "t".repeat(4097))),
                    0,
                    null),
                new Case(
                    "unmatched route",
                    "GET",
                    "/api/other",
                    Map.of("Authorization", List.of("Bearer " + SECRET)),
                    0,
                    null),
                new Case("path with ..", "GET", "/api/../admin", Map.of(), 0, null),
                new Case(
                    "prefixed project in path",
                    "POST",
                    "/api/projects/key:proj-1/releases/deploy",
                    Map.of("Authorization", List.of("Bearer " + SECRET)),
                    0,
                    null),
                new Case(
                    "missing project header",
                    "GET",
                    "/api/header",
                    Map.of("Authorization", List.of("Bearer " + SECRET)),
                    0,
                    null),
                new Case(
                    "repeated project header",
                    "GET",
                    "/api/header",
                    Map.of(
                        "Authorization",
                        List.of("Bearer " + SECRET),
                        "X-Project",
                        List.of("proj-1", "proj-2")),
                    0,
                    null)));
    for (IndeterminateCause cause : IndeterminateCause.values()) {
      cases.add(
          decided(
              "Indeterminate " + cause,
              "POST",
              DEPLOY,
              Decision.indeterminate(SUBJECT, cause, "detail never shown: " + cause)));
    }
    return cases.stream();
  }

  @BeforeAll
  void readGolden() throws IOException {
    if (!Files.exists(GOLDEN)) {
      return;
    }
    String name = null;
    StringBuilder text = new StringBuilder();
    for (String line : Files.readAllLines(GOLDEN, StandardCharsets.UTF_8)) {
      if (line.startsWith("### ")) {
        if (name != null) {
          golden.put(name, text.toString());
        }
        name = line.substring(4);
        text.setLength(0);
      } else {
        text.append(line).append('\n');
      }
    }
    if (name != null) {
      golden.put(name, text.toString());
    }
  }

  @AfterAll
  void writeGoldenIfAsked() throws IOException {
    if (Boolean.getBoolean("patguard.golden.write")) {
      StringBuilder b = new StringBuilder();
      actual.forEach((name, text) -> b.append("### ").append(name).append('\n').append(text));
      Files.writeString(GOLDEN, b.toString(), StandardCharsets.UTF_8);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void doFilterWhenRefusedThenAnswersExactlyAsPinned(Case c) throws Exception {
    String text = refuse(c);
    actual.put(c.name(), text);
    if (!Boolean.getBoolean("patguard.golden.write")) {
      assertNotNull(golden.get(c.name()), "no golden answer for " + c.name() + "; got:\n" + text);
      assertEquals(golden.get(c.name()), text, c.name());
    }
  }

  /** What the filter does to the response, one line per call, then the body. */
  private static String refuse(Case c) throws Exception {
    Decider guard =
        new Decider() {
          @Override
          public CompletableFuture<Decision> decide(String secret, Requirement requirement) {
            return CompletableFuture.completedFuture(decideBlocking(secret, requirement));
          }

          @Override
          public Decision decideBlocking(String secret, Requirement requirement) {
            if (c.decision() == null) {
              throw new AssertionError("no lookup expected for " + c.name());
            }
            return c.decision();
          }

          @Override
          public Duration decisionTimeout() {
            return Duration.ofSeconds(1);
          }
        };
    PatGuardFilter filter =
        PatGuardFilter.builder().guard(guard).policy(POLICY).realm("acme").build();
    List<String> calls = new ArrayList<>();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    filter.doFilter(request(c), response(calls, body), (rq, rs) -> calls.add("chain.doFilter"));
    return String.join("\n", calls) + "\nbody " + body.toString(StandardCharsets.UTF_8) + "\n";
  }

  private static HttpServletRequest request(Case c) {
    HttpServletRequest req = mock(HttpServletRequest.class);
    when(req.getDispatcherType()).thenReturn(DispatcherType.REQUEST);
    when(req.getMethod()).thenReturn(c.method());
    when(req.getRequestURI()).thenReturn(c.path());
    when(req.getContextPath()).thenReturn("");
    when(req.getServletPath()).thenReturn("");
    when(req.getPathInfo()).thenReturn(c.path());
    when(req.getProtocol()).thenReturn("HTTP/1.1");
    when(req.getContentLengthLong()).thenReturn(c.contentLength());
    when(req.getHeaders(org.mockito.ArgumentMatchers.anyString()))
        .thenAnswer(
            i ->
                Collections.enumeration(
                    c.headers().getOrDefault(i.<String>getArgument(0), List.of())));
    when(req.getHeader(org.mockito.ArgumentMatchers.anyString()))
        .thenAnswer(
            i ->
                c.headers().getOrDefault(i.<String>getArgument(0), List.of()).stream()
                    .findFirst()
                    .orElse(null));
    return req;
  }

  /** A response that records each call made to it (in order) and collects the body. */
  private static HttpServletResponse response(List<String> calls, ByteArrayOutputStream body) {
    ServletOutputStream out =
        new ServletOutputStream() {
          @Override
          public boolean isReady() {
            return true;
          }

          @Override
          public void setWriteListener(WriteListener listener) {}

          @Override
          public void write(int b) {
            body.write(b);
          }
        };
    return (HttpServletResponse)
        Proxy.newProxyInstance(
            RefusalResponsesTest.class.getClassLoader(),
            new Class<?>[] {HttpServletResponse.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "getOutputStream" -> out;
                  case "isCommitted" -> false;
                  case "toString" -> "recording response";
                  case "hashCode" -> System.identityHashCode(proxy);
                  case "equals" -> proxy == args[0];
                  default -> {
                    calls.add(
                        method.getName()
                            + (args == null
                                ? ""
                                : " "
                                    + String.join(
                                        ": ", Stream.of(args).map(String::valueOf).toList())));
                    yield null;
                  }
                });
  }
}
