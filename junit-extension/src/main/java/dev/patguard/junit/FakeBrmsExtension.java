package dev.patguard.junit;

import java.net.URI;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Starts a fake BRMS for a {@link WithFakeBrms} class (before all) or method (before each) and
 * keeps it in that context's store, which closes it (an {@link AutoCloseable}) when the class or
 * method is done. No state of its own: JUnit may share one instance between parallel tests.
 *
 * <p>Everything lives in stores, through {@code getOrComputeIfAbsent}: each server under a key
 * naming the context that owns it (so that a method-level server shadows the class's, and a look-up
 * walks up the contexts to the nearest one), each class's checkpoint under a key naming the class,
 * and the run's {@link SystemProperties} in the root store.
 *
 * <p>A class's server is shared by its tests, so before each test it is put back as the class's
 * setup left it: a {@link FakeBrmsHandle.Checkpoint} is taken the first time a test (or a nested
 * class) of that class starts, which is after its {@code @BeforeAll} methods, and rewound to before
 * every later one; the counters are zeroed every time. A nested class's {@code @BeforeAll}
 * additions therefore survive between its own tests, and the nested class starts from its enclosing
 * class's checkpoint rather than from what the last test left. When JUnit runs the tests
 * concurrently, there is no "between tests" to reset in: a rewind would pull tokens and faults from
 * under tests still running, so the server is shared as it stands.
 */
final class FakeBrmsExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(FakeBrmsExtension.class);
  private static final String PARALLEL_ENABLED = "junit.jupiter.execution.parallel.enabled";

  /** The key of the server the context with this unique id started. */
  private record ServerKey(String contextId) {}

  /** The key of the checkpoint of the class context with this unique id. */
  private record CheckpointKey(String classContextId) {}

  @Override
  public void beforeAll(ExtensionContext context) {
    if (AnnotationSupport.isAnnotated(context.getTestClass(), WithFakeBrms.class)) {
      start(context);
    } else if (!concurrent(context)) {
      // A nested class sharing an enclosing class's server: its @BeforeAll builds on that class's
      // setup, not on what that class's last test left.
      enclosingClass(context).ifPresent(FakeBrmsExtension::reset);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (!concurrent(context)) {
      enclosingClass(context).ifPresent(FakeBrmsExtension::reset);
    }
    if (AnnotationSupport.isAnnotated(context.getTestMethod(), WithFakeBrms.class)) {
      start(context);
    }
  }

  /** Whether JUnit may run this test or class at the same time as its siblings. */
  private static boolean concurrent(ExtensionContext context) {
    return context.getConfigurationParameter(PARALLEL_ENABLED, Boolean::parseBoolean).orElse(false)
        && context.getExecutionMode() == ExecutionMode.CONCURRENT;
  }

  /**
   * Puts the class-level server that {@code classContext} sees (its own or an enclosing class's)
   * back to this class's checkpoint, taking the checkpoint the first time; zeroes the counters.
   */
  private static void reset(ExtensionContext classContext) {
    Optional<FakeBrmsHandle> server = server(classContext);
    if (server.isEmpty()) {
      return;
    }
    FakeBrmsHandle h = server.get();
    AtomicBoolean taken = new AtomicBoolean();
    FakeBrmsHandle.Checkpoint checkpoint =
        classContext
            .getStore(NAMESPACE)
            .getOrComputeIfAbsent(
                new CheckpointKey(classContext.getUniqueId()),
                key -> {
                  taken.set(true);
                  return h.checkpoint();
                },
                FakeBrmsHandle.Checkpoint.class);
    if (!taken.get()) {
      h.rewind(checkpoint);
    }
    h.resetCounters();
  }

  /** The nearest class context above {@code context}: past method and invocation contexts. */
  private static Optional<ExtensionContext> enclosingClass(ExtensionContext context) {
    Optional<ExtensionContext> c = context.getParent();
    while (c.isPresent() && c.get().getTestMethod().isPresent()) {
      c = c.get().getParent();
    }
    return c.filter(p -> p.getTestClass().isPresent());
  }

  private static void start(ExtensionContext context) {
    SystemProperties properties =
        context
            .getRoot()
            .getStore(NAMESPACE)
            .getOrComputeIfAbsent(
                SystemProperties.class, key -> new SystemProperties(), SystemProperties.class);
    context
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            new ServerKey(context.getUniqueId()),
            key -> FakeBrmsHandle.start(properties),
            FakeBrmsHandle.class);
  }

  /** The server of this context or of the nearest one above it that started one. */
  private static Optional<FakeBrmsHandle> server(ExtensionContext context) {
    for (Optional<ExtensionContext> c = Optional.of(context);
        c.isPresent();
        c = c.get().getParent()) {
      FakeBrmsHandle h =
          c.get()
              .getStore(NAMESPACE)
              .get(new ServerKey(c.get().getUniqueId()), FakeBrmsHandle.class);
      if (h != null) {
        return Optional.of(h);
      }
    }
    return Optional.empty();
  }

  @Override
  public boolean supportsParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == FakeBrmsServer.class
        || parameterContext.isAnnotated(FakeBrmsUrl.class);
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
    Class<?> type = parameterContext.getParameter().getType();
    if (parameterContext.isAnnotated(FakeBrmsUrl.class)
        && type != URI.class
        && type != String.class) {
      throw new ExtensionConfigurationException(
          "@FakeBrmsUrl is on parameter "
              + parameterContext.getParameter().getName()
              + " of type "
              + type.getName()
              + "; it can only inject java.net.URI or java.lang.String");
    }
    FakeBrmsHandle h =
        server(context)
            .orElseThrow(
                () ->
                    new ParameterResolutionException(
                        "no fake BRMS is running for "
                            + context.getDisplayName()
                            + ": annotate the test class or method with"
                            + " @WithFakeBrms (a class-level server starts before @BeforeAll methods; a method-level one only"
                            + " for that test)"));
    if (type == FakeBrmsServer.class) {
      return h;
    }
    return type == URI.class ? h.baseUrl() : h.baseUrl().toString();
  }
}
