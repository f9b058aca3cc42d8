package com.example.readme;

// snippet:start register
import dev.patguard.PatGuard;
import dev.patguard.servlet.PatGuardFilter;
import dev.patguard.servlet.RoutePolicy;
import jakarta.servlet.DispatcherType;
import java.nio.file.Path;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
// snippet:end register
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;

/** README.md, "Guard a route": the filter registered in embedded Jetty 12. */
class GuardARoute {
  static PatGuard register(ServletContextHandler context) {
    // snippet:start register
    PatGuard guard = PatGuard.builder().baseUrl("https://acme.us1.gorules.io").build();
    PatGuardFilter filter = PatGuardFilter.builder()
        .guard(guard).policy(RoutePolicy.load(Path.of("policy.yaml"))).realm("release-portal").build();
    FilterHolder holder = new FilterHolder(filter);
    holder.setAsyncSupported(true);   // lookups complete off the container thread
    context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
    // in a servlet, after a permit: (PatGuardPrincipal) req.getUserPrincipal() names the token and owner,
    // and its project() (also the request attribute PatGuardFilter.PROJECT_ATTRIBUTE) the project authorized
    // snippet:end register
    return guard;
  }
}
