package dev.patguard.junit;

import dev.patguard.decision.Grant;
import dev.patguard.decision.LeastPrivilegeReport;
import dev.patguard.decision.ProjectRef;
import dev.patguard.decision.Requirement;
import dev.patguard.token.PersonalAccessToken;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.MultipleFailuresError;
import org.opentest4j.TestAbortedException;

/**
 * Runs {@link LeastPrivilege} checks before each test, resolves {@link Token} parameters, and
 * disables tests whose variables are missing when they opted into {@link OnMissing#SKIP}. Tokens
 * are read through {@link TokenSource}: once per run, through one {@code PatGuard} per
 * configuration, both kept in the root store. No state of its own: JUnit may run tests in parallel
 * and share one instance between them.
 */
final class LeastPrivilegeExtension
    implements ExecutionCondition, BeforeEachCallback, ParameterResolver {

  /** One validated {@link LeastPrivilege} annotation. */
  record Check(
      String who,
      String token,
      List<Requirement> requirements,
      @Nullable Duration maxLifetime,
      boolean projectsNamed,
      OnMissing onMissing) {}

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Environment env = Environment.of(context);
    List<String> skipped = new ArrayList<>();
    for (LeastPrivilege a : ownAnnotations(context)) {
      if (a.onMissing() == OnMissing.SKIP) {
        missing(a.token(), who(a.token()), env).ifPresent(skipped::add);
      }
    }
    Optional<Method> method = context.getTestMethod();
    if (method.isPresent()) {
      for (Parameter p : method.get().getParameters()) {
        Token t = p.getAnnotation(Token.class);
        if (t != null && t.onMissing() == OnMissing.SKIP) {
          missing(t.value(), "@Token(\"" + t.value() + "\")", env).ifPresent(skipped::add);
        }
      }
    }
    if (skipped.isEmpty()) {
      return ConditionEvaluationResult.enabled("every variable patguard needs is set");
    }
    return ConditionEvaluationResult.disabled(String.join("; ", skipped));
  }

  private static Optional<String> missing(String token, String who, Environment env) {
    try {
      TokenSource.plan(who, token, env);
      return Optional.empty();
    } catch (MissingVariableException e) {
      return Optional.of(who + " skipped (onMissing = SKIP): " + e.variable() + " is not set");
    } catch (ExtensionConfigurationException e) {
      return Optional.empty(); // reported by beforeEach, where it fails the test
    }
  }

  /**
   * The annotations declared on this context's element (the class for a container, else the
   * method).
   */
  private static List<LeastPrivilege> ownAnnotations(ExtensionContext context) {
    if (context.getTestMethod().isPresent()) {
      return AnnotationSupport.findRepeatableAnnotations(
          context.getTestMethod().get(), LeastPrivilege.class);
    }
    return context
        .getTestClass()
        .map(c -> AnnotationSupport.findRepeatableAnnotations(c, LeastPrivilege.class))
        .orElse(List.of());
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    Method method = context.getRequiredTestMethod();
    Environment env = Environment.of(context);
    for (Parameter p : method.getParameters()) {
      Token t = p.getAnnotation(Token.class);
      if (t != null) {
        checkParameterType(t, p, env);
        TokenSource.checkTokenName("@Token(\"" + t.value() + "\")", t.value());
      }
    }
    List<LeastPrivilege> annotations =
        new ArrayList<>(
            AnnotationSupport.findRepeatableAnnotations(
                context.getRequiredTestClass(), LeastPrivilege.class));
    annotations.addAll(AnnotationSupport.findRepeatableAnnotations(method, LeastPrivilege.class));
    List<Check> checks = new ArrayList<>();
    for (LeastPrivilege a : annotations) {
      checks.add(validate(a));
    }
    List<AssertionFailedError> failures = new ArrayList<>();
    for (Check check : checks) {
      TokenSource.Plan plan;
      try {
        plan = TokenSource.plan(check.who(), check.token(), env);
      } catch (MissingVariableException e) {
        if (check.onMissing() == OnMissing.SKIP) {
          throw new TestAbortedException(
              check.who() + " skipped (onMissing = SKIP): " + e.variable() + " is not set");
        }
        throw e;
      }
      TokenSource.Fetched fetched = TokenSource.fetch(context, plan);
      AssertionFailedError failure = analyse(check, fetched.grant(), plan.clock());
      if (failure != null) {
        failures.add(failure);
      }
    }
    if (failures.size() == 1) {
      throw failures.get(0);
    }
    if (!failures.isEmpty()) {
      throw new MultipleFailuresError("least-privilege checks", failures);
    }
  }

  static @Nullable AssertionFailedError analyse(Check check, Grant grant, Clock clock) {
    dev.patguard.decision.LeastPrivilegeReview.Builder b =
        dev.patguard.decision.LeastPrivilegeReview.builder().clock(clock);
    if (check.maxLifetime() != null) {
      b.maxLifetime(check.maxLifetime());
    }
    LeastPrivilegeReport report = b.build().analyseGrant(grant, check.requirements());
    List<String> extra = new ArrayList<>();
    if (!check.projectsNamed() && grant.allProjects()) {
      extra.add("excess project scope: allProjects is true");
    }
    extra.addAll(Findings.ownerFindings(grant));
    return Findings.leastPrivilegeFailure(check.who(), grant, report, extra);
  }

  static String who(String token) {
    return "@LeastPrivilege(token = \"" + token + "\")";
  }

  /** Checks an annotation's values; a bad one fails with its value quoted. */
  static Check validate(LeastPrivilege a) {
    String who = who(a.token());
    TokenSource.checkTokenName(who, a.token());
    if (a.permissions().length == 0) {
      throw new ExtensionConfigurationException(
          who
              + ": permissions must name at least one permission,"
              + " such as \"releases:deploy\"");
    }
    for (String p : a.permissions()) {
      try {
        Requirement.allOf(p);
      } catch (IllegalArgumentException e) {
        throw new ExtensionConfigurationException(
            who
                + ": permission \""
                + p
                + "\" is not a permission name"
                + " (letters, digits, '.', '_' or '-', in segments joined by ':')",
            e);
      }
    }
    List<ProjectRef> projects = new ArrayList<>();
    for (String p : a.projects()) {
      try {
        projects.add(ProjectRef.parse(p));
      } catch (IllegalArgumentException e) {
        throw new ExtensionConfigurationException(
            who + ": project \"" + p + "\" is not a project key or id: " + e.getMessage(), e);
      }
    }
    Duration max = null;
    if (!a.maxLifetime().isEmpty()) {
      try {
        max = Duration.parse(a.maxLifetime());
      } catch (DateTimeParseException e) {
        throw new ExtensionConfigurationException(
            who
                + ": maxLifetime \""
                + a.maxLifetime()
                + "\" is not an ISO-8601 duration such as P90D",
            e);
      }
      if (max.isZero() || max.isNegative()) {
        throw new ExtensionConfigurationException(
            who + ": maxLifetime \"" + a.maxLifetime() + "\" must be positive");
      }
    }
    List<Requirement> requirements = new ArrayList<>();
    Requirement base = Requirement.allOf(a.permissions());
    if (projects.isEmpty()) {
      requirements.add(base);
    } else {
      for (ProjectRef p : projects) {
        requirements.add(base.onProject(p));
      }
    }
    return new Check(who, a.token(), requirements, max, !projects.isEmpty(), a.onMissing());
  }

  @Override
  public boolean supportsParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.isAnnotated(Token.class);
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
    Token t = parameterContext.findAnnotation(Token.class).orElseThrow();
    Parameter p = parameterContext.getParameter();
    Environment env = Environment.of(context);
    checkParameterType(t, p, env);
    String who = "@Token(\"" + t.value() + "\")";
    TokenSource.Plan plan;
    try {
      plan = TokenSource.plan(who, t.value(), env);
    } catch (MissingVariableException e) {
      if (t.onMissing() == OnMissing.SKIP) {
        throw new TestAbortedException(
            who + " skipped (onMissing = SKIP): " + e.variable() + " is not set");
      }
      throw e;
    }
    TokenSource.Fetched fetched = TokenSource.fetch(context, plan);
    if (p.getType() == Grant.class) {
      return fetched.grant();
    }
    return Objects.requireNonNull(fetched.token(), "the by-id lookup gives the token's facts");
  }

  /**
   * Checks that the parameter can be injected: a {@code Grant}, or a {@code PersonalAccessToken}
   * under the {@code by-id} lookup (the self lookup gives patguard's compiled grant, not the
   * facts).
   */
  private static void checkParameterType(Token t, Parameter p, Environment env) {
    Class<?> type = p.getType();
    if (type != PersonalAccessToken.class && type != Grant.class) {
      throw new ExtensionConfigurationException(
          "@Token(\""
              + t.value()
              + "\") is on parameter "
              + p.getName()
              + " of type "
              + type.getName()
              + "; it can only inject "
              + Grant.class.getName()
              + " or, with the by-id lookup, "
              + PersonalAccessToken.class.getName());
    }
    if (type == PersonalAccessToken.class && TokenSource.lookup(env).equals("self")) {
      throw new ExtensionConfigurationException(
          "@Token(\""
              + t.value()
              + "\") is on parameter "
              + p.getName()
              + " of type "
              + PersonalAccessToken.class.getName()
              + ", which the self lookup cannot provide: it yields"
              + " the compiled grant. Declare the parameter as "
              + Grant.class.getName()
              + ", or use the by-id lookup ("
              + PatGuardTestConfig.LOOKUP
              + "=by-id)");
    }
  }
}
