package com.example.servlet;

// snippet:start register
import dev.patguard.PatGuard;
import dev.patguard.decision.ProjectRef;
import dev.patguard.servlet.PatGuardFilter;
import dev.patguard.servlet.PatGuardPrincipal;
import dev.patguard.servlet.RoutePolicy;
import jakarta.servlet.DispatcherType;
import java.nio.file.Path;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
// snippet:end register
import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;

/** servlet-filter/README.md (compiled only). */
class RegisterFilter {
  static void register(ServletContextHandler context, HttpServletRequest req) {
    // snippet:start register
    PatGuard guard = PatGuard.builder().baseUrl("https://acme.us1.gorules.io").build();
    PatGuardFilter filter = PatGuardFilter.builder()
        .guard(guard).policy(RoutePolicy.load(Path.of("policy.yaml"))).realm("acme").build();
    FilterHolder holder = new FilterHolder(filter);
    holder.setAsyncSupported(true);                 // and the servlets too
    context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
    // in the app, after a permit (req: the HttpServletRequest):
    PatGuardPrincipal who = (PatGuardPrincipal) req.getUserPrincipal();
    ProjectRef project = who.project().orElseThrow(); // the project the filter authorized: resolve this one
    // snippet:end register
  }
}
