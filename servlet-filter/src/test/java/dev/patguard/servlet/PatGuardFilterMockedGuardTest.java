package dev.patguard.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.patguard.Decider;
import dev.patguard.decision.Decision;
import dev.patguard.decision.DenyReason;
import dev.patguard.decision.ProjectRef;
import dev.patguard.decision.Requirement;
import dev.patguard.decision.TokenSubject;
import dev.patguard.token.SecretDigest;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * What the filter does with the decisions it gets, the guard replaced by a hand-written {@link
 * Decider} (the narrow seam: which decision, naming which subject, comes back), and whose guard it
 * closes: on a decided request it names the token by the fingerprint the decision's subject carries
 * and hashes the secret itself only when a decision comes without one, and decides each request on
 * the project its own path names. Requests are mocks too, as a container would present them to a
 * filter in the root context.
 */
class PatGuardFilterMockedGuardTest {
  private static final String SECRET = "FingerprintTestToken-1";
  private static final String PATH = "/api/projects/proj-1/releases/deploy";
  private static final RoutePolicy POLICY =
      RoutePolicy.builder()
          .rule(
              "POST",
              "/api/projects/{projectId}/releases/deploy",
              "releases:deploy",
              ProjectSource.path("projectId"))
          .build();

  private static HttpServletRequest request() {
    return request(PATH);
  }

  private static HttpServletRequest request(String path) {
    HttpServletRequest req = mock(HttpServletRequest.class);
    when(req.getDispatcherType()).thenReturn(DispatcherType.REQUEST);
    when(req.getMethod()).thenReturn("POST");
    when(req.getRequestURI()).thenReturn(path);
    when(req.getContextPath()).thenReturn("");
    when(req.getServletPath()).thenReturn("");
    when(req.getPathInfo()).thenReturn(path);
    when(req.getProtocol()).thenReturn("HTTP/1.1");
    when(req.getHeaders("Authorization"))
        .thenAnswer(i -> Collections.enumeration(List.of("Bearer " + SECRET)));
    return req;
  }

