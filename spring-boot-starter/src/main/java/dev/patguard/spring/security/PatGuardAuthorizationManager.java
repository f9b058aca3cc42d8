package dev.patguard.spring.security;

import dev.patguard.Decider;
import dev.patguard.decision.Decision;
import dev.patguard.decision.ProjectRef;
import dev.patguard.decision.Requirement;
import dev.patguard.http.ProjectValue;
import dev.patguard.http.RawQuery;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * Requires a patguard permit for a route in {@code authorizeHttpRequests}: some permissions on the
 * project a path variable, header or query parameter names, on a fixed project, or (said
 * explicitly) on no particular project.
 *
 * <pre>{@code
 * .requestMatchers(HttpMethod.POST, "/api/projects/{projectId}/releases/deploy")
 *     .access(security.require("releases:deploy").onPathVariable("projectId"))
 * }</pre>
 *
 * <p>Project values from the request follow {@code PatGuardFilter}'s rules: exactly one value, a
 * bare project key or UUID ({@code key:}/{@code id:} prefixes are for configuration only), else 400
 * before any lookup. A permitted request carries the project in the request attribute {@link
 * #PROJECT_ATTRIBUTE}; act on it rather than re-reading the raw value. Instances are immutable and
 * thread-safe.
 */
public final class PatGuardAuthorizationManager
    implements AuthorizationManager<RequestAuthorizationContext> {
  /** Request attribute holding the {@link ProjectRef} of a permitted request (if it had one). */
  public static final String PROJECT_ATTRIBUTE = "dev.patguard.spring.project";

  /** Request attribute holding the last patguard {@link Decision} made for the request. */
  public static final String DECISION_ATTRIBUTE = "dev.patguard.spring.decision";

  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final Pattern VARIABLE = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

  private enum From {
    PATH,
    HEADER,
    QUERY,
    FIXED,
    NONE
  }

  private final Decider decider;
  private final Requirement base;
  private final From from;
  private final String name;

  /** Where the project comes from, as a refusal names it ("path projectId"); built once. */
  private final String source;

  private PatGuardAuthorizationManager(Decider decider, Requirement base, From from, String name) {
    this.decider = decider;
    this.base = base;
    this.from = from;
    this.name = name;
    this.source = from.name().toLowerCase(Locale.ROOT) + " " + name;
  }

  /**
   * Starts a manager that requires {@code requirement} (its project, if it names one, is replaced
   * by the one chosen next).
   *
   * @param decider the decider to ask; not null
   * @param requirement the permissions required; not null
   * @return a step that must choose where the project comes from
   */
  static ProjectStep requiring(Decider decider, Requirement requirement) {
    return new ProjectStep(
        Objects.requireNonNull(decider, "decider must not be null"),
        Objects.requireNonNull(requirement, "requirement must not be null"));
  }

  @Override
  public AuthorizationResult authorize(
      Supplier<? extends Authentication> authentication, RequestAuthorizationContext context) {
    Authentication auth = authentication.get();
    if (!(auth instanceof PatGuardAuthentication token)) {
      return PatGuardAuthorizationDecision.notAPatGuardToken();
    }
    HttpServletRequest request = context.getRequest();
    Requirement requirement;
    try {
      requirement = requirementFor(request, context);
    } catch (IllegalArgumentException e) {
      return PatGuardAuthorizationDecision.badProject(e.getMessage());
    }
    PatGuardAuthorizationDecision result = decide(decider, token, requirement);
    request.setAttribute(DECISION_ATTRIBUTE, result.decision().orElseThrow());
    if (result.isGranted()) {
      requirement.project().ifPresent(p -> request.setAttribute(PROJECT_ATTRIBUTE, p));
    }
    return result;
  }

  /** The one place a Spring check becomes a patguard decision (routes and method security). */
  static PatGuardAuthorizationDecision decide(
      Decider decider, PatGuardAuthentication token, Requirement requirement) {
    Decision decision = decider.decideBlocking(token.secret(), requirement);
    return PatGuardAuthorizationDecision.decided(
        decision, requirement, token.getPrincipal().fingerprint());
  }

  private Requirement requirementFor(HttpServletRequest request, RequestAuthorizationContext ctx) {
    if (from == From.FIXED || from == From.NONE) {
      return base;
    }
    List<String> values =
        switch (from) {
          case PATH -> {
            String v = ctx.getVariables().get(name);
            yield v == null ? List.of() : List.of(v);
          }
          case HEADER ->
              request.getHeaders(name) == null
                  ? List.of()
                  : Collections.list(request.getHeaders(name));
          default -> RawQuery.values(request.getQueryString(), name);
        };
    return base.onProject(ProjectValue.single(source, values));
  }

  @Override
  public String toString() {
    String project =
        switch (from) {
          case FIXED -> " on " + base.project().orElseThrow();
          case NONE -> " on no particular project";
          default -> " on the project of " + from.name().toLowerCase(Locale.ROOT) + " " + name;
        };
    return "PatGuardAuthorizationManager[" + base.permissions() + project + "]";
  }

  /**
   * Where the project of a {@link PatGuardAuthorizationManager} comes from; one must be chosen, so
   * that a project-less check is never made by omission.
   */
  public static final class ProjectStep {
    private final Decider decider;
    private final Requirement requirement;

    private ProjectStep(Decider decider, Requirement requirement) {
      this.decider = decider;
      this.requirement = requirement;
    }

    /**
     * The project is the path variable {@code variable} of the request matcher's pattern ({@code
     * /api/projects/{projectId}/...}).
     *
     * @param variable the variable's name, without braces
     * @return the manager
     * @throws IllegalArgumentException if {@code variable} is not a letter followed by letters,
     *     digits or {@code _}
     */
    public PatGuardAuthorizationManager onPathVariable(String variable) {
      return sourced(From.PATH, variable, VARIABLE, "path variable");
    }

    /**
     * The project is the value of request header {@code header} (exactly one).
     *
     * @param header the header's name, such as {@code X-Project}
     * @return the manager
     * @throws IllegalArgumentException if {@code header} is not an HTTP token
     */
    public PatGuardAuthorizationManager onHeader(String header) {
      return sourced(From.HEADER, header, HEADER_NAME, "header");
    }

    /**
     * The project is the value of query parameter {@code parameter} (exactly one; never the body).
     *
     * @param parameter the parameter's name
     * @return the manager
     * @throws IllegalArgumentException if {@code parameter} is empty or has {@code &}, {@code =},
     *     spaces or characters outside visible ASCII
     */
    public PatGuardAuthorizationManager onQueryParameter(String parameter) {
      Objects.requireNonNull(parameter, "parameter must not be null");
      if (parameter.isEmpty()
          || !parameter.chars().allMatch(c -> c > 0x20 && c < 0x7F && c != '&' && c != '=')) {
        throw new IllegalArgumentException("\"" + parameter + "\" is not a valid query name");
      }
      return new PatGuardAuthorizationManager(decider, requirement, From.QUERY, parameter);
    }

    /**
     * The project is always {@code project}.
     *
     * @param project a project key, a UUID, or {@code key:}/{@code id:} followed by one
     * @return the manager
     * @throws IllegalArgumentException if {@code project} is not such a value
     */
    public PatGuardAuthorizationManager onProject(String project) {
      Objects.requireNonNull(project, "project must not be null");
      return new PatGuardAuthorizationManager(
          decider, requirement.onProject(ProjectRef.parse(project)), From.FIXED, project);
    }

    /**
     * No project: the token must hold the permissions, on whichever project. A token scoped to
     * project A passes this check; use it only for routes that act on no project.
     *
     * @return the manager
     */
    public PatGuardAuthorizationManager onNoParticularProject() {
      return new PatGuardAuthorizationManager(decider, requirement, From.NONE, "");
    }

    private PatGuardAuthorizationManager sourced(
        From from, String name, Pattern valid, String what) {
      Objects.requireNonNull(name, what + " must not be null");
      if (!valid.matcher(name).matches()) {
        throw new IllegalArgumentException("\"" + name + "\" is not a valid " + what + " name");
      }
      return new PatGuardAuthorizationManager(decider, requirement, from, name);
    }
  }
}
