package com.example.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.patguard.PatGuard;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.junit.jupiter.api.Test;

/** Runs the "Guard a route" snippet against policy.yaml (README.md's policy, in this project). */
class GuardARouteTest {
  @Test
  void registerWhenPolicyFileIsTheReadmesThenOneFilterOnAllPaths() {
    ServletContextHandler context = new ServletContextHandler();
    try (PatGuard guard = GuardARoute.register(context)) {
      assertEquals(1, context.getServletHandler().getFilterMappings().length);
      assertEquals("/*", context.getServletHandler().getFilterMappings()[0].getPathSpecs()[0]);
    }
  }
}
