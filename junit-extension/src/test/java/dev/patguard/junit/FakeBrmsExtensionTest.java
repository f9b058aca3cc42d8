package dev.patguard.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.patguard.decision.Grant;
import dev.patguard.fakebrms.Endpoint;
import dev.patguard.fakebrms.FakeUser;
import dev.patguard.fakebrms.Fault;
import dev.patguard.fakebrms.MintedToken;
import dev.patguard.token.SecretDigest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

class FakeBrmsExtensionTest {
  private static final String PREVIOUS = "http://previous.invalid";

  /** What fixtures saw: base URL, the system property at that moment. */
  static final List<String[]> SEEN = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setPreviousValue() {
    SEEN.clear();
    System.setProperty(PatGuardTestConfig.BRMS_URL, PREVIOUS);
  }

  @AfterEach
  void clearProperty() {
    System.clearProperty(PatGuardTestConfig.BRMS_URL);
  }

  @Tag("fixture")
  @WithFakeBrms
  static class PerClass {
    static URI fromBeforeAll;

    @BeforeAll
    static void mint(FakeBrmsServer brms) {
      fromBeforeAll = brms.baseUrl();
    }

    @Test
    void first(FakeBrmsServer brms, @FakeBrmsUrl URI url) {
      SEEN.add(
          new String[] {
            brms.baseUrl().toString(),
            System.getProperty(PatGuardTestConfig.BRMS_URL),
            url.toString()
          });
    }

    @Test
    void second(FakeBrmsServer brms, @FakeBrmsUrl String url) {
      SEEN.add(
          new String[] {
            brms.baseUrl().toString(), System.getProperty(PatGuardTestConfig.BRMS_URL), url
          });
    }
  }

  @Tag("fixture")
  static class PerMethod {
    @Test
    @WithFakeBrms
    void first(FakeBrmsServer brms) {
      SEEN.add(
          new String[] {
            brms.baseUrl().toString(), System.getProperty(PatGuardTestConfig.BRMS_URL)
          });
    }

    @Test
    @WithFakeBrms
    void second(FakeBrmsServer brms) {
      SEEN.add(
          new String[] {
            brms.baseUrl().toString(), System.getProperty(PatGuardTestConfig.BRMS_URL)
          });
    }
  }

  @Tag("fixture")
  @WithFakeBrms
  static class MethodShadowsClass {
    @Test
    @WithFakeBrms
    void shadowed(FakeBrmsServer brms) {
      SEEN.add(
          new String[] {
            brms.baseUrl().toString(), System.getProperty(PatGuardTestConfig.BRMS_URL)
          });
    }

    @Test
    void classLevel(FakeBrmsServer brms) {
      SEEN.add(
          new String[] {
            brms.baseUrl().toString(), System.getProperty(PatGuardTestConfig.BRMS_URL)
          });
    }
  }

  @Tag("fixture")
  @WithFakeBrms
  static class MintAndFaults {
    @Test
    void mintAsExposesSecretUntilClosed(FakeBrmsServer brms) {
      MintedToken t =
          brms.mintAs("DEPLOY_TOKEN", s -> s.permissions("releases:deploy").projects("web-shop"));
      // Compared by fingerprint: a failure message must not print the secret.
      assertEquals(
          SecretDigest.fingerprintOf(t.secret()),
          fingerprintOf(System.getProperty(PatGuardTestConfig.ENV_PREFIX + "DEPLOY_TOKEN")));
      assertEquals(
          t.id().toString(),
          System.getProperty(PatGuardTestConfig.ENV_PREFIX + "DEPLOY_TOKEN_PAT_ID"));
      TokenAssertions.assertThatToken(brms.grantOf(t))
          .grantsOnly("releases:deploy")
          .onlyOnProjects("web-shop");
      brms.inject(Endpoint.SELF_LIST, Fault.status(503));
      assertThrows(IllegalStateException.class, () -> brms.grantOf(t));
      brms.clearFaults();
      assertEquals(1, brms.fake().tokensOf(t.userId()).size());
    }
  }

  /**
   * What grantOf reads and how it fails; every message it throws is kept to be scanned for secrets.
   */
  @Tag("fixture")
  @WithFakeBrms
  static class GrantOf {
    static final List<String> MESSAGES = new CopyOnWriteArrayList<>();
    static final List<String> SECRETS = new CopyOnWriteArrayList<>();

    static MintedToken mint(FakeBrmsServer brms) {
      MintedToken t =
          brms.mint(s -> s.note("app").permissions("releases:deploy").projects("web-shop"));
      SECRETS.add(t.secret());
      return t;
    }

