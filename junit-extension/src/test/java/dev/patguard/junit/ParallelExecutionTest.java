package dev.patguard.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.patguard.decision.Grant;
import dev.patguard.fakebrms.Endpoint;
import dev.patguard.fakebrms.MintedToken;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.ClassSelector;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * The extensions under JUnit's parallel execution: tests that share a class-level server and token
 * run at the same time (a barrier proves they overlap), and servers of classes that run at the same
 * time each put the system properties back. Nothing sleeps: the barrier's timeout only bounds a run
 * in which the tests did not overlap.
 */
class ParallelExecutionTest {
  private static final String PREVIOUS = "http://previous.invalid";
  private static final int TESTS = 3;

  @BeforeEach
  void setPreviousValue() {
    System.setProperty(PatGuardTestConfig.BRMS_URL, PREVIOUS);
  }

  @AfterEach
  void clearProperty() {
    System.clearProperty(PatGuardTestConfig.BRMS_URL);
  }

  // ---- fixtures: run only through EngineTestKit (tag "fixture", nested: excluded by surefire)
  // ----

  /** Waits until {@code barrier}'s parties are all there: the tests run at the same time. */
  static void meet(CyclicBarrier barrier) {
    try {
      barrier.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (BrokenBarrierException | TimeoutException e) {
      throw new IllegalStateException("the tests did not run concurrently", e);
    }
  }

  /**
   * Holds the test named {@code late} back, before the other extensions see it, until the other
   * tests have minted their tokens: a reset in its before-each would then revoke them.
   */
  static final class HoldBackTheLateTest implements BeforeEachCallback {
    static volatile CountDownLatch minted = new CountDownLatch(TESTS - 1);

    @Override
    public void beforeEach(ExtensionContext context) throws InterruptedException {
      if (context.getRequiredTestMethod().getName().equals("late")
          && !minted.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the other tests did not run concurrently");
      }
    }
  }

  /** Several tests share the class's server and its token, checked and injected in each. */
  @Tag("fixture")
  @ExtendWith(HoldBackTheLateTest.class)
  @WithFakeBrms
  @LeastPrivilege(token = "DEPLOY_TOKEN", permissions = "releases:deploy", projects = "web-shop")
  static class SharedServerAndToken {
    static volatile CyclicBarrier together = new CyclicBarrier(TESTS);
    static final List<String> THREADS = new CopyOnWriteArrayList<>();
    static final AtomicLong SELF_LIST_REQUESTS = new AtomicLong();
    static MintedToken deploy;

    @BeforeAll
    static void issue(FakeBrmsServer brms) {
      deploy =
          brms.mintAs("DEPLOY_TOKEN", t -> t.permissions("releases:deploy").projects("web-shop"));
    }

    /** Mints, then waits for the late test, whose start must leave the token alone. */
    static void mintThenUseTheServer(FakeBrmsServer brms, Grant token) {
      MintedToken own = brms.mint(t -> t.permissions("releases:delete"));
      HoldBackTheLateTest.minted.countDown();
      useTheServer(brms, token, own);
    }

    static void useTheServer(FakeBrmsServer brms, Grant token, MintedToken own) {
      THREADS.add(Thread.currentThread().getName());
      meet(together);
      assertEquals(deploy.id(), token.subject().tokenId());
      TokenAssertions.assertThatToken(token)
          .grantsOnly("releases:deploy")
          .onlyOnProjects("web-shop");
      TokenAssertions.assertThatToken(brms.grantOf(own)).grantsOnly("releases:delete");
    }

    @Test
    void first(FakeBrmsServer brms, @Token("DEPLOY_TOKEN") Grant token) {
      mintThenUseTheServer(brms, token);
    }

    @Test
    void second(FakeBrmsServer brms, @Token("DEPLOY_TOKEN") Grant token) {
      mintThenUseTheServer(brms, token);
    }

    @Test
    void late(FakeBrmsServer brms, @Token("DEPLOY_TOKEN") Grant token) {
      useTheServer(brms, token, brms.mint(t -> t.permissions("releases:delete")));
    }

    @AfterAll
    static void count(FakeBrmsServer brms) {
      SELF_LIST_REQUESTS.set(brms.fake().requestCount(Endpoint.SELF_LIST));
    }
  }

  /** Two classes, a server each, alive at the same time. */
  static final CyclicBarrier OVERLAP = new CyclicBarrier(2);

  /** What the tests of {@link ServerA} and {@link ServerB} saw: their server's URL. */
  static final List<String> URLS = new CopyOnWriteArrayList<>();

  static void overlap(FakeBrmsServer brms, URI url) {
    URLS.add(url.toString());
    meet(OVERLAP);
    MintedToken t = brms.mint(s -> s.permissions("releases:deploy"));
    assertEquals(t.id(), brms.grantOf(t).subject().tokenId());
  }

  @Tag("fixture")
  @WithFakeBrms
  static class ServerA {
    @Test
    void overlapWithB(FakeBrmsServer brms, @FakeBrmsUrl URI url) {
      overlap(brms, url);
    }
  }

  @Tag("fixture")
  @WithFakeBrms
  static class ServerB {
    @Test
    void overlapWithA(FakeBrmsServer brms, @FakeBrmsUrl URI url) {
      overlap(brms, url);
    }
  }

  // ---- helpers ----

  private static EngineExecutionResults runConcurrently(ClassSelector... classes) {
    return run("concurrent", classes);
  }

  /** Parallel execution on, classes concurrent, methods as {@code methods} says. */
  private static EngineExecutionResults run(String methods, ClassSelector... classes) {
    // Implicit parameters on: @LeastPrivilege finds mintAs's token through the system properties.
    return EngineTestKit.engine("junit-jupiter")
        .selectors(classes)
        .enableImplicitConfigurationParameters(true)
        .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
        .configurationParameter("junit.jupiter.execution.parallel.mode.default", methods)
        .configurationParameter(
            "junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
        .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
        .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "4")
        .execute();
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

  // ---- tests ----

  @Test
  void withFakeBrmsWhenTestsRunConcurrentlyThenTheyShareTheClassServerAndTokenAndAllPass() {
    SharedServerAndToken.THREADS.clear();
    SharedServerAndToken.together = new CyclicBarrier(TESTS);
    HoldBackTheLateTest.minted = new CountDownLatch(TESTS - 1);
    assertAllPassed(runConcurrently(selectClass(SharedServerAndToken.class)), TESTS);
    assertEquals(TESTS, Set.copyOf(SharedServerAndToken.THREADS).size(), "one thread per test");
    assertEquals(
        1 + TESTS,
        SharedServerAndToken.SELF_LIST_REQUESTS.get(),
        "the shared token read once for all tests, plus each test's own grantOf");
    assertEquals(PREVIOUS, System.getProperty(PatGuardTestConfig.BRMS_URL));
    assertEquals(null, System.getProperty(PatGuardTestConfig.ENV_PREFIX + "DEPLOY_TOKEN"));
  }

  @Test
  void withFakeBrmsWhenTwoClassServersOverlapThenEachTestGetsItsOwnAndThePropertyComesBack() {
    URLS.clear();
    assertAllPassed(runConcurrently(selectClass(ServerA.class), selectClass(ServerB.class)), 2);
    assertEquals(2, URLS.size());
    assertNotEquals(URLS.get(0), URLS.get(1));
    assertEquals(
        PREVIOUS,
        System.getProperty(PatGuardTestConfig.BRMS_URL),
        "whichever server closed first, the value found before both is back");
  }

  @Test
  void
      withFakeBrmsWhenClassesRunInParallelButTheirMethodsInOneThreadThenEachTestStartsFromTheClassSetup() {
    EngineExecutionResults r =
        run(
            "same_thread",
            selectClass(FakeBrmsResetTest.StateChangedInOneTest.class),
            selectClass(FakeBrmsResetTest.ClockMovedInOneTest.class));
    assertAllPassed(r, 4);
    assertEquals(PREVIOUS, System.getProperty(PatGuardTestConfig.BRMS_URL));
  }
}
