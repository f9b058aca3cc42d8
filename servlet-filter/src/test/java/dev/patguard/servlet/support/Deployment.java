package dev.patguard.servlet.support;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a test deploys: the filter (or null to declare it by class name, as {@code web.xml} would),
 * its init-params, the servlet, whether each registration is async-supported, and the dispatcher
 * types the filter is mapped for.
 *
 * @param filter the filter instance, or null for {@code PatGuardFilter} declared by class name
 * @param initParams the filter's init-params
 * @param servlet the app servlet, mapped at {@code /*}
 * @param filterAsync whether the filter registration is async-supported
 * @param servletAsync whether the servlet registration is async-supported
 * @param dispatcherTypes the dispatcher types the filter is mapped for (at {@code /*})
 */
public record Deployment(
    @Nullable Filter filter,
    Map<String, String> initParams,
    HttpServlet servlet,
    boolean filterAsync,
    boolean servletAsync,
    Set<DispatcherType> dispatcherTypes) {
  public Deployment {
    initParams = Map.copyOf(initParams);
    dispatcherTypes = Set.copyOf(dispatcherTypes);
  }

  /** Both registrations async-supported, the filter mapped for every dispatcher type. */
  public static Deployment of(
      @Nullable Filter filter, Map<String, String> initParams, HttpServlet servlet) {
    return new Deployment(
        filter, initParams, servlet, true, true, EnumSet.allOf(DispatcherType.class));
  }

  public Deployment withFilterAsync(boolean async) {
    return new Deployment(filter, initParams, servlet, async, servletAsync, dispatcherTypes);
  }

  public Deployment withServletAsync(boolean async) {
    return new Deployment(filter, initParams, servlet, filterAsync, async, dispatcherTypes);
  }

  /** The filter mapped for {@code first} and {@code rest} only. */
  public Deployment withDispatcherTypes(DispatcherType first, DispatcherType... rest) {
    return new Deployment(
        filter, initParams, servlet, filterAsync, servletAsync, EnumSet.of(first, rest));
  }
}