  /** A response whose body goes to {@code body}. */
  private static HttpServletResponse response(ByteArrayOutputStream body) throws Exception {
    HttpServletResponse res = mock(HttpServletResponse.class);
    when(res.getOutputStream())
        .thenReturn(
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
            });
    return res;
  }

  /**
   * Answers every request for {@link #SECRET} with {@code answer}'s decision and records the
   * requirements.
   */
  private static final class FakeDecider implements Decider, AutoCloseable {
    final Function<Requirement, Decision> answer;
    final List<Requirement> asked = new CopyOnWriteArrayList<>();
    final AtomicBoolean closed = new AtomicBoolean();

    FakeDecider(Function<Requirement, Decision> answer) {
      this.answer = answer;
    }

    @Override
    public CompletableFuture<Decision> decide(String secret, Requirement requirement) {
      assertEquals(SECRET, secret);
      asked.add(requirement);
      return CompletableFuture.completedFuture(answer.apply(requirement));
    }

    @Override
    public Decision decideBlocking(String secret, Requirement requirement) {
      return decide(secret, requirement).join();
    }

    @Override
    public Duration decisionTimeout() {
      return Duration.ofSeconds(1);
    }

    @Override
    public void close() {
      closed.set(true);
    }
  }

  private static Decider guardAnswering(Decision decision) {
    return new FakeDecider(requirement -> decision);
  }

  private static String deployPath(String project) {
    return "/api/projects/" + project + "/releases/deploy";
  }

  @Test
  void doFilterWhenProjectsFromPathThenEachRequestParsedAndDecidedOnItsOwnProject()
      throws Exception {
    String fp = SecretDigest.fingerprintOf(SECRET);
    Decision permit = new Decision.Permit(TokenSubject.fingerprintOnly(fp), List.of());
    Decision deny = Decision.deny(TokenSubject.fingerprintOnly(fp), DenyReason.tokenInvalid());
    FakeDecider guard =
        new FakeDecider(r -> r.project().orElseThrow().key().startsWith("ok-") ? permit : deny);
    PatGuardFilter filter = new PatGuardFilter(guard, POLICY);
    AtomicReference<ServletRequest> passed = new AtomicReference<>();
    FilterChain chain = (rq, rs) -> passed.set(rq);

    filter.doFilter(request(deployPath("no-1")), response(new ByteArrayOutputStream()), chain);
    filter.doFilter(request(deployPath("-bad")), response(new ByteArrayOutputStream()), chain);
    assertEquals(null, passed.get());
    for (int i = 0; i < 3; i++) {
      passed.set(null);
      filter.doFilter(request(deployPath("ok-1")), mock(HttpServletResponse.class), chain);
      PatGuardPrincipal p =
          assertInstanceOf(
              PatGuardPrincipal.class, ((HttpServletRequest) passed.get()).getUserPrincipal());
      assertEquals(java.util.Optional.of(ProjectRef.byKey("ok-1")), p.project());
    }
    Requirement ok1 = Requirement.parse("releases:deploy@ok-1");
    assertEquals(
        List.of(Requirement.parse("releases:deploy@no-1"), ok1, ok1, ok1),
        guard.asked,
        "the malformed -bad never reaches the guard");
  }

  private static PatGuardPrincipal principalSeenByTheApp(Decision decision) throws Exception {
    AtomicReference<ServletRequest> passed = new AtomicReference<>();
    FilterChain chain = (rq, rs) -> passed.set(rq);
    new PatGuardFilter(guardAnswering(decision), POLICY)
        .doFilter(request(), mock(HttpServletResponse.class), chain);
    return assertInstanceOf(
        PatGuardPrincipal.class, ((HttpServletRequest) passed.get()).getUserPrincipal());
  }

  @Test
  void doFilterWhenPermitNamesFingerprintThenPrincipalCarriesIt() throws Exception {
    String fp = SecretDigest.fingerprintOf(SECRET);
    UUID tokenId = UUID.randomUUID();
    PatGuardPrincipal p =
        principalSeenByTheApp(
            new Decision.Permit(
                new TokenSubject(fp, tokenId, null, "a@example.com", null), List.of()));
    assertEquals(fp, p.fingerprint());
    assertEquals(tokenId, p.tokenId());
    assertEquals("a@example.com", p.ownerEmail());
    assertEquals(java.util.Optional.of(ProjectRef.byKey("proj-1")), p.project());
  }

  @Test
  void doFilterWhenPermitWithoutFingerprintThenPrincipalNamedByTheSecretsFingerprint()
      throws Exception {
    UUID tokenId = UUID.randomUUID();
    PatGuardPrincipal p =
        principalSeenByTheApp(
            new Decision.Permit(new TokenSubject(null, tokenId, null, null, null), List.of()));
    assertEquals(SecretDigest.fingerprintOf(SECRET), p.fingerprint());
    assertEquals(SecretDigest.fingerprintOf(SECRET), p.getName());
    assertEquals(tokenId, p.tokenId());
    assertFalse(p.toString().contains(SECRET));
  }

  @Test
  void doFilterWhenDenyWithoutFingerprintThenProblemNamesTheSecretsFingerprintNeverTheSecret()
      throws Exception {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    HttpServletResponse res = response(body);
    AtomicReference<ServletRequest> passed = new AtomicReference<>();
    Decision deny = Decision.deny(TokenSubject.unknown(), DenyReason.tokenInvalid());
    new PatGuardFilter(guardAnswering(deny), POLICY)
        .doFilter(request(), res, (rq, rs) -> passed.set(rq));
    assertEquals(null, passed.get(), "a denied request reached the app");
    verify(res).setStatus(401);
    verify(res).setHeader(eq("WWW-Authenticate"), anyString());
    String text = body.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("\"token\":\"" + SecretDigest.fingerprintOf(SECRET) + "\""), text);
    assertFalse(text.contains(SECRET), text);
  }

  /** A filter configuration holding {@code params}. */
  private static FilterConfig config(Map<String, String> params) {
    return new FilterConfig() {
      @Override
      public String getFilterName() {
        return "patguard";
      }

      @Override
      public ServletContext getServletContext() {
        return mock(ServletContext.class);
      }

      @Override
      public String getInitParameter(String name) {
        return params.get(name);
      }

      @Override
      public Enumeration<String> getInitParameterNames() {
        return Collections.enumeration(params.keySet());
      }
    };
  }

  @Test
  void destroyWhenGivenADeciderThenNeverClosesIt() throws Exception {
    FakeDecider guard =
        new FakeDecider(r -> Decision.deny(TokenSubject.unknown(), DenyReason.tokenInvalid()));
    PatGuardFilter built = PatGuardFilter.builder().guard(guard).policy(POLICY).build();
    PatGuardFilter constructed = new PatGuardFilter(guard, POLICY);
    for (PatGuardFilter filter : List.of(built, constructed)) {
      filter.init(config(Map.of()));
      filter.destroy();
    }
    assertFalse(guard.closed.get(), "the filter closed a Decider it was given");
  }

  @Test
  void destroyWhenConfiguredByInitParamsThenClosesTheGuardItBuilt() throws Exception {
    PatGuardFilter filter = new PatGuardFilter(name -> null);
    filter.init(
        config(Map.of("brms-url", "http://127.0.0.1:9", "policy", "classpath:test-policy.yaml")));
    Decider guard = filter.decider();
    filter.destroy();
    // A closed PatGuard answers at once, without a lookup: Indeterminate, saying it is closed.
    Decision after =
        guard.decide(SECRET, Requirement.parse("releases:deploy")).get(5, TimeUnit.SECONDS);
    assertInstanceOf(Decision.Indeterminate.class, after);
    assertTrue(after.explain().contains("closed"), after.explain());
  }
}