    static IllegalStateException failure(Executable call) {
      IllegalStateException e = assertThrows(IllegalStateException.class, call);
      MESSAGES.add(e.getMessage());
      return e;
    }

    @Test
    void grantOfWhenMintedThenTheGrantCarriesTheFingerprintAndMakesOneRequest(FakeBrmsServer brms) {
      MintedToken t = mint(brms);
      Grant g = brms.grantOf(t);
      assertEquals(SecretDigest.fingerprintOf(t.secret()), g.subject().fingerprint());
      assertEquals(t.id(), g.subject().tokenId());
      brms.grantOf(t);
      assertEquals(
          2, brms.fake().requestCount(Endpoint.SELF_LIST), "nothing is cached between calls");
    }

    @Test
    void grantOfWhenOwnerHasAnotherLiveTokenThenItIsTheMintedTokensOwnGrant(FakeBrmsServer brms) {
      MintedToken t = mint(brms);
      FakeUser owner = brms.fake().user(t.userId()).orElseThrow();
      brms.mint(s -> s.owner(owner).permissions("owner").allProjects(true));
      Grant g = brms.grantOf(t);
      assertFalse(g.isAmbiguous());
      assertEquals(t.id(), g.subject().tokenId());
      TokenAssertions.assertThatToken(g).grantsOnly("releases:deploy").onlyOnProjects("web-shop");
    }

    @Test
    void grantOfWhenACountedFaultIsInjectedThenItFailsOnceAndIsNotRetriedAway(FakeBrmsServer brms) {
      MintedToken t = mint(brms);
      brms.fake().inject(Endpoint.SELF_LIST, Fault.status(503), 1);
      IllegalStateException e = failure(() -> brms.grantOf(t));
      assertTrue(e.getMessage().contains("BRMS answered 503"), e.getMessage());
      assertEquals(1, brms.fake().requestCount(Endpoint.SELF_LIST), "no retry");
      assertEquals(t.id(), brms.grantOf(t).subject().tokenId());
    }

    @Test
    void grantOfWhenTokenRevokedThenFailsSaying401(FakeBrmsServer brms) {
      MintedToken t = mint(brms);
      brms.fake().revoke(t.id());
      IllegalStateException e = failure(() -> brms.grantOf(t));
      assertEquals(
          "the fake BRMS at "
              + brms.baseUrl()
              + " refused "
              + t
              + ": 401, TOKEN_INVALID: it is unknown,"
              + " revoked or expired",
          e.getMessage());
      assertEquals(
          1,
          brms.fake().requestCount(Endpoint.SELF_LIST),
          "the refusal is explained without asking again");
    }

    @Test
    void grantOfWhenSelfListForbiddenThenFailsSaying403(FakeBrmsServer brms) {
      MintedToken t = mint(brms);
      brms.inject(Endpoint.SELF_LIST, Fault.status(403));
      IllegalStateException e = failure(() -> brms.grantOf(t));
      assertTrue(
          e.getMessage()
              .endsWith(
                  ": 403, LOOKUP_FORBIDDEN: the token is live but may not read its own facts"),
          e.getMessage());
    }
  }

  @Tag("fixture")
  static class NoServer {
    @Test
    void wantsUrl(@FakeBrmsUrl URI url) {
      SEEN.add(new String[] {url.toString()});
    }
  }

  @Tag("fixture")
  @WithFakeBrms
  static class UrlOnWrongType {
    @Test
    void wantsUrl(@FakeBrmsUrl Integer url) {
      SEEN.add(new String[] {String.valueOf(url)});
    }
  }

  /** The fingerprint of a value that should be a secret, or a marker when it is unset. */
  static String fingerprintOf(@Nullable String secret) {
    return secret == null ? "(unset)" : SecretDigest.fingerprintOf(secret);
  }

  private static EngineExecutionResults run(Class<?> fixture) {
    return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute();
  }

