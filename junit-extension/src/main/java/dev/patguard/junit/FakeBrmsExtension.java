package dev.patguard.junit;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Starts a fake BRMS for a {@link WithFakeBrms} class (before all) or method (before each), keeps it
 * in that context's store, and closes it after all / after each. The store holds it as an
 * {@link AutoCloseable} too, so it is closed even if an after-callback is skipped.
 *
 * <p>A class's server is shared by its tests, so before each test it is put back as the class's
 * setup left it: a {@link FakeBrmsHandle.Checkpoint} is taken the first time a test (or a nested
 * class) of that class starts, which is after its {@code @BeforeAll} methods, and rewound to
 * before every later one; the counters are zeroed every time. Each class context keeps its own
 * checkpoint under a key with its unique id (store look-ups also search the parents), so a
 * nested class's {@code @BeforeAll} additions survive between its own tests, and the nested class
 * starts from its enclosing class's checkpoint rather than from what the last test left.
 */
final class FakeBrmsExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(FakeBrmsExtension.class);
  private static final String KEY = "server";
  private static final String CHECKPOINT = "checkpoint|";

  @Override
  public void beforeAll(ExtensionContext context) {
    if (AnnotationSupport.isAnnotated(context.getTestClass(), WithFakeBrms.class)) {
      start(context);
    } else {
      // A nested class sharing an enclosing class's server: its @BeforeAll builds on that class's
      // setup, not on what that class's last test left.
      enclosingClass(context).ifPresent(FakeBrmsExtension::reset);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop(context);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    enclosingClass(context).ifPresent(FakeBrmsExtension::reset);
    if (AnnotationSupport.isAnnotated(context.getTestMethod(), WithFakeBrms.class)) {
      start(context);
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    stop(context);
  }

  /**
   * Puts the class-level server that {@code classContext} sees (its own or an enclosing class's)
   * back to this class's checkpoint, taking the checkpoint the first time; zeroes the counters.
   */
  private static void reset(ExtensionContext classContext) {
    ExtensionContext.Store store = classContext.getStore(NAMESPACE);
    FakeBrmsHandle h = store.get(KEY, FakeBrmsHandle.class);
    if (h == null) {
      return;
    }
    String key = CHECKPOINT + classContext.getUniqueId();
    FakeBrmsHandle.Checkpoint checkpoint = store.get(key, FakeBrmsHandle.Checkpoint.class);
    if (checkpoint == null) {
      store.put(key, h.checkpoint());
    } else {
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
    context.getStore(NAMESPACE).put(KEY, FakeBrmsHandle.start());
  }

  private static void stop(ExtensionContext context) {
    FakeBrmsHandle h = context.getStore(NAMESPACE).remove(KEY, FakeBrmsHandle.class);
    if (h != null) {
      h.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == FakeBrmsServer.class
        || parameterContext.isAnnotated(FakeBrmsUrl.class);
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
    Class<?> type = parameterContext.getParameter().getType();
    if (parameterContext.isAnnotated(FakeBrmsUrl.class) && type != URI.class && type != String.class) {
      throw new ExtensionConfigurationException("@FakeBrmsUrl is on parameter "
          + parameterContext.getParameter().getName() + " of type " + type.getName()
          + "; it can only inject java.net.URI or java.lang.String");
    }
    FakeBrmsHandle h = context.getStore(NAMESPACE).get(KEY, FakeBrmsHandle.class);
    if (h == null) {
      throw new ParameterResolutionException("no fake BRMS is running for "
          + context.getDisplayName() + ": annotate the test class or method with @WithFakeBrms"
          + " (a class-level server starts before @BeforeAll methods; a method-level one only for that test)");
    }
    if (type == FakeBrmsServer.class) {
      return h;
    }
    return type == URI.class ? h.baseUrl() : h.baseUrl().toString();
  }
}
