package dev.patguard.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;

import dev.patguard.decision.Decision;
import dev.patguard.decision.DenyReason;
import dev.patguard.decision.IndeterminateCause;
import dev.patguard.decision.TokenSubject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Proxy;
import java.security.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The hand-off's once-only settling, with a hand-written AsyncContext: which of decision and
 * container timeout answers, that a refusal is never dispatched, and that the filter recognises
 * only its own resumptions. The containers' side of it is AsyncMappingScenarios'.
 */
class AsyncHandOffTest {
  private static final TokenSubject SUBJECT = TokenSubject.fingerprintOnly("0123abcd");
  private static final Decision PERMIT = Decision.permit(SUBJECT, List.of());
  private static final Decision DENY =
      Decision.deny(SUBJECT, DenyReason.permissionMissing("releases:deploy"));
  private static final Decision TIMED_OUT =
      Decision.indeterminate(SUBJECT, IndeterminateCause.TIMEOUT, "timed out");
  private static final Principal ALICE = () -> "alice";

  /** A suspended request as a container holds it: attributes, the listeners, what was called. */
  private static final class Suspended implements AsyncContext {
    final Map<String, Object> attributes = new ConcurrentHashMap<>();
    final List<AsyncListener> listeners = new CopyOnWriteArrayList<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<Runnable> started = new CopyOnWriteArrayList<>();
    final HttpServletResponse response = mock(HttpServletResponse.class);
    final HttpServletRequest request =
        (HttpServletRequest)
            Proxy.newProxyInstance(
                AsyncHandOffTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class},
                (proxy, method, args) ->
                    switch (method.getName()) {
                      case "startAsync" -> this;
                      case "getAttribute" -> attributes.get((String) args[0]);
                      case "setAttribute" -> attributes.put((String) args[0], args[1]);
                      case "removeAttribute" -> attributes.remove((String) args[0]);
                      case "getUserPrincipal" -> null;
                      case "hashCode" -> System.identityHashCode(proxy);
                      case "equals" -> proxy == args[0];
                      case "toString" -> "suspended request";
                      default -> throw new UnsupportedOperationException(method.getName());
                    });

    void fire(String event) throws Exception {
      for (AsyncListener l : listeners) {
        AsyncEvent e = new AsyncEvent(this);
        switch (event) {
          case "timeout" -> l.onTimeout(e);
          case "complete" -> l.onComplete(e);
          default -> l.onStartAsync(e);
        }
      }
    }

    /** Runs what was handed to AsyncContext.start, as a container thread would. */
    void runStarted() {
      List<Runnable> now = new ArrayList<>(started);
      started.clear();
      now.forEach(Runnable::run);
    }

    long count(String call) {
      return calls.stream().filter(call::equals).count();
    }

    @Override
    public ServletRequest getRequest() {
      return request;
    }

    @Override
    public ServletResponse getResponse() {
      return response;
    }

    @Override
    public boolean hasOriginalRequestAndResponse() {
      return true;
    }

    @Override
    public void dispatch() {
      calls.add("dispatch");
    }

    @Override
    public void dispatch(String path) {
      calls.add("dispatch " + path);
    }

    @Override
    public void dispatch(ServletContext context, String path) {
      calls.add("dispatch " + path);
    }

    @Override
    public void complete() {
      calls.add("complete");
    }

    @Override
    public void start(Runnable run) {
      calls.add("start");
      started.add(run);
    }

    @Override
    public void addListener(AsyncListener listener) {
      listeners.add(listener);
    }

    @Override
    public void addListener(
        AsyncListener listener, ServletRequest request, ServletResponse response) {
      listeners.add(listener);
    }

    @Override
    public <T extends AsyncListener> T createListener(Class<T> type) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void setTimeout(long timeout) {
      calls.add("setTimeout " + timeout);
    }