  private static void assertClosed(String url) {
    URI u = URI.create(url);
    assertThrows(
        IOException.class,
        () -> {
          try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(u.getHost(), u.getPort()), 1000);
          }
        },
        "still accepting connections: " + url);
  }

  @Test
  void fakeBrmsWhenOnClassThenOneServerForAllTestsClosedAndPropertyRestoredAfterwards() {
    run(PerClass.class).testEvents().assertStatistics(s -> s.started(2).succeeded(2));
    assertEquals(2, SEEN.size());
    String url = SEEN.get(0)[0];
    assertEquals(url, SEEN.get(1)[0]);
    assertEquals(url, PerClass.fromBeforeAll.toString());
    for (String[] seen : SEEN) {
      assertEquals(url, seen[1], "system property while running");
      assertEquals(url, seen[2], "@FakeBrmsUrl parameter");
    }
    assertClosed(url);
    assertEquals(PREVIOUS, System.getProperty(PatGuardTestConfig.BRMS_URL));
  }

  @Test
  void fakeBrmsWhenOnMethodsThenOneServerPerTestEachClosed() {
    run(PerMethod.class).testEvents().assertStatistics(s -> s.started(2).succeeded(2));
    assertEquals(2, SEEN.size());
    assertNotEquals(SEEN.get(0)[0], SEEN.get(1)[0]);
    for (String[] seen : SEEN) {
      assertEquals(seen[0], seen[1]);
      assertClosed(seen[0]);
    }
    assertEquals(PREVIOUS, System.getProperty(PatGuardTestConfig.BRMS_URL));
  }

  @Test
  void fakeBrmsWhenOnClassAndMethodThenMethodServerShadowsAndClassValueComesBack() {
    System.clearProperty(PatGuardTestConfig.BRMS_URL);
    run(MethodShadowsClass.class).testEvents().assertStatistics(s -> s.started(2).succeeded(2));
    assertEquals(2, SEEN.size());
    assertNotEquals(SEEN.get(0)[0], SEEN.get(1)[0]);
    for (String[] seen : SEEN) {
      assertEquals(seen[0], seen[1]);
      assertClosed(seen[0]);
    }
    assertNull(System.getProperty(PatGuardTestConfig.BRMS_URL));
  }

  @Test
  void mintAsWhenServerClosesThenExposedVariablesAreRemoved() {
    run(MintAndFaults.class).testEvents().assertStatistics(s -> s.started(1).succeeded(1));
    assertNull(System.getProperty(PatGuardTestConfig.ENV_PREFIX + "DEPLOY_TOKEN"));
    assertNull(System.getProperty(PatGuardTestConfig.ENV_PREFIX + "DEPLOY_TOKEN_USER_ID"));
  }

  @Test
  void grantOfWhenRunThenReadsAsAnAppWouldFailsPreciselyAndNeverShowsTheSecret() {
    GrantOf.MESSAGES.clear();
    GrantOf.SECRETS.clear();
    EngineExecutionResults r = run(GrantOf.class);
    String failures =
        r.allEvents().failed().stream()
            .map(
                e ->
                    e.getTestDescriptor().getDisplayName()
                        + ": "
                        + e.getPayload(TestExecutionResult.class)
                            .flatMap(TestExecutionResult::getThrowable)
                            .map(Throwable::toString)
                            .orElse("?"))
            .collect(Collectors.joining("; "));
    assertEquals("", failures);
    r.testEvents().assertStatistics(s -> s.started(5).succeeded(5));
    assertEquals(3, GrantOf.MESSAGES.size());
    for (String m : GrantOf.MESSAGES) {
      for (String secret : GrantOf.SECRETS) {
        assertFalse(m.contains(secret), "a message holds a secret: " + m);
      }
    }
  }

  @Test
  void parameterWhenNoFakeBrmsThenFailsSayingHowToStartOne() {
    EngineExecutionResults r = run(NoServer.class);
    r.testEvents().assertStatistics(s -> s.failed(1));
    Throwable t =
        r.testEvents()
            .failed()
            .list()
            .get(0)
            .getPayload(TestExecutionResult.class)
            .flatMap(TestExecutionResult::getThrowable)
            .orElseThrow();
    String m = t.getMessage() + " / " + (t.getCause() == null ? "" : t.getCause().getMessage());
    assertTrue(m.contains("annotate the test class or method with @WithFakeBrms"), m);
  }

  @Test
  void fakeBrmsUrlWhenWrongTypeThenConfigurationErrorNamesTheType() {
    EngineExecutionResults r = run(UrlOnWrongType.class);
    r.testEvents().assertStatistics(s -> s.failed(1));
    Throwable t =
        r.testEvents()
            .failed()
            .list()
            .get(0)
            .getPayload(TestExecutionResult.class)
            .flatMap(TestExecutionResult::getThrowable)
            .orElseThrow();
    String m = t.getMessage() + " / " + (t.getCause() == null ? "" : t.getCause().getMessage());
    assertTrue(m.contains("@FakeBrmsUrl is on parameter") && m.contains("java.lang.Integer"), m);
  }
}
