package dev.patguard.servlet;

import dev.patguard.decision.Decision;
import dev.patguard.decision.IndeterminateCause;
import dev.patguard.decision.TokenSubject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Waiting for a decision that is not complete yet, for one filter instance: suspended off the
 * container thread when the request is async-supported, otherwise blocking.
 *
 * <p>A suspended request the filter lets through ({@link Verdict.Pass}) is resumed with {@code
 * AsyncContext.dispatch()}, its attributes set first, and the filter recognises the {@code ASYNC}
 * re-entry as its own ({@link #resumption}) by a request attribute under a random per-instance name
 * holding an object only this instance creates. A refusal ({@link Verdict.Refuse}) is written by a
 * container thread ({@code AsyncContext.start}) and the request completed: never dispatched, so it
 * is refused even when the filter is not mapped for {@code ASYNC}. The container's async timeout
 * answers through the same verdicts; decision and timeout each settle a request at most once. If a
 * resumption is still parked when the request completes, the dispatch bypassed the filter: one
 * error names the missing mapping.
 */
final class AsyncHandOff {
  private static final System.Logger LOG = System.getLogger(PatGuardFilter.class.getName());

  private final Object owner = new Object();
  private final String attribute = "dev.patguard.servlet.pending." + UUID.randomUUID();
  private final AtomicBoolean unmappedLogged = new AtomicBoolean();

  /** What becomes of a suspended request, by its decision; made without side effects. */
  sealed interface Verdict {
    /**
     * Let the request through.
     *
     * @param principal what {@code getUserPrincipal()} returns in the app, or null (report-only)
     * @param admit sets the request attributes (and response headers) before the dispatch
     * @param report tells the listener, once the filter takes the request back
     */
    record Pass(@Nullable Principal principal, Consumer<HttpServletResponse> admit, Runnable report)
        implements Verdict {}

    /**
     * Refuse the request.
     *
     * @param answer writes the refusal (and reports it) to the container's response
     */
    record Refuse(Answer answer) implements Verdict {}
  }

  /** Writes a refusal. */
  @FunctionalInterface
  interface Answer {
    void write(HttpServletResponse response) throws IOException;
  }

  /** A request let through, parked until its {@code ASYNC} dispatch re-enters the filter. */
  private static final class Pending {
    final Object owner;
    final @Nullable Principal principal;
    final Runnable report;

    Pending(Object owner, @Nullable Principal principal, Runnable report) {
      this.owner = owner;
      this.principal = principal;
      this.report = report;
    }

    @Override
    public String toString() {
      return "Pending[" + (principal == null ? "no principal" : principal.getName()) + "]";
    }
  }

  /**
   * If {@code req} is this filter's own resumption of a request it let through, takes it back,
   * reports it and returns the request to continue the chain with (wrapped to expose the
   * principal); otherwise null: a new {@code ASYNC} dispatch, to be checked.
   */
  @Nullable HttpServletRequest resumption(HttpServletRequest req) {
    Pending pending = parked(req);
    if (pending == null) {
      return null;
    }
    req.removeAttribute(attribute);
    pending.report.run();
    return pending.principal == null ? req : new PrincipalRequest(req, pending.principal);
  }

  private @Nullable Pending parked(HttpServletRequest req) {
    return req.getAttribute(attribute) instanceof Pending p && p.owner == owner ? p : null;
  }

  /**
   * Suspends {@code req} until {@code future} completes or {@code timeoutMillis} pass, then settles
   * it by {@code verdict}.
   *
   * @param timedOut the decision when the container's timeout comes first
   * @param what the method and path, for logs
   */
  void suspend(
      HttpServletRequest req,
      CompletableFuture<Decision> future,
      long timeoutMillis,
      Function<Decision, Verdict> verdict,
      Decision timedOut,
      String what) {
    AsyncContext async = req.startAsync();
    async.setTimeout(timeoutMillis);
    Suspension suspension = new Suspension(req, async, verdict, timedOut, what);
    async.addListener(suspension);
    future.whenComplete(suspension::decided);
  }

  /**
   * Where a suspended request is; each step is taken once, by whichever of decision and timeout
   * comes first.
   */
  private enum Phase {
    WAITING,
    RESUMED,
    REFUSING,
    ANSWERED
  }

  /** One suspended request: its decision, or the container's timeout, settles it. */
  private final class Suspension implements AsyncListener {
    private final HttpServletRequest req;
    private final AsyncContext async;
    private final Function<Decision, Verdict> verdict;
    private final Decision timedOut;
    private final String what;
    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.WAITING);

    /** The refusal handed to a container thread; set before the phase becomes REFUSING. */
    private volatile Verdict.@Nullable Refuse refusal;

    Suspension(
        HttpServletRequest req,
        AsyncContext async,
        Function<Decision, Verdict> verdict,
        Decision timedOut,
        String what) {
      this.req = req;
      this.async = async;
      this.verdict = verdict;
      this.timedOut = timedOut;
      this.what = what;
    }

    /** The guard's decision arrived, on whatever thread completed it. */
    void decided(@Nullable Decision decision, @Nullable Throwable error) {
      Decision d =
          decision != null
              ? decision
              : Decision.indeterminate(
                  timedOut.subject(),
                  IndeterminateCause.INTERNAL_ERROR,
                  "the decision failed: " + error);
      Verdict v = verdict.apply(d);
      if (v instanceof Verdict.Pass pass) {
        if (phase.compareAndSet(Phase.WAITING, Phase.RESUMED)) {
          letThrough(pass);
        }
        return;
      }
      refusal = (Verdict.Refuse) v;
      if (!phase.compareAndSet(Phase.WAITING, Phase.REFUSING)) {
        return;
      }
      // This thread may be the JVM's one CompletableFuture delay thread (a decision timeout) or the
      // guard's: write on a container thread instead, so that a slow client holds neither.
      try {
        async.start(this::answerRefusal);
      } catch (IllegalStateException e) {
        LOG.log(
            System.Logger.Level.WARNING,
            "could not answer request " + what + " after its decision: " + e.getMessage());
      }
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      if (phase.get() == Phase.REFUSING) {
        answerRefusal(); // decided, but no container thread ran the answer in time: answer it here
        return;
      }
      Verdict v = verdict.apply(timedOut);
      if (v instanceof Verdict.Pass pass) {
        if (phase.compareAndSet(Phase.WAITING, Phase.RESUMED)) {
          letThrough(pass);
        }
      } else if (phase.compareAndSet(Phase.WAITING, Phase.ANSWERED)) {
        answer((Verdict.Refuse) v);
      }
    }

    @Override
    public void onComplete(AsyncEvent event) {
      notResumed(req, what);
    }

    @Override
    public void onError(AsyncEvent event) {}

    @Override
    public void onStartAsync(AsyncEvent event) {
      notResumed(req, what);
    }

    /**
     * Sets the attributes and resumes: the ASYNC dispatch re-enters the filter (see {@link
     * #resumption}).
     */
    private void letThrough(Verdict.Pass pass) {
      pass.admit().accept((HttpServletResponse) async.getResponse());
      req.setAttribute(attribute, new Pending(owner, pass.principal(), pass.report()));
      try {
        async.dispatch();
      } catch (IllegalStateException e) {
        LOG.log(
            System.Logger.Level.WARNING,
            "could not resume request " + what + " after its decision: " + e.getMessage());
      }
    }

    private void answerRefusal() {
      if (phase.compareAndSet(Phase.REFUSING, Phase.ANSWERED)) {
        answer(Objects.requireNonNull(refusal));
      }
    }

    /** Writes the refusal to the container's response and completes the request: no dispatch. */
    private void answer(Verdict.Refuse refuse) {
      try {
        refuse.answer().write((HttpServletResponse) async.getResponse());
      } catch (IOException | RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "could not answer request " + what + ": " + e);
      } finally {
        try {
          async.complete();
        } catch (IllegalStateException e) {
          // the container completed it already (the client went away)
        }
      }
    }
  }

  /**
   * Called when a suspended request completes (or starts async again): if its resumption is still
   * parked, the ASYNC dispatch never passed through the filter.
   */
  private void notResumed(HttpServletRequest req, String what) {
    Pending pending = parked(req);
    if (pending == null) {
      return;
    }
    req.removeAttribute(attribute);
    pending.report.run();
    if (unmappedLogged.compareAndSet(false, true)) {
      LOG.log(
          System.Logger.Level.ERROR,
          "PatGuardFilter is not mapped for the ASYNC dispatcher type: "
              + what
              + " was permitted after waiting for its decision, and its ASYNC"
              + " dispatch reached the application without passing the filter, so getUserPrincipal() was not set"
              + " (the decision, principal and project request attributes were; refusals are written without a"
              + " dispatch). Map the filter for ASYNC as well as REQUEST (<dispatcher>ASYNC</dispatcher> in web.xml,"
              + " DispatcherType.ASYNC in code); without it the application's own async dispatches are not checked"
              + " either. Logged once.");
    }
  }

  /**
   * Waits on the calling thread (no async support, or a re-check) up to {@code timeout} and a
   * second.
   */
  static Decision await(
      CompletableFuture<Decision> future, Duration timeout, TokenSubject subject) {
    try {
      return future.get(timeout.toNanos() + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Decision.indeterminate(
          subject, IndeterminateCause.TIMEOUT, "interrupted while waiting");
    } catch (TimeoutException e) {
      return Decision.indeterminate(subject, IndeterminateCause.TIMEOUT, "no decision in time");
    } catch (ExecutionException e) {
      return Decision.indeterminate(
          subject, IndeterminateCause.INTERNAL_ERROR, "the decision failed");
    }
  }
}
