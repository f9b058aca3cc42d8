package dev.patguard.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.patguard.PatGuard;
import dev.patguard.decision.Decision;
import dev.patguard.decision.DenyReason;
import dev.patguard.decision.Requirement;
import dev.patguard.decision.TokenSubject;
import dev.patguard.token.SecretDigest;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * On a decided request the filter names the token by the fingerprint the decision's subject
 * carries, and hashes the secret itself only when a decision comes without one. The guard is
 * mocked (the one narrow seam: which subject a decision names); requests are mocks too, as a
 * container would present them to a filter in the root context.
 */
class PatGuardFilterFingerprintTest {
  private static final String SECRET = "FingerprintTestToken-1";
  private static final String PATH = "/api/projects/proj-1/releases/deploy";
  private static final RoutePolicy POLICY = RoutePolicy.builder()
      .rule("POST", "/api/projects/{projectId}/releases/deploy", "releases:deploy", ProjectSource.path("projectId"))
      .build();

  private static HttpServletRequest request() {
    HttpServletRequest req = mock(HttpServletRequest.class);
    when(req.getDispatcherType()).thenReturn(DispatcherType.REQUEST);
    when(req.getMethod()).thenReturn("POST");
    when(req.getRequestURI()).thenReturn(PATH);
    when(req.getContextPath()).thenReturn("");
    when(req.getServletPath()).thenReturn("");
    when(req.getPathInfo()).thenReturn(PATH);
    when(req.getProtocol()).thenReturn("HTTP/1.1");
    when(req.getHeaders("Authorization")).thenAnswer(i -> Collections.enumeration(List.of("Bearer " + SECRET)));
    return req;
  }

  private static PatGuard guardAnswering(Decision decision) {
    PatGuard guard = mock(PatGuard.class);
    when(guard.decide(eq(SECRET), any(Requirement.class))).thenReturn(CompletableFuture.completedFuture(decision));
    return guard;
  }

  private static PatGuardPrincipal principalSeenByTheApp(Decision decision) throws Exception {
    AtomicReference<ServletRequest> passed = new AtomicReference<>();
    FilterChain chain = (rq, rs) -> passed.set(rq);
    new PatGuardFilter(guardAnswering(decision), POLICY).doFilter(request(), mock(HttpServletResponse.class), chain);
    return assertInstanceOf(PatGuardPrincipal.class, ((HttpServletRequest) passed.get()).getUserPrincipal());
  }

  @Test
  void doFilterWhenPermitNamesFingerprintThenPrincipalCarriesIt() throws Exception {
    String fp = SecretDigest.fingerprintOf(SECRET);
    UUID tokenId = UUID.randomUUID();
    PatGuardPrincipal p = principalSeenByTheApp(
        new Decision.Permit(new TokenSubject(fp, tokenId, null, "a@example.com", null), List.of()));
    assertEquals(fp, p.fingerprint());
    assertEquals(tokenId, p.tokenId());
    assertEquals("a@example.com", p.ownerEmail());
  }

  @Test
  void doFilterWhenPermitWithoutFingerprintThenPrincipalNamedByTheSecretsFingerprint() throws Exception {
    UUID tokenId = UUID.randomUUID();
    PatGuardPrincipal p = principalSeenByTheApp(
        new Decision.Permit(new TokenSubject(null, tokenId, null, null, null), List.of()));
    assertEquals(SecretDigest.fingerprintOf(SECRET), p.fingerprint());
    assertEquals(SecretDigest.fingerprintOf(SECRET), p.getName());
    assertEquals(tokenId, p.tokenId());
    assertFalse(p.toString().contains(SECRET));
  }

  @Test
  void doFilterWhenDenyWithoutFingerprintThenProblemNamesTheSecretsFingerprintNeverTheSecret() throws Exception {
    HttpServletResponse res = mock(HttpServletResponse.class);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    when(res.getOutputStream()).thenReturn(new ServletOutputStream() {
      @Override
      public boolean isReady() {
        return true;
      }

      @Override
      public void setWriteListener(WriteListener listener) { }

      @Override
      public void write(int b) {
        body.write(b);
      }
    });
    AtomicReference<ServletRequest> passed = new AtomicReference<>();
    Decision deny = Decision.deny(TokenSubject.unknown(), DenyReason.tokenInvalid());
    new PatGuardFilter(guardAnswering(deny), POLICY).doFilter(request(), res, (rq, rs) -> passed.set(rq));
    assertEquals(null, passed.get(), "a denied request reached the app");
    verify(res).setStatus(401);
    verify(res).setHeader(eq("WWW-Authenticate"), anyString());
    String text = body.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("\"token\":\"" + SecretDigest.fingerprintOf(SECRET) + "\""), text);
    assertFalse(text.contains(SECRET), text);
  }
}
