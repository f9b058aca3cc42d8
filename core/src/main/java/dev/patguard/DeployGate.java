package dev.patguard;

import dev.patguard.decision.Decision;
import dev.patguard.decision.DenyReason;
import dev.patguard.decision.Grant;
import dev.patguard.decision.IndeterminateCause;
import dev.patguard.decision.Requirement;
import dev.patguard.decision.TokenSubject;
import dev.patguard.decision.Warning;
import dev.patguard.token.Project;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The deploy gate: may this token do <em>everything</em> a release needs? Embed it in deployment
 * tooling, or run it as {@code patguard check}.
 *
 * <pre>{@code
 * DeployGate gate = DeployGate.of(guard);
 * DeployGate.GateResult r = gate.check(System.getenv("PATGUARD_TOKEN"),
 *     Requirement.parse("releases:deploy@web-shop"));
 * if (!r.isPermit()) {
 *   System.err.println(r.explanation());   // token 3f2a9c1b lacks releases:deploy on web-shop; it has …
 *   System.exit(r.decision() instanceof Decision.Indeterminate ? 2 : 1);
 * }
 * }</pre>
 *
 * <p>Each requirement is decided by the guard's own {@link PatGuard#decide} (the evaluator the
 * servlet filter uses; one BRMS lookup, cached, for all of them), and the decisions combine: a
 * permit only if every requirement is permitted; any {@code Indeterminate} makes the whole {@code
 * Indeterminate}; otherwise a deny listing every reason of every denied requirement.
 */
public final class DeployGate {
  private final PatGuard guard;

  private DeployGate(PatGuard guard) {
    this.guard = guard;
  }

  /**
   * A gate deciding with {@code guard}. The gate holds no state of its own: it is thread-safe, and
   * once the guard is closed every result is {@code Indeterminate}.
   *
   * @param guard the guard whose cache, lookup and authorizer decide every requirement
   * @return a gate over {@code guard}
   * @throws NullPointerException if {@code guard} is null
   */
  public static DeployGate of(PatGuard guard) {
    return new DeployGate(Objects.requireNonNull(guard, "guard must not be null"));
  }

  /**
   * Checks every requirement for the token {@code secret}; blocks at most about the decision
   * timeout.
   *
   * @param secret the token's secret; a missing (null or empty) one is denied
   * @param requirements what the release needs, at least one, decided in order
   * @return the combined result; {@code Indeterminate} when any requirement could not be decided
   * @throws IllegalArgumentException if {@code requirements} is empty
   */
  public GateResult check(String secret, Requirement... requirements) {
    return check(secret, List.of(requirements));
  }

  /**
   * Checks every requirement for the token {@code secret}; blocks at most about the decision
   * timeout.
   *
   * @param secret the token's secret; a missing (null or empty) one is denied
   * @param requirements what the release needs, at least one, decided in order
   * @return the combined result; {@code Indeterminate} when any requirement could not be decided
   * @throws IllegalArgumentException if {@code requirements} is empty
   */
  public GateResult check(String secret, List<Requirement> requirements) {
    return checkAsync(secret, requirements).join();
  }

  /**
   * Checks every requirement for the token {@code secret}. The future always completes normally,
   * with an {@code Indeterminate} result when no decision could be reached.
   *
   * @param secret the token's secret; a missing (null or empty) one is denied
   * @param requirements what the release needs, at least one, decided in order; the first {@code
   *     Indeterminate} stops the rest
   * @return the combined result, with the token's grant when it could be read
   * @throws IllegalArgumentException if {@code requirements} is empty
   */
  public CompletableFuture<GateResult> checkAsync(String secret, List<Requirement> requirements) {
    List<Requirement> reqs = checkRequirements(requirements);
    return decideAll(reqs, r -> guard.decide(secret, r))
        .thenCompose(
            decision -> {
              if (decision instanceof Decision.Indeterminate
                  || secret == null
                  || secret.isEmpty()) {
                return CompletableFuture.completedFuture(new GateResult(decision, reqs, null));
              }
              // A cache hit after decide(): explains, never decides.
              return guard
                  .facts(secret)
                  .thenApply(facts -> new GateResult(decision, reqs, grantOf(facts)));
            });
  }

  /**
   * Checks every requirement for the token with these ids, read with the guard's admin credential.
   * Blocks at most about the request timeout per requirement.
   *
   * @param userId the owner's id, a UUID
   * @param patId the token's id, a UUID
   * @param requirements what the release needs, at least one, decided in order
   * @return the combined result; {@code Indeterminate} when an id is not a UUID or BRMS could not
   *     answer
   * @throws IllegalArgumentException if {@code requirements} is empty
   */
  public GateResult checkById(String userId, String patId, List<Requirement> requirements) {
    return checkByIdAsync(userId, patId, requirements).join();
  }

