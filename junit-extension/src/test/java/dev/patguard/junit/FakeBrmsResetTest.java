package dev.patguard.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.patguard.PatGuard;
import dev.patguard.decision.Decision;
import dev.patguard.decision.Requirement;
import dev.patguard.fakebrms.Endpoint;
import dev.patguard.fakebrms.Fault;
import dev.patguard.fakebrms.MintedToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodDescriptor;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.MethodOrdererContext;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * A class-level {@link WithFakeBrms} server is shared by the class's tests but put back before each
 * one: what one test injects, mints, revokes or counts never reaches the next, whatever the order.
 */
class FakeBrmsResetTest {
  private static final String ORDER = "junit.jupiter.testmethod.order.default";

  // ---- fixtures: run only through EngineTestKit (tag "fixture", nested: excluded by surefire)
  // ----

  /**
   * The example of junit-extension/README.md ("Test your app with @WithFakeBrms"), as written
   * there.
   */
  @Tag("fixture")
  @WithFakeBrms // one server per class, reset before each test; on a method: one per test
  static class DeployEndpointTest {
    @Test
    void deployWhenTokenMayDeployThenAccepted(FakeBrmsServer brms, @FakeBrmsUrl URI brmsUrl) {
      String secret =
          brms.mint(t -> t.permissions("releases:deploy").projects("web-shop")).secret();
      // start the app against brmsUrl (also in System property patguard.brms.url) and call it
      // with "Authorization: Bearer " + secret; here a PatGuard stands in for the app
      try (PatGuard app = PatGuard.builder().baseUrl(brmsUrl).build()) {
        Decision d = app.decideBlocking(secret, Requirement.parse("releases:deploy@web-shop"));
        assertInstanceOf(Decision.Permit.class, d); // the app answers 200
      }
    }

    @Test
    void deployWhenBrmsIsDownThenServiceUnavailable(FakeBrmsServer brms, @FakeBrmsUrl URI brmsUrl) {
      String secret =
          brms.mint(t -> t.permissions("releases:deploy").projects("web-shop")).secret();
      brms.inject(Endpoint.SELF_LIST, Fault.status(503)); // this test only: undone before the next
      try (PatGuard app = PatGuard.builder().baseUrl(brmsUrl).build()) {
        Decision d = app.decideBlocking(secret, Requirement.parse("releases:deploy@web-shop"));
        assertInstanceOf(Decision.Indeterminate.class, d); // the app answers 503
      }
    }
  }

  /**
   * Method names in reverse alphabetical order (JUnit's {@link MethodOrderer.MethodName},
   * reversed).
   */
  public static final class ReverseMethodName implements MethodOrderer {
    /** Created by JUnit from the configuration parameter. */
    public ReverseMethodName() {}

    @Override
    public void orderMethods(MethodOrdererContext context) {
      context
          .getMethodDescriptors()
          .sort(Comparator.comparing((MethodDescriptor d) -> d.getMethod().getName()).reversed());
    }
  }

  /**
   * Two tokens minted for the class; one test changes all it can, the other expects the class's
   * state.
   */
  @Tag("fixture")
  @WithFakeBrms
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class StateChangedInOneTest {
    static MintedToken revoked;
    static MintedToken expired;
    static MintedToken minted;

    @BeforeAll
    static void issue(FakeBrmsServer brms) {
      revoked =
          brms.mintAs("CLASS_TOKEN", t -> t.permissions("releases:deploy").projects("web-shop"));
      expired = brms.mint(t -> t.permissions("releases").projects("web-shop"));
      brms.grantOf(revoked); // a request before the first test
    }

    @Test
    @Order(1)
    void changeEverything(FakeBrmsServer brms) {
      assertEquals(
          0, brms.fake().totalRequests(), "requests made before this test are not counted in it");
      minted = brms.mintAs("TEST_TOKEN", t -> t.permissions("owner"));
      brms.grantOf(minted);
      brms.fake().revoke(revoked.id());
      brms.fake().expire(expired.id());
      brms.fake().setOwnerStatus(expired.userId(), "inactive");
      brms.inject(Endpoint.SELF_LIST, Fault.status(503));
      brms.fake().inject(Endpoint.SERVICE_GET, Fault.malformedJson(), 3);
    }

    @Test
    @Order(2)
    void seeTheClassState(FakeBrmsServer brms) {
      assertEquals(0, brms.fake().totalRequests(), "counters start at zero in each test");
      // Compared, never printed: a failure message must not show a secret.
      assertTrue(
          revoked
              .secret()
              .equals(System.getProperty(PatGuardTestConfig.ENV_PREFIX + "CLASS_TOKEN")),
          "@BeforeAll's mintAs stays");
      assertFalse(
          System.getProperties().containsKey(PatGuardTestConfig.ENV_PREFIX + "TEST_TOKEN"),
          "the last test's mintAs is undone");
      assertNull(System.getProperty(PatGuardTestConfig.ENV_PREFIX + "TEST_TOKEN_PAT_ID"));
      assertTrue(brms.fake().token(minted.id()).isEmpty(), "the last test's token is gone");
      assertTrue(brms.fake().token(revoked.id()).isPresent(), "the revocation is undone");
      assertEquals(
          "active",
          brms.fake().user(expired.userId()).orElseThrow().status(),
          "the owner is active again");
      assertTrue(
          brms.grantOf(expired).expiresAt().orElseThrow().isAfter(brms.fake().clock().instant()),
          "the expiry is undone");
      brms.grantOf(revoked); // the SELF_LIST fault is gone
      assertEquals(2, brms.fake().requestCount(Endpoint.SELF_LIST));
    }
  }

