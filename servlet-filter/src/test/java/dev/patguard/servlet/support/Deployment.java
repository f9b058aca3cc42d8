package dev.patguard.servlet.support;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a test deploys: the filter (or null to declare it by class name, as {@code web.xml} would),
 * its init-params, the servlet, and whether each registration is async-supported.
 *
 * @param filter the filter instance, or null for {@code PatGuardFilter} declared by class name
 * @param initParams the filter's init-params
 * @param servlet the app servlet, mapped at {@code /*}
 * @param filterAsync whether the filter registration is async-supported
 * @param servletAsync whether the servlet registration is async-supported
 */
public record Deployment(@Nullable Filter filter, Map<String, String> initParams, HttpServlet servlet,
    boolean filterAsync, boolean servletAsync) {
  public Deployment {
    initParams = Map.copyOf(initParams);
  }

  /** Both registrations async-supported, as the README asks. */
  public static Deployment of(@Nullable Filter filter, Map<String, String> initParams, HttpServlet servlet) {
    return new Deployment(filter, initParams, servlet, true, true);
  }

  public Deployment withFilterAsync(boolean async) {
    return new Deployment(filter, initParams, servlet, async, servletAsync);
  }

  public Deployment withServletAsync(boolean async) {
    return new Deployment(filter, initParams, servlet, filterAsync, async);
  }
}
