package dev.patguard.junit.internal;

import dev.patguard.junit.FakeBrms;
import dev.patguard.junit.FakeBrmsServer;
import dev.patguard.junit.FakeBrmsUrl;
import java.net.URI;
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
 * Starts a fake BRMS for a {@link FakeBrms} class (before all) or method (before each), keeps it
 * in that context's store, and closes it after all / after each. The store holds it as an
 * {@link AutoCloseable} too, so it is closed even if an after-callback is skipped.
 */
public final class FakeBrmsExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(FakeBrmsExtension.class);
  private static final String KEY = "server";

  /** Creates the extension; JUnit does this. */
  public FakeBrmsExtension() {}

  @Override
  public void beforeAll(ExtensionContext context) {
    if (AnnotationSupport.isAnnotated(context.getTestClass(), FakeBrms.class)) {
      start(context);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop(context);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (AnnotationSupport.isAnnotated(context.getTestMethod(), FakeBrms.class)) {
      start(context);
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    stop(context);
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
          + context.getDisplayName() + ": annotate the test class or method with @FakeBrms"
          + " (a class-level server starts before @BeforeAll methods; a method-level one only for that test)");
    }
    if (type == FakeBrmsServer.class) {
      return h;
    }
    return type == URI.class ? h.baseUrl() : h.baseUrl().toString();
  }
}