  /** The clock moved in one test stands where it stood for the next. */
  @Tag("fixture")
  @WithFakeBrms
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class ClockMovedInOneTest {
    static Instant start;
    static MintedToken monthly;

    @BeforeAll
    static void issue(FakeBrmsServer brms) {
      start = brms.clock().instant();
      monthly = brms.mint(t -> t.expiresIn(Duration.ofDays(30)));
    }

    @Test
    @Order(1)
    void moveTheClockPastTheExpiry(FakeBrmsServer brms) {
      assertEquals(200, selfList(brms, monthly));
      brms.clock().advance(Duration.ofDays(31));
      assertEquals(401, selfList(brms, monthly));
    }

    @Test
    @Order(2)
    void seeTheClockWhereItStood(FakeBrmsServer brms) {
      assertEquals(start, brms.clock().instant());
      assertEquals(start, brms.fake().clock().instant());
      assertEquals(200, selfList(brms, monthly));
    }
  }

  /**
   * A fault injected in {@code @BeforeAll} is part of the class's setup: each test gets it again.
   */
  @Tag("fixture")
  @WithFakeBrms
  static class FaultFromBeforeAll {
    static MintedToken token;

    @BeforeAll
    static void faultTheFirstRequest(FakeBrmsServer brms) {
      token = brms.mint(t -> t.note("shared"));
      brms.fake().inject(Endpoint.SELF_LIST, Fault.status(503), 1);
    }

    @Test
    void first(FakeBrmsServer brms) {
      assertEquals(503, selfList(brms, token));
      assertEquals(200, selfList(brms, token));
    }

    @Test
    void second(FakeBrmsServer brms) {
      assertEquals(503, selfList(brms, token));
      assertEquals(200, selfList(brms, token));
    }
  }

  /** What each part of {@link Outer} saw: the server's URL. */
  static final List<String> URLS = new CopyOnWriteArrayList<>();

  /** A nested class shares the server, adds its own setup, and is reset to both. */
  @Tag("fixture")
  @WithFakeBrms
  static class Outer {
    static MintedToken outerToken;

    @BeforeAll
    static void issue(FakeBrmsServer brms) {
      outerToken = brms.mint(t -> t.note("shared"));
    }

    @Test
    void changeTheOuterSetup(FakeBrmsServer brms) {
      URLS.add(brms.baseUrl().toString());
      brms.fake().revoke(outerToken.id());
      brms.clock().advance(Duration.ofDays(1));
      brms.inject(Endpoint.SELF_LIST, Fault.status(503));
    }

    @Nested
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Inner {
      static MintedToken innerToken;
      static Instant innerStart;

      @BeforeAll
      static void issueMore(FakeBrmsServer brms) {
        assertTrue(
            brms.fake().token(outerToken.id()).isPresent(),
            "built on the outer setup, not its last test");
        assertEquals(200, selfList(brms, outerToken), "no fault from the outer test");
        innerStart = brms.clock().instant();
        innerToken = brms.mint(t -> t.note("shared"));
      }

      @Test
      @Order(1)
      void changeBothSetups(FakeBrmsServer brms) {
        URLS.add(brms.baseUrl().toString());
        brms.fake().revoke(outerToken.id());
        brms.fake().revoke(innerToken.id());
        brms.clock().advance(Duration.ofDays(1));
      }

      @Test
      @Order(2)
      void seeBothSetups(FakeBrmsServer brms) {
        URLS.add(brms.baseUrl().toString());
        assertEquals(0, brms.fake().totalRequests());
        assertEquals(200, selfList(brms, outerToken));
        assertEquals(200, selfList(brms, innerToken));
        assertEquals(innerStart, brms.clock().instant());
      }
    }
  }