    @Override
    public long getTimeout() {
      return 0;
    }
  }

  /** Verdicts that record what the filter was asked to do. */
  private static final class Outcomes {
    final List<String> done = new CopyOnWriteArrayList<>();
    final AtomicInteger reports = new AtomicInteger();

    AsyncHandOff.Verdict verdict(Decision d) {
      if (d.isPermit()) {
        return new AsyncHandOff.Verdict.Pass(
            ALICE, res -> done.add("admit"), reports::incrementAndGet);
      }
      return new AsyncHandOff.Verdict.Refuse(
          res -> {
            done.add(
                "answer "
                    + d.getClass().getSimpleName()
                    + (d instanceof Decision.Indeterminate i ? " " + i.cause() : ""));
          });
    }
  }

  private static Suspended suspend(
      AsyncHandOff handOff, CompletableFuture<Decision> future, Outcomes outcomes) {
    Suspended s = new Suspended();
    handOff.suspend(s.request, future, 1234, outcomes::verdict, TIMED_OUT, "POST /deploy");
    return s;
  }

  @Test
  void suspendWhenPermittedThenAdmittedParkedAndDispatchedAndTheFiltersOwnReEntryTakesItOnce() {
    AsyncHandOff handOff = new AsyncHandOff();
    Outcomes outcomes = new Outcomes();
    CompletableFuture<Decision> future = new CompletableFuture<>();
    Suspended s = suspend(handOff, future, outcomes);
    assertEquals(List.of("setTimeout 1234"), s.calls);

    future.complete(PERMIT);
    assertEquals(List.of("admit"), outcomes.done);
    assertEquals(1, s.count("dispatch"));
    assertEquals(0, outcomes.reports.get(), "reported when the filter takes the request back");

    HttpServletRequest resumed = handOff.resumption(s.request);
    assertNotNull(resumed);
    assertSame(ALICE, resumed.getUserPrincipal());
    assertEquals(1, outcomes.reports.get());
    assertNull(
        handOff.resumption(s.request),
        "taken once: a second ASYNC dispatch is checked like a new one");
    assertTrue(s.attributes.isEmpty(), s.attributes::toString);
  }

  @Test
  void resumptionWhenParkedByAnotherFilterInstanceThenNull() {
    AsyncHandOff mine = new AsyncHandOff();
    AsyncHandOff other = new AsyncHandOff();
    Suspended theirs = suspend(other, CompletableFuture.completedFuture(PERMIT), new Outcomes());
    assertNull(mine.resumption(theirs.request), "another instance's attribute name");
    // Even under this instance's own attribute name, a value it did not create is not its
    // resumption.
    Suspended ours = suspend(mine, CompletableFuture.completedFuture(PERMIT), new Outcomes());
    String name = ours.attributes.keySet().iterator().next();
    ours.attributes.put(name, theirs.attributes.values().iterator().next());
    assertNull(mine.resumption(ours.request));
  }

  @Test
  void suspendWhenRefusedThenAnsweredOnAContainerThreadAndCompletedNeverDispatched()
      throws Exception {
    Outcomes outcomes = new Outcomes();
    CompletableFuture<Decision> future = new CompletableFuture<>();
    Suspended s = suspend(new AsyncHandOff(), future, outcomes);

    future.complete(DENY);
    assertEquals(List.of(), outcomes.done, "not written on the thread that completed the decision");
    assertEquals(1, s.count("start"));
    s.runStarted();
    assertEquals(List.of("answer Deny"), outcomes.done);
    assertEquals(1, s.count("complete"));
    s.fire("timeout");
    assertEquals(List.of("answer Deny"), outcomes.done, "answered once");
    assertEquals(0, s.count("dispatch"));
  }

  @Test
  void onTimeoutWhenBeforeTheDecisionThenTheTimeoutIsAnsweredHereAndTheLateDecisionDropped()
      throws Exception {
    Outcomes outcomes = new Outcomes();
    CompletableFuture<Decision> future = new CompletableFuture<>();
    Suspended s = suspend(new AsyncHandOff(), future, outcomes);

    s.fire("timeout");
    assertEquals(List.of("answer Indeterminate TIMEOUT"), outcomes.done);
    assertEquals(1, s.count("complete"));
    future.complete(PERMIT);
    assertEquals(
        List.of("answer Indeterminate TIMEOUT"), outcomes.done, "the late permit changes nothing");
    assertEquals(0, s.count("dispatch"));
    assertEquals(0, s.count("start"));
  }

  @Test
  void onTimeoutWhenRefusalDecidedButNotYetWrittenThenTheDecidedRefusalIsAnsweredOnce()
      throws Exception {
    Outcomes outcomes = new Outcomes();
    CompletableFuture<Decision> future = new CompletableFuture<>();
    Suspended s = suspend(new AsyncHandOff(), future, outcomes);

    future.complete(DENY); // handed to a container thread that does not run in time
    s.fire("timeout");
    assertEquals(List.of("answer Deny"), outcomes.done);
    s.runStarted();
    assertEquals(List.of("answer Deny"), outcomes.done);
    assertEquals(1, s.count("complete"));
  }

  @Test
  void onTimeoutWhenThePermitWasDispatchedThenNothing() throws Exception {
    Outcomes outcomes = new Outcomes();
    Suspended s = suspend(new AsyncHandOff(), CompletableFuture.completedFuture(PERMIT), outcomes);
    s.fire("timeout");
    assertEquals(List.of("admit"), outcomes.done);
    assertEquals(0, s.count("complete"));
  }

  @Test
  void suspendWhenTheDecisionFailsThenRefusedAsIndeterminate() {
    Outcomes outcomes = new Outcomes();
    Suspended s =
        suspend(
            new AsyncHandOff(),
            CompletableFuture.failedFuture(new IllegalStateException("bug")),
            outcomes);
    s.runStarted();
    assertEquals(List.of("answer Indeterminate INTERNAL_ERROR"), outcomes.done);
  }

  @Test
  void onCompleteWhenTheResumptionIsStillParkedThenReportedAndOneErrorNamesTheMissingAsyncMapping()
      throws Exception {
    List<LogRecord> errors = new CopyOnWriteArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
              errors.add(record);
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger log = Logger.getLogger(PatGuardFilter.class.getName());
    log.addHandler(capture);
    try {
      AsyncHandOff handOff = new AsyncHandOff();
      Outcomes outcomes = new Outcomes();
      for (int i = 0; i < 3; i++) {
        Suspended s = suspend(handOff, CompletableFuture.completedFuture(PERMIT), outcomes);
        s.fire(
            i == 1 ? "startAsync" : "complete"); // the app's ASYNC dispatch ran without the filter
        assertTrue(s.attributes.isEmpty(), "the parked resumption is cleared");
      }
      assertEquals(3, outcomes.reports.get(), "each permit reported once");
      assertEquals(1, errors.size(), "logged once per filter");
      assertTrue(
          errors
              .get(0)
              .getMessage()
              .startsWith(
                  "PatGuardFilter is not mapped for the ASYNC dispatcher type:"
                      + " POST /deploy was permitted"),
          errors.get(0).getMessage());
    } finally {
      log.removeHandler(capture);
    }
  }

  @Test
  void onCompleteWhenTheFilterTookTheRequestBackThenNoError() throws Exception {
    AsyncHandOff handOff = new AsyncHandOff();
    Outcomes outcomes = new Outcomes();
    Suspended s = suspend(handOff, CompletableFuture.completedFuture(PERMIT), outcomes);
    assertNotNull(handOff.resumption(s.request));
    s.fire("complete");
    assertEquals(1, outcomes.reports.get(), "reported on the re-entry only");
  }

  @Test
  void awaitWhenNoDecisionInTimeThenIndeterminateTimeoutNamingTheSubject() {
    // await allows the timeout and one second more: 10 ms here.
    Decision d = AsyncHandOff.await(new CompletableFuture<>(), Duration.ofMillis(-990), SUBJECT);
    Decision.Indeterminate ind = assertInstanceOf(Decision.Indeterminate.class, d);
    assertEquals(IndeterminateCause.TIMEOUT, ind.cause());
    assertSame(SUBJECT, ind.subject());
    Decision failed =
        AsyncHandOff.await(
            CompletableFuture.failedFuture(new IllegalStateException()),
            Duration.ofSeconds(1),
            SUBJECT);
    assertEquals(IndeterminateCause.INTERNAL_ERROR, ((Decision.Indeterminate) failed).cause());
  }
}
