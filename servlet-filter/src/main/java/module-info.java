/**
 * patguard-servlet-filter: {@code PatGuardFilter}, RFC 6750 bearer extraction, the route policy and
 * the responses for Jakarta Servlet 6 containers.
 *
 * <p>Exports {@code dev.patguard.servlet} only; the path templates and the policy reader ({@code
 * dev.patguard.servlet.internal}) and the filter's collaborators (package-private) are not API. The
 * answers, the bearer and query parsing are core's {@code dev.patguard.http}. The Servlet API is
 * the container's ({@code provided}).
 */
module dev.patguard.servlet {
  exports dev.patguard.servlet;

  requires transitive dev.patguard.core;
  requires transitive jakarta.servlet;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.dataformat.yaml;
  requires static transitive org.jspecify;

  // Fleet mode by name (init-param shared-cache): patguard-redis provides "redis".
  uses dev.patguard.spi.SharedTokenCacheProvider;
}