  /**
   * Checks every requirement for the token with these ids, read with the guard's admin credential
   * ({@link PatGuard#decideById}). The future always completes normally.
   *
   * @param userId the owner's id, a UUID
   * @param patId the token's id, a UUID
   * @param requirements what the release needs, at least one, decided in order; the first {@code
   *     Indeterminate} stops the rest
   * @return the combined result, with the token's grant when it could be read
   * @throws IllegalArgumentException if {@code requirements} is empty
   */
  public CompletableFuture<GateResult> checkByIdAsync(
      String userId, String patId, List<Requirement> requirements) {
    List<Requirement> reqs = checkRequirements(requirements);
    return decideAll(reqs, r -> guard.decideById(userId, patId, r))
        .thenCompose(
            decision -> {
              if (decision instanceof Decision.Indeterminate
                  || decision.subject().tokenId() == null) {
                return CompletableFuture.completedFuture(new GateResult(decision, reqs, null));
              }
              CompletableFuture<TokenFacts> facts;
              try {
                facts = guard.factsById(userId, patId);
              } catch (RuntimeException e) {
                facts = CompletableFuture.completedFuture(TokenLookup.unavailable(e));
              }
              return facts.thenApply(f -> new GateResult(decision, reqs, grantOf(f)));
            });
  }

  private static @Nullable Grant grantOf(TokenFacts facts) {
    return facts instanceof TokenFacts.Known known ? known.grant() : null;
  }

  private static List<Requirement> checkRequirements(List<Requirement> requirements) {
    Objects.requireNonNull(requirements, "requirements must not be null");
    List<Requirement> reqs = List.copyOf(requirements);
    if (reqs.isEmpty()) {
      throw new IllegalArgumentException("a deploy gate needs at least one requirement");
    }
    return reqs;
  }

  /** Decides one requirement after another, stopping at the first Indeterminate. */
  private static CompletableFuture<Decision> decideAll(
      List<Requirement> reqs, Function<Requirement, CompletableFuture<Decision>> decide) {
    CompletableFuture<List<Decision>> all = CompletableFuture.completedFuture(new ArrayList<>());
    for (Requirement r : reqs) {
      all =
          all.thenCompose(
              done -> {
                if (!done.isEmpty()
                    && done.get(done.size() - 1) instanceof Decision.Indeterminate) {
                  return CompletableFuture.completedFuture(done);
                }
                CompletableFuture<Decision> next;
                try {
                  next = decide.apply(r);
                } catch (RuntimeException e) {
                  next = CompletableFuture.failedFuture(e);
                }
                return next.handle(
                    (d, error) -> {
                      done.add(error == null ? d : internalError(error));
                      return done;
                    });
              });
    }
    return all.thenApply(DeployGate::combine);
  }

