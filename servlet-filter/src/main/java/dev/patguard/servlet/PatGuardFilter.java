package dev.patguard.servlet;

import dev.patguard.Decider;
import dev.patguard.PatGuard;
import dev.patguard.decision.Decision;
import dev.patguard.decision.IndeterminateCause;
import dev.patguard.decision.ProjectRef;
import dev.patguard.decision.Requirement;
import dev.patguard.decision.TokenSubject;
import dev.patguard.http.Refusal;
import dev.patguard.http.Refusals;
import dev.patguard.token.SecretDigest;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Lets a request through only if its bearer token holds the permission its route needs, on the
 * project the route names; otherwise answers 400, 401, 403 or 503 with an RFC 6750 challenge and an
 * RFC 9457 problem body. It never fails open: malformed input, unmatched routes (by default) and
 * undecidable requests are all refused.
 *
 * <p>Embedded servers construct it with {@link #PatGuardFilter(Decider, RoutePolicy)} or {@link
 * #builder()} and a {@link Decider} (a {@link PatGuard}), which the filter never closes; {@code
 * web.xml} users declare it with init-params (see the module README), and the filter closes the
 * guard it builds from them in {@link #destroy()}. Map it for the {@code REQUEST} and {@code ASYNC}
 * dispatcher types (and async-supported): when a decision is not cached yet it starts async
 * processing. A refusal is then written and the request completed without a dispatch; a permit sets
 * the request attributes and dispatches, and the {@code ASYNC} dispatch re-enters the filter, which
 * recognises its own resumption (by a request attribute only it can create) and continues with the
 * principal without deciding again. Without the {@code ASYNC} mapping refusals are still refused,
 * but such a permit reaches the application without {@code getUserPrincipal()} (the filter logs an
 * error naming the mapping). Every other {@code ASYNC} dispatch, such as an application's {@code
 * AsyncContext.dispatch("/other/path")}, is checked like a new request for the dispatched path,
 * with the request's credentials, deciding on the container thread. {@code FORWARD}, {@code
 * INCLUDE} and {@code ERROR} dispatches are checked too when {@link Builder#recheckDispatchTypes
 * listed}; otherwise they pass.
 *
 * <p>For a permitted request the decision is the request attribute {@link #DECISION_ATTRIBUTE}, the
 * caller a {@link PatGuardPrincipal} available from {@code getUserPrincipal()} and the attribute
 * {@link #PRINCIPAL_ATTRIBUTE}, and the project it was authorized on the attribute {@link
 * #PROJECT_ATTRIBUTE} and {@link PatGuardPrincipal#project()}. A project value taken from the
 * request must be a bare key or UUID ({@link ProjectRef#parseBare}); anything else, {@code
 * key:}/{@code id:} prefixes included, is a 400 before any lookup.
 */
public final class PatGuardFilter implements Filter {
  /** Request attribute holding the {@link Decision}. */
  public static final String DECISION_ATTRIBUTE = "dev.patguard.servlet.decision";

  /** Request attribute holding the {@link PatGuardPrincipal} of a permitted request. */
  public static final String PRINCIPAL_ATTRIBUTE = "dev.patguard.servlet.principal";

  /**
   * Request attribute holding the {@link ProjectRef} a permitted request was authorized on (also
   * {@link PatGuardPrincipal#project()}); absent for routes without a project. Applications should
   * resolve this project rather than re-reading the raw path segment, header or parameter.
   */
  public static final String PROJECT_ATTRIBUTE = "dev.patguard.servlet.project";

  /**
   * What the name of the servlet-context attribute holding the {@link PatGuard} a filter built from
   * its init-params starts with; the filter's name follows ({@code dev.patguard.servlet.guard.} +
   * {@code <filter-name>}). The application calls {@link PatGuard#invalidate} on it after revoking
   * a token (with {@code shared-cache}, every replica drops it). Removed when the filter is
   * destroyed; absent for a filter configured in code, whose guard the application holds.
   */
  public static final String GUARD_ATTRIBUTE_PREFIX = "dev.patguard.servlet.guard.";

  /** Default longest token accepted: 4 KiB. */
  public static final int DEFAULT_MAX_TOKEN_LENGTH = 4096;

  private static final System.Logger LOG = System.getLogger(PatGuardFilter.class.getName());

  private final AsyncHandOff handOff = new AsyncHandOff();
  private final Function<String, @Nullable String> environment;

  private final Function<String, @Nullable String> properties;
  private volatile @Nullable Settings settings;

  /** What the filter built from init-params and closes; never a guard given to it. */
  private volatile InitParams.@Nullable Configured own;

  private volatile @Nullable ServletContext context;

  private volatile String guardAttribute = GUARD_ATTRIBUTE_PREFIX;

  /** For {@code web.xml}: configured by init-params in {@link #init(FilterConfig)}. */
  public PatGuardFilter() {
    this(System::getenv);
  }

  /**
   * Configured by init-params like {@link #PatGuardFilter()}, but reads environment variables (the
   * {@code admin-credential-env} one) through {@code environment}: the seam tests use instead of
   * the process environment.
   */
  PatGuardFilter(Function<String, @Nullable String> environment) {
    this(environment, System::getProperty);
  }

  /**
   * Configured by init-params like {@link #PatGuardFilter()}, but reads environment variables and
   * system properties ({@code PATGUARD_BRMS_URL}, {@code patguard.brms.url}, the {@code
   * admin-credential-env} variable) through these: the seam tests use instead of the process's.
   */
  PatGuardFilter(
      Function<String, @Nullable String> environment,
      Function<String, @Nullable String> properties) {
    this.environment = Objects.requireNonNull(environment, "environment must not be null");
    this.properties = Objects.requireNonNull(properties, "properties must not be null");
  }

  /**
   * Enforces {@code policy} with {@code guard} and the default settings; the filter does not close
   * {@code guard}.
   *
   * @param guard what decides; not null
   * @param policy which requests need which permissions; not null
   * @throws NullPointerException if either is null
   */
  public PatGuardFilter(Decider guard, RoutePolicy policy) {
    this(builder().guard(guard).policy(policy).settings());
  }

  private PatGuardFilter(Settings settings) {
    this.environment = System::getenv;
    this.properties = System::getProperty;
    this.settings = settings;
  }

  /**
   * Configures a filter for embedded servers.
   *
   * @return a new builder: no guard or policy yet, every other setting at its default
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Reads the init-params unless the filter was constructed programmatically. */
  @Override
  public void init(FilterConfig config) throws ServletException {
    if (settings != null) {
      if (config.getInitParameterNames().hasMoreElements()) {
        LOG.log(
            System.Logger.Level.WARNING,
            "PatGuardFilter was configured in code; its init-params are ignored");
      }
      return;
    }
    try {
      InitParams.Configured configured = InitParams.read(config, environment, properties);
      own = configured;
      settings = configured.builder().settings();
      context = config.getServletContext();
      guardAttribute = GUARD_ATTRIBUTE_PREFIX + config.getFilterName();
      config.getServletContext().setAttribute(guardAttribute, configured.guard());
      if (configured.shared() != null) {
        LOG.log(
            System.Logger.Level.INFO,
            "PatGuardFilter {0}: fleet mode, shared cache {1}",
            config.getFilterName(),
            configured.shared());
      }
      // The URL only: the builder refuses user info, and the admin credential is never in it.
      LOG.log(
          System.Logger.Level.INFO,
          "PatGuardFilter {0}: BRMS URL {1} (from the {2})",
          config.getFilterName(),
          configured.guard().baseUrl(),
          configured.urlSource());
    } catch (RuntimeException e) {
      throw new ServletException(
          "PatGuardFilter " + config.getFilterName() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Closes the guard if the filter built it from init-params, then the shared cache it opened for
   * it; a {@link Decider} given to it stays open.
   */
  @Override
  public void destroy() {
    InitParams.Configured o = own;
    if (o != null) {
      own = null;
      ServletContext c = context;
      if (c != null && c.getAttribute(guardAttribute) == o.guard()) {
        c.removeAttribute(guardAttribute);
      }
      o.close();
    }
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    Settings s = settings;
    if (s == null) {
      throw new ServletException("PatGuardFilter is not initialised");
    }
    if (!(request instanceof HttpServletRequest req)
        || !(response instanceof HttpServletResponse res)) {
      throw new ServletException("PatGuardFilter only handles HTTP requests");
    }
    DispatcherType type = req.getDispatcherType();
    if (type == DispatcherType.ASYNC) {
      HttpServletRequest resumed = handOff.resumption(req);
      if (resumed != null) {
        // This filter's own resumption of a request it let through: the attributes are set; hand
        // the
        // app the principal (if any), never decide twice.
        chain.doFilter(resumed, res);
        return;
      }
      // Any other ASYNC dispatch (the application's AsyncContext.dispatch, to any path) is checked
      // like a new request for the dispatched path, with the request's own credentials.
      check(s, req, res, chain, type);
      return;
    }
    if (type != DispatcherType.REQUEST && !s.recheck.contains(type)) {
      chain.doFilter(request, response);
      return;
    }
    if (type == DispatcherType.REQUEST) {
      req.removeAttribute(DECISION_ATTRIBUTE);
      req.removeAttribute(PRINCIPAL_ATTRIBUTE);
      req.removeAttribute(PROJECT_ATTRIBUTE);
    }
    check(s, req, res, chain, type);
  }

  private void check(
      Settings s,
      HttpServletRequest req,
      HttpServletResponse res,
      FilterChain chain,
      DispatcherType type)
      throws IOException, ServletException {
    RequestTarget target = RequestTarget.of(req, type);
    String method = target.method();
    String path = target.path();
    if (target.problem() != null) {
      refuse(
          s,
          req,
          res,
          chain,
          new Check(method, path, null, null, null, false),
          s.refusals.badPath(target.problem()),
          null);
      return;
    }
    RouteMatch match = s.policy.find(method, path);
    if (match == null) {
      refuse(
          s,
          req,
          res,
          chain,
          new Check(method, path, null, null, null, false),
          s.refusals.unmatchedRoute(),
          null);
      return;
    }
    Requirement base = match.requirement();
    if (base == null) {
      event(s, new Check(method, path, match, null, null, false), null, 0, "pass");
      chain.doFilter(req, res);
      return;
    }
    Check noToken = new Check(method, path, match, base, null, false);
    BearerExtractor.Result credential = s.extractor.extract(req);
    if (credential instanceof BearerExtractor.Result.Malformed m) {
      refuse(s, req, res, chain, noToken, s.refusals.malformedCredentials(m.malformed()), null);
      return;
    }
    if (!(credential instanceof BearerExtractor.Result.Token token)) {
      refuse(s, req, res, chain, noToken, s.refusals.noCredentials(), null);
      return;
    }
    ProjectResolution project = ProjectResolution.of(req, match, base);
    if (project.problem() != null) {
      refuse(s, req, res, chain, noToken, s.refusals.badProject(project.problem()), null);
      return;
    }
    Requirement requirement = Objects.requireNonNull(project.requirement());
    String secret = token.secret();
    CompletableFuture<Decision> future = s.guard.decide(secret, requirement);
    if (future.isDone()) {
      // The guard names the subject by the fingerprint of the secret it was given: take it from
      // there
      // instead of hashing the secret again, and hash only if a decision comes without one.
      Decision decision = future.join();
      String fingerprint = decision.subject().fingerprint();
      Check check =
          new Check(
              method,
              path,
              match,
              requirement,
              fingerprint != null ? fingerprint : SecretDigest.fingerprintOf(secret),
              token.inQuery());
      finish(s, req, res, chain, check, decision);
      return;
    }
    // Not decided yet: the request may wait or time out, and its answer names the token by
    // fingerprint.
    Check check =
        new Check(
            method, path, match, requirement, SecretDigest.fingerprintOf(secret), token.inQuery());
    if (type == DispatcherType.REQUEST && req.isAsyncSupported()) {
      Decision timedOut =
          Decision.indeterminate(
              subjectOf(check),
              IndeterminateCause.TIMEOUT,
              "the async request timed out before a decision");
      handOff.suspend(
          req,
          future,
          s.asyncTimeoutMillis(),
          d -> verdict(s, req, check, d),
          timedOut,
          check.method + " " + check.path);
    } else {
      finish(
          s,
          req,
          res,
          chain,
          check,
          AsyncHandOff.await(future, s.guard.decisionTimeout(), subjectOf(check)));
    }
  }

  /** What becomes of a suspended request with {@code decision}; see {@link AsyncHandOff}. */
  private static AsyncHandOff.Verdict verdict(
      Settings s, HttpServletRequest req, Check check, Decision decision) {
    if (decision.isPermit()) {
      PatGuardPrincipal principal = principalOf(check, decision);
      return new AsyncHandOff.Verdict.Pass(
          principal,
          res -> {
            req.setAttribute(DECISION_ATTRIBUTE, decision);
            admit(req, res, check, principal);
          },
          () -> event(s, check, decision, 0, "pass"));
    }
    Refusal problem = s.refusals.forDecision(decision, requirementOf(check), check.fingerprint);
    if (s.reportOnly) {
      return new AsyncHandOff.Verdict.Pass(
          null,
          res -> req.setAttribute(DECISION_ATTRIBUTE, decision),
          () -> reportOnly(s, check, problem, decision));
    }
    return new AsyncHandOff.Verdict.Refuse(
        res -> {
          req.setAttribute(DECISION_ATTRIBUTE, decision);
          event(s, check, decision, problem.status(), problem.slug());
          RefusalWriter.write(req, res, problem);
        });
  }

  private static TokenSubject subjectOf(Check check) {
    return check.fingerprint == null
        ? TokenSubject.unknown()
        : TokenSubject.fingerprintOnly(check.fingerprint);
  }

  private void finish(
      Settings s,
      HttpServletRequest req,
      HttpServletResponse res,
      FilterChain chain,
      Check check,
      Decision decision)
      throws IOException, ServletException {
    req.setAttribute(DECISION_ATTRIBUTE, decision);
    if (decision.isPermit()) {
      PatGuardPrincipal principal = principalOf(check, decision);
      admit(req, res, check, principal);
      event(s, check, decision, 0, "pass");
      chain.doFilter(new PrincipalRequest(req, principal), res);
      return;
    }
    refuse(
        s,
        req,
        res,
        chain,
        check,
        s.refusals.forDecision(decision, requirementOf(check), check.fingerprint),
        decision);
  }

  private static Requirement requirementOf(Check check) {
    return Objects.requireNonNull(check.requirement, "requirement");
  }

  /** The caller of a permitted request, authorized on its requirement's project. */
  private static PatGuardPrincipal principalOf(Check check, Decision decision) {
    TokenSubject subject = decision.subject();
    if (!Objects.equals(subject.fingerprint(), check.fingerprint)) {
      subject = subject.withFingerprint(check.fingerprint);
    }
    Requirement requirement = check.requirement;
    return PatGuardPrincipal.of(
        subject, requirement == null ? null : requirement.project().orElse(null));
  }

  /** Sets the principal and project attributes of a permitted request. */
  private static void admit(
      HttpServletRequest req, HttpServletResponse res, Check check, PatGuardPrincipal principal) {
    ProjectRef project = principal.authorizedProject();
    req.setAttribute(PRINCIPAL_ATTRIBUTE, principal);
    if (project != null) {
      req.setAttribute(PROJECT_ATTRIBUTE, project);
    } else {
      req.removeAttribute(PROJECT_ATTRIBUTE);
    }
    if (check.queryToken) {
      // RFC 6750 section 2.3: the URL holds the token, so no cache may keep the answer (the app may
      // still set its own Cache-Control).
      res.setHeader("Cache-Control", "no-store, private");
    }
  }

  /** Reports a refusal that report-only mode lets through. */
  private static void reportOnly(
      Settings s, Check check, Refusal problem, @Nullable Decision decision) {
    event(s, check, decision, problem.status(), problem.slug());
    LOG.log(
        System.Logger.Level.INFO,
        () ->
            "report-only: would answer "
                + problem.status()
                + " ("
                + problem.slug()
                + ") to "
                + check.method
                + " "
                + check.path
                + (decision == null ? "" : ": " + decision.explain()));
  }

  private void refuse(
      Settings s,
      HttpServletRequest req,
      HttpServletResponse res,
      FilterChain chain,
      Check check,
      Refusal problem,
      @Nullable Decision decision)
      throws IOException, ServletException {
    if (s.reportOnly) {
      reportOnly(s, check, problem, decision);
      chain.doFilter(req, res);
      return;
    }
    event(s, check, decision, problem.status(), problem.slug());
    if (req.getDispatcherType() == DispatcherType.INCLUDE) {
      // An included response cannot set the status or headers: writing the problem here would send
      // the including page's status (200) with the problem inside it. Fail the include instead.
      throw new ServletException(
          "PatGuardFilter refused the included "
              + check.method
              + " "
              + check.path
              + ": "
              + problem.status()
              + " "
              + problem.slug());
    }
    RefusalWriter.write(req, res, problem);
  }

  private static void event(
      Settings s, Check check, @Nullable Decision decision, int status, String problem) {
    if (s.listener == EnforcementListener.NONE) {
      return; // nobody to tell: no event built
    }
    try {
      s.listener.onEnforcement(
          new EnforcementEvent(
              check.method,
              check.path,
              check.match == null ? null : check.match.label(),
              decision,
              status,
              problem,
              s.reportOnly));
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "an EnforcementListener threw; ignored", e);
    }
  }

  /**
   * The request facts needed to finish it; never holds the secret.
   *
   * @param match the route matched, if one was (its label is built only for a listener)
   */
  private record Check(
      String method,
      String path,
      @Nullable RouteMatch match,
      @Nullable Requirement requirement,
      @Nullable String fingerprint,
      boolean queryToken) {}

  /** What decides (for tests). */
  Decider decider() {
    return Objects.requireNonNull(settings, "not initialised").guard;
  }

  @Override
  public String toString() {
    Settings s = settings;
    return s == null
        ? "PatGuardFilter[not initialised]"
        : "PatGuardFilter["
            + s.policy
            + ", realm="
            + s.realm
            + (s.reportOnly ? ", report-only" : "")
            + "]";
  }

  private static final class Settings {
    final Decider guard;
    final RoutePolicy policy;
    final String realm;
    final boolean reportOnly;
    final Set<DispatcherType> recheck;
    final EnforcementListener listener;
    final Refusals refusals;

    /** The async timeout given to the builder (for tests), or -1. */
    final long asyncTimeout;

    final BearerExtractor extractor;

    Settings(Builder b, Decider guard, RoutePolicy policy) {
      this.guard = guard;
      this.policy = policy;
      this.realm = b.realm;
      this.reportOnly = b.reportOnly;
      this.recheck = Collections.unmodifiableSet(EnumSet.copyOf(b.recheck));
      this.listener = b.listener;
      this.refusals = new Refusals(b.realm, b.retryAfterSeconds);
      this.asyncTimeout = b.asyncTimeoutMillis;
      this.extractor = new BearerExtractor(b.allowQueryToken, b.maxTokenLength);
    }

    /**
     * How long a suspended request waits before the container times it out: the guard's decision
     * timeout, by which the decision always completes, and a margin.
     */
    long asyncTimeoutMillis() {
      return asyncTimeout >= 0 ? asyncTimeout : guard.decisionTimeout().toMillis() + 5_000;
    }
  }

  /** Configures a {@link PatGuardFilter}; each setting is checked as it is made. */
  public static final class Builder {
    private @Nullable Decider guard;
    private @Nullable RoutePolicy policy;
    private String realm = "patguard";
    private boolean reportOnly;
    private boolean allowQueryToken;
    private int maxTokenLength = DEFAULT_MAX_TOKEN_LENGTH;
    private Set<DispatcherType> recheck = EnumSet.noneOf(DispatcherType.class);
    private EnforcementListener listener = EnforcementListener.NONE;
    private long retryAfterSeconds = 5;
    private long asyncTimeoutMillis = -1;

    private Builder() {}

    /**
     * What decides (required): a {@link PatGuard}, or any {@link Decider} such as a decorator or a
     * test double. The filter never closes it.
     *
     * @param guard what decides every checked request; not null
     * @return this builder
     */
    public Builder guard(Decider guard) {
      this.guard = Objects.requireNonNull(guard, "guard must not be null");
      return this;
    }

    /**
     * The route policy (required).
     *
     * @param policy which requests need which permissions; not null
     * @return this builder
     */
    public Builder policy(RoutePolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy must not be null");
      return this;
    }

    /**
     * The {@code realm} of challenges (default {@code patguard}); printable ASCII without {@code "}
     * or {@code \}.
     *
     * @param realm the realm, sent as is in every {@code WWW-Authenticate} challenge
     * @return this builder
     * @throws IllegalArgumentException if {@code realm} is empty or holds any other character
     */
    public Builder realm(String realm) {
      Objects.requireNonNull(realm, "realm must not be null");
      if (!Refusals.isValidRealm(realm)) {
        throw new IllegalArgumentException(
            "realm must be non-empty printable ASCII without '\"' or '\\'");
      }
      this.realm = realm;
      return this;
    }

    /**
     * Decide and report every request, but let all of them through (default false).
     *
     * @param reportOnly true to refuse nothing; each event still says what would have been refused
     * @return this builder
     */
    public Builder reportOnly(boolean reportOnly) {
      this.reportOnly = reportOnly;
      return this;
    }

    /**
     * Accept the token as an {@code access_token} query parameter or form field (default false;
     * never on GET forms, never in multipart bodies). Tokens in URLs end up in logs: avoid.
     *
     * @param allow whether a token is also read from {@code access_token}
     * @return this builder
     */
    public Builder allowQueryToken(boolean allow) {
      this.allowQueryToken = allow;
      return this;
    }

    /**
     * Longest token looked up; longer ones are refused first (default 4096, at most 65536).
     *
     * @param max the limit in characters, 1 to 65536; a longer token is a 401 {@code invalid_token}
     *     without a lookup
     * @return this builder
     * @throws IllegalArgumentException if {@code max} is outside 1 to 65536
     */
    public Builder maxTokenLength(int max) {
      if (max < 1 || max > 65_536) {
        throw new IllegalArgumentException("maxTokenLength must be 1..65536, got " + max);
      }
      this.maxTokenLength = max;
      return this;
    }

    /**
     * Dispatch types checked again besides REQUEST: FORWARD, INCLUDE, ERROR (default none). ASYNC
     * is not among them because it is always checked: the filter finishes the async dispatches it
     * started itself and checks every other one (an application's {@code AsyncContext.dispatch})
     * like a new request.
     *
     * @param types the types to check again, replacing any set before; REQUEST, always checked, may
     *     be listed and changes nothing
     * @return this builder
     * @throws NullPointerException if {@code types} or one of them is null
     * @throws IllegalArgumentException for ASYNC
     */
    public Builder recheckDispatchTypes(DispatcherType... types) {
      Objects.requireNonNull(types, "types must not be null");
      Set<DispatcherType> set = EnumSet.noneOf(DispatcherType.class);
      for (DispatcherType t : types) {
        Objects.requireNonNull(t, "dispatch type must not be null");
        if (t == DispatcherType.ASYNC) {
          throw new IllegalArgumentException(
              "ASYNC dispatches are always checked (the filter finishes its own"
                  + " and checks every other one like a new request; map the filter for ASYNC): recheck only FORWARD,"
                  + " INCLUDE, ERROR");
        }
        if (t != DispatcherType.REQUEST) {
          set.add(t);
        }
      }
      this.recheck = set;
      return this;
    }

    /**
     * Receives every enforcement (default none).
     *
     * @param listener called once for each checked request; what it throws is logged and ignored
     * @return this builder
     */
    public Builder listener(EnforcementListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener must not be null");
      return this;
    }

    /**
     * The {@code Retry-After} of 503 answers (default 5 s, whole seconds, at least 1).
     *
     * @param retryAfter the delay to suggest; a fraction of a second is dropped
     * @return this builder
     * @throws IllegalArgumentException if {@code retryAfter} is less than 1 s
     */
    public Builder retryAfter(Duration retryAfter) {
      Objects.requireNonNull(retryAfter, "retryAfter must not be null");
      if (retryAfter.getSeconds() < 1) {
        throw new IllegalArgumentException("retryAfter must be at least 1 s, got " + retryAfter);
      }
      this.retryAfterSeconds = retryAfter.getSeconds();
      return this;
    }

    /**
     * For tests: the async timeout of a suspended request, shorter than the guard's decision
     * timeout so that the container's {@code AsyncListener.onTimeout} answers first.
     */
    Builder asyncTimeout(Duration timeout) {
      this.asyncTimeoutMillis = timeout.toMillis();
      return this;
    }

    Settings settings() {
      Decider g = Objects.requireNonNull(guard, "guard must not be null: call guard(...)");
      RoutePolicy p = Objects.requireNonNull(policy, "policy must not be null: call policy(...)");
      return new Settings(this, g, p);
    }

    /**
     * Builds the filter. Configured in code, it ignores init-params and never closes the guard.
     *
     * @return a new filter
     * @throws NullPointerException if no guard or no policy was set
     */
    public PatGuardFilter build() {
      return new PatGuardFilter(settings());
    }
  }
}