  /**
   * A method-level server inside a class-level one is its own, and the class's is untouched by it.
   */
  @Tag("fixture")
  @WithFakeBrms
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class MethodServerInClass {
    static MintedToken classToken;
    static URI classUrl;

    @BeforeAll
    static void issue(FakeBrmsServer brms) {
      classUrl = brms.baseUrl();
      classToken = brms.mint(t -> t.note("shared"));
    }

    @Test
    @Order(1)
    @WithFakeBrms
    void ownServer(FakeBrmsServer brms, @FakeBrmsUrl URI url) {
      assertNotEquals(classUrl, url);
      assertEquals(url, brms.baseUrl());
      assertTrue(brms.fake().token(classToken.id()).isEmpty(), "a fresh server");
      brms.inject(Endpoint.SELF_LIST, Fault.status(503));
    }

    @Test
    @Order(2)
    void classServer(FakeBrmsServer brms) {
      assertEquals(classUrl, brms.baseUrl());
      assertEquals(200, selfList(brms, classToken));
    }

    @Test
    @Order(3)
    @WithFakeBrms
    void anotherOwnServer(FakeBrmsServer brms) {
      assertNotEquals(classUrl, brms.baseUrl());
      assertEquals(0, brms.fake().totalRequests());
      assertEquals(List.of(), brms.fake().users());
    }
  }

  /** Each repetition of a repeated (or parameterized) test is a test of its own. */
  @Tag("fixture")
  @WithFakeBrms
  static class Repeated {
    static MintedToken token;
    static Instant start;

    @BeforeAll
    static void issue(FakeBrmsServer brms) {
      token = brms.mint(t -> t.note("shared"));
      start = brms.clock().instant();
    }

    @RepeatedTest(3)
    void eachRepetitionStartsFromTheClassSetup(FakeBrmsServer brms) {
      assertEquals(0, brms.fake().totalRequests());
      assertEquals(start, brms.clock().instant());
      assertEquals(200, selfList(brms, token));
      brms.inject(Endpoint.SELF_LIST, Fault.status(503));
      brms.clock().advance(Duration.ofDays(1));
      brms.fake().revoke(token.id());
    }
  }

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * The status of {@code GET /api/personal-access-tokens} with the token: one request, no retries.
   */
  static int selfList(FakeBrmsServer brms, MintedToken token) {
    HttpRequest request =
        HttpRequest.newBuilder(brms.baseUrl().resolve("/api/personal-access-tokens"))
            .header("Authorization", "Bearer " + token.secret())
            .timeout(Duration.ofSeconds(30))
            .build();
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static EngineExecutionResults run(Class<?> fixture, String methodOrderer) {
    return EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(fixture))
        .configurationParameter(ORDER, methodOrderer)
        .execute();
  }

  private static EngineExecutionResults run(Class<?> fixture) {
    return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute();
  }

  /** The methods in the order they started. */
  private static List<String> started(EngineExecutionResults r) {
    return r.testEvents().started().stream()
        .map(Event::getTestDescriptor)
        .map(d -> d.getDisplayName().replaceAll("\\(.*", ""))
        .collect(Collectors.toList());
  }

  /** Every test passed, else the failures (of tests and of containers) as the assertion message. */
  private static void assertAllPassed(EngineExecutionResults r, int tests) {
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
    r.testEvents().assertStatistics(s -> s.started(tests).succeeded(tests));
  }

  @Test
  void fakeBrmsWhenReadmeExampleRunsFaultFirstThenBothTestsPass() {
    EngineExecutionResults r =
        run(DeployEndpointTest.class, MethodOrderer.MethodName.class.getName());
    assertEquals(
        List.of(
            "deployWhenBrmsIsDownThenServiceUnavailable", "deployWhenTokenMayDeployThenAccepted"),
        started(r));
    assertAllPassed(r, 2);
  }

  @Test
  void fakeBrmsWhenReadmeExampleRunsFaultLastThenBothTestsPass() {
    EngineExecutionResults r = run(DeployEndpointTest.class, ReverseMethodName.class.getName());
    assertEquals(
        List.of(
            "deployWhenTokenMayDeployThenAccepted", "deployWhenBrmsIsDownThenServiceUnavailable"),
        started(r));
    assertAllPassed(r, 2);
  }

  @Test
  void fakeBrmsWhenOneTestChangesTheServerThenTheNextSeesTheStateClassSetupLeft() {
    assertAllPassed(run(StateChangedInOneTest.class), 2);
  }

  @Test
  void fakeBrmsWhenOneTestMovesTheClockThenTheNextFindsItWhereItStood() {
    assertAllPassed(run(ClockMovedInOneTest.class), 2);
  }

  @Test
  void fakeBrmsWhenBeforeAllInjectsACountedFaultThenEveryTestGetsIt() {
    assertAllPassed(run(FaultFromBeforeAll.class), 2);
  }

  @Test
  void fakeBrmsWhenNestedClassSharesTheServerThenItStartsFromTheOuterSetupAndKeepsItsOwn() {
    URLS.clear();
    assertAllPassed(run(Outer.class), 3);
    assertEquals(3, URLS.size());
    assertEquals(1, Set.copyOf(URLS).size(), "one server: " + URLS);
  }

  @Test
  void fakeBrmsWhenRepeatedTestThenEachRepetitionStartsFromTheClassSetup() {
    assertAllPassed(run(Repeated.class), 3);
  }

  @Test
  void fakeBrmsWhenOnAMethodOfAClassWithOneThenThatTestGetsItsOwnServer() {
    assertAllPassed(run(MethodServerInClass.class), 3);
  }
}
