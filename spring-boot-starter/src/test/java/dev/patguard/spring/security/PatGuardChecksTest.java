package dev.patguard.spring.security;

import static dev.patguard.spring.SecretScan.assertNoSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.patguard.PatGuard;
import dev.patguard.decision.Decision;
import dev.patguard.decision.Grant;
import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.MintedToken;
import dev.patguard.token.SecretDigest;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/** The checks and answers below HTTP: authorities, indeterminate method checks, toString. */
class PatGuardChecksTest {
  private static final FakeBrms BRMS = FakeBrms.start();
  private static final PatGuard GUARD =
      PatGuard.builder().baseUrl(BRMS.baseUrl()).maxRetries(0).build();
  private static final PatGuardSecurity SECURITY = PatGuardSecurity.builder(GUARD).build();

  @AfterAll
  static void stop() {
    GUARD.close();
    BRMS.close();
  }

  private static PatGuardAuthentication authenticate(MintedToken t) {
    return (PatGuardAuthentication)
        SECURITY
            .authenticationManager()
            .authenticate(new BearerTokenAuthenticationToken(t.secret()));
  }

  private static List<String> names(PatGuardAuthentication a) {
    return a.getAuthorities().stream().map(GrantedAuthority::getAuthority).toList();
  }

  @Test
  void authoritiesWhenTokenScopedToOneProjectThenNoBarePermission() {
    MintedToken t = BRMS.mint(s -> s.permissions("releases:deploy").projects("web-shop"));
    PatGuardAuthentication a = authenticate(t);
    assertThat(names(a))
        .contains(PatGuardAuthorities.TOKEN, "releases:deploy@web-shop")
        .doesNotContain("releases:deploy");
    // A project-less authority check meant for any other project does not pass.
    AuthorizationResult bare =
        AuthorityAuthorizationManager.hasAuthority("releases:deploy")
            .authorize(() -> a, new Object());
    assertThat(bare.isGranted()).isFalse();
    assertThat(
            AuthorityAuthorizationManager.hasAuthority("releases:deploy@docs-site")
                .authorize(() -> a, new Object())
                .isGranted())
        .isFalse();
    assertThat(
            AuthorityAuthorizationManager.hasAuthority("releases:deploy@web-shop")
                .authorize(() -> a, new Object())
                .isGranted())
        .isTrue();
  }

  @Test
  void authoritiesWhenTokenCoversAllProjectsThenBarePermission() {
    MintedToken t = BRMS.mint(s -> s.permissions("releases:deploy").allProjects(true));
    assertThat(names(authenticate(t))).contains("releases:deploy");
  }

  @Test
  void authoritiesWhenGrantIsAmbiguousThenTokenOnly() {
    // Two tokens of one owner, one presented: the self lookup cannot tell them apart.
    MintedToken first = BRMS.mint(s -> s.permissions("releases:deploy").allProjects(true));
    BRMS.mint(s -> s.owner(first.userId()).permissions("releases:deploy").allProjects(true));
    PatGuardAuthentication a = authenticate(first);
    Grant g = a.getPrincipal().grantIfKnown().orElseThrow();
    assertThat(g.isAmbiguous()).isTrue();
    assertThat(names(a)).containsExactly(PatGuardAuthorities.TOKEN);
  }

  @Test
  void principalWhenAuthenticatedThenCarriesFactsAndNeverTheSecret() {
    MintedToken t = BRMS.mint(s -> s.permissions("releases:deploy").projects("web-shop"));
    PatGuardAuthentication a = authenticate(t);
    assertThat(a.getPrincipal().fingerprint()).isEqualTo(SecretDigest.fingerprintOf(t.secret()));
    assertThat(a.getPrincipal().tokenId()).isEqualTo(t.id());
    assertThat(a.getPrincipal().ownerId()).isEqualTo(t.userId());
    assertThat(a.getCredentials()).isEqualTo(a.getPrincipal().fingerprint());
    assertThat(a.getName()).isEqualTo(a.getPrincipal().fingerprint());
    assertNoSecret(a.toString(), "a toString", t.secret());
    assertNoSecret(a.getPrincipal().toString(), "a toString", t.secret());
  }

  @Test
  void methodCheckWhenGuardCannotDecideThen503NeverForbidden() throws Exception {
    MintedToken t = BRMS.mint(s -> s.permissions("environments:manage").projects("web-shop"));
    PatGuardAuthentication a = authenticate(t);
    PatGuard closed = PatGuard.builder().baseUrl(BRMS.baseUrl()).build();
    closed.close();
    AuthorizationResult r =
        new PatGuardMethodSecurity(closed).may(a, "environments:manage", "web-shop");
    assertThat(r.isGranted()).isFalse();
    assertThat(((PatGuardAuthorizationDecision) r).decision().orElseThrow())
        .isInstanceOf(Decision.Indeterminate.class);
    MockHttpServletResponse response = new MockHttpServletResponse();
    SECURITY
        .problemHandler()
        .handle(new MockHttpServletRequest(), response, new AuthorizationDeniedException("x", r));
    assertThat(response.getStatus()).isEqualTo(503);
    assertThat(response.getHeader("Retry-After")).isEqualTo("5");
    assertThat(response.getHeader("WWW-Authenticate")).isNull();
    assertNoSecret(response.getContentAsString(), "a body", t.secret());
  }

  @Test
  void methodCheckWhenNotAPatGuardAuthenticationThenDenied() {
    assertThat(
            SECURITY
                .methodSecurity()
                .may(
                    new org.springframework.security.authentication.TestingAuthenticationToken(
                        "u", "p", "releases:deploy"),
                    "releases:deploy",
                    "web-shop")
                .isGranted())
        .isFalse();
  }

  @Test
  void requireWhenProjectSourceNameIsInvalidThenRefusedQuotingIt() {
    assertThatThrownBy(() -> SECURITY.require("releases:deploy").onPathVariable("project-id"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"project-id\" is not a valid path variable name");
    assertThatThrownBy(() -> SECURITY.require("releases:deploy").onHeader("X Project"))
        .hasMessageContaining("\"X Project\"");
    assertThatThrownBy(() -> SECURITY.require("releases:deploy").onQueryParameter("a=b"))
        .hasMessageContaining("\"a=b\"");
    assertThat(SECURITY.require("releases:deploy").onPathVariable("projectId").toString())
        .isEqualTo(
            "PatGuardAuthorizationManager[[releases:deploy] on the project of path projectId]");
    assertThat(SECURITY.require("releases:deploy").onNoParticularProject().toString())
        .contains("on no particular project");
  }

  @Test
  void refusalWhenRequestHasUnreadBodyThenConnectionClose() throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("POST", "/x");
    request.setContent(new byte[] {1, 2, 3});
    request.setProtocol("HTTP/1.1");
    MockHttpServletResponse response = new MockHttpServletResponse();
    SECURITY
        .problemHandler()
        .commence(
            request,
            response,
            new org.springframework.security.authentication.InsufficientAuthenticationException(
                "none"));
    assertThat(response.getStatus()).isEqualTo(401);
    assertThat(response.getHeader("Connection")).isEqualTo("close");
    assertThat(response.getHeader("WWW-Authenticate")).isEqualTo("Bearer realm=\"patguard\"");
    assertThat(response.getContentType()).isEqualTo("application/problem+json");
  }
}