  private static Decision internalError(Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    return Decision.indeterminate(
        TokenSubject.unknown(),
        IndeterminateCause.INTERNAL_ERROR,
        cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
  }

  /**
   * Combines one decision per requirement: the first {@code Indeterminate} if any; else a deny with
   * every reason of every deny; else a permit. Warnings are merged without duplicates.
   */
  static Decision combine(List<Decision> decisions) {
    if (decisions.isEmpty()) {
      throw new IllegalArgumentException("nothing to combine");
    }
    Set<Warning> warnings = new LinkedHashSet<>();
    decisions.forEach(d -> warnings.addAll(d.warnings()));
    for (Decision d : decisions) {
      if (d instanceof Decision.Indeterminate i) {
        return new Decision.Indeterminate(
            i.subject(), i.cause(), i.detail(), List.copyOf(warnings));
      }
    }
    Set<DenyReason> reasons = new LinkedHashSet<>();
    TokenSubject subject = decisions.get(0).subject();
    for (Decision d : decisions) {
      if (d instanceof Decision.Deny deny) {
        reasons.addAll(deny.reasons());
      }
    }
    if (reasons.isEmpty()) {
      return Decision.permit(subject, List.copyOf(warnings));
    }
    return Decision.deny(subject, List.copyOf(reasons), List.copyOf(warnings));
  }

  /**
   * What the gate decided about a set of requirements.
   *
   * <p>{@link #decision()} is the combined decision; {@link #explanation()} says it for people,
   * such as {@code token 3f2a9c1b lacks releases:deploy on web-shop; it has releases:manage on
   * web-shop, docs-site}. Neither ever contains the secret.
   */
  public static final class GateResult {
    private final Decision decision;
    private final List<Requirement> requirements;
    private final @Nullable Grant grant;
    private final String explanation;

    GateResult(Decision decision, List<Requirement> requirements, @Nullable Grant grant) {
      this.decision = Objects.requireNonNull(decision, "decision must not be null");
      this.requirements = List.copyOf(requirements);
      this.grant = grant;
      this.explanation = explain(decision, this.requirements, grant);
    }

    /**
     * The combined decision.
     *
     * @return a permit only if every requirement was permitted; the first {@code Indeterminate} if
     *     any; otherwise a deny with every reason of every denied requirement
     */
    public Decision decision() {
      return decision;
    }

    /**
     * Whether the release may proceed: every requirement was permitted.
     *
     * @return true only for a permit; false for a deny and for {@code Indeterminate}
     */
    public boolean isPermit() {
      return decision.isPermit();
    }

    /**
     * What was checked, in order.
     *
     * @return the requirements as given, unmodifiable
     */
    public List<Requirement> requirements() {
      return requirements;
    }

    /**
     * The token's grant, when it could be read (not for a rejected token or an outage). For
     * explaining and least-privilege review only: the decision is {@link #decision()}.
     *
     * @return the grant, or empty when none could be read
     */
    public Optional<Grant> grant() {
      return Optional.ofNullable(grant);
    }

    /**
     * The decision in one line for people (no secret).
     *
     * @return such as {@code token 3f2a9c1b lacks releases:deploy on web-shop; it has …}; never
     *     empty
     */
    public String explanation() {
      return explanation;
    }

    @Override
    public String toString() {
      return "GateResult[" + explanation + "]";
    }
  }

  static String explain(Decision decision, List<Requirement> requirements, @Nullable Grant grant) {
    String label = decision.subject().label();
    if (decision instanceof Decision.Indeterminate i) {
      return "could not decide for "
          + label
          + ": "
          + i.cause()
          + " ("
          + i.detail()
          + "); failing closed";
    }
    if (decision instanceof Decision.Permit) {
      StringJoiner what = new StringJoiner(", ");
      requirements.forEach(r -> what.add(describe(r)));
      return label + " may " + what + withWarnings(decision.warnings());
    }
    Decision.Deny deny = (Decision.Deny) decision;
    List<String> clauses = new ArrayList<>();
    // Permissions missing, grouped by the project of the requirement that names them.
    Map<String, Set<String>> lacking = new LinkedHashMap<>();
    for (DenyReason r : deny.reasons()) {
      switch (r.code()) {
        case PERMISSION_MISSING:
          lacking
              .computeIfAbsent(projectOf(r.detail(), requirements), k -> new LinkedHashSet<>())
              .add(String.valueOf(r.detail()));
          break;
        case PROJECT_OUT_OF_SCOPE:
          clauses.add("is not scoped to project " + r.detail());
          break;
        case TOKEN_EXPIRED:
          clauses.add("expired at " + r.detail());
          break;
        case OWNER_INACTIVE:
          clauses.add("belongs to an owner whose status is " + r.detail() + ", not active");
          break;
        case TOKEN_INVALID:
          clauses.add("was rejected by BRMS (unknown, revoked or expired)");
          break;
        case LOOKUP_FORBIDDEN:
          clauses.add("may not read its own facts, so the self lookup cannot decide for it");
          break;
        default:
          clauses.add("could be any of " + r.detail() + ", and not all of them allow this");
      }
    }
    List<String> lacks = new ArrayList<>();
    lacking.forEach(
        (project, perms) ->
            lacks.add(
                "lacks " + String.join(", ", perms) + (project.isEmpty() ? "" : " on " + project)));
    lacks.addAll(clauses);
    StringBuilder b = new StringBuilder(label).append(' ').append(String.join(" and ", lacks));
    if (grant != null) {
      b.append("; ").append(has(grant));
    }
    return b.append(withWarnings(decision.warnings())).toString();
  }

  /**
   * The project of the first requirement naming {@code permission}; empty if none names a project.
   */
  private static String projectOf(@Nullable String permission, List<Requirement> requirements) {
    for (Requirement r : requirements) {
      String perms =
          String.join(r.match() == Requirement.Match.ANY_OF ? "|" : ",", r.permissions());
      if (r.permissions().contains(permission) || perms.equals(permission)) {
        return r.project().map(Object::toString).orElse("");
      }
    }
    return "";
  }

  private static String describe(Requirement r) {
    String perms =
        r.isAuthenticatedOnly()
            ? "authenticate"
            : String.join(r.match() == Requirement.Match.ANY_OF ? " or " : ", ", r.permissions());
    return perms + r.project().map(p -> " on " + p).orElse("");
  }

  private static String has(Grant grant) {
    List<String> perms =
        grant.isAmbiguous()
            ? new ArrayList<>(grant.grantedPermissions())
            : grant.declaredPermissions();
    String scope;
    if (grant.allProjects()) {
      scope = "all projects";
    } else if (grant.projects().isEmpty()) {
      scope = "no project";
    } else {
      StringJoiner j = new StringJoiner(", ");
      grant.projects().stream().map(Project::label).forEach(j::add);
      scope = j.toString();
    }
    String held = perms.isEmpty() ? "no permissions" : String.join(", ", perms);
    return (grant.isAmbiguous()
            ? "its " + grant.candidates().size() + " candidate tokens all have "
            : "it has ")
        + held
        + " on "
        + scope;
  }

  private static String withWarnings(List<Warning> warnings) {
    if (warnings.isEmpty()) {
      return "";
    }
    StringJoiner j = new StringJoiner(", ", " (warning: ", ")");
    warnings.forEach(w -> j.add(w.toString()));
    return j.toString();
  }
}
