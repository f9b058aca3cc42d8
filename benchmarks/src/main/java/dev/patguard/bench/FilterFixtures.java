package dev.patguard.bench;

import dev.patguard.servlet.ProjectSource;
import dev.patguard.servlet.RoutePolicy;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.lang.reflect.Proxy;
import java.security.Principal;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The route policy and the in-process request/response stubs of the filter-overhead measurements.
 *
 * <p>The policy has 20 rules; the request matches only the <b>last</b> one (#20), so route matching
 * walks all 20. Rules 1–19 all accept the request's method (GET) and share its {@code
 * /api/projects/{projectId}/...} prefix, so each of their templates is really tried, not skipped on
 * the method or the first segment.
 */
final class FilterFixtures {
  /**
   * The guarded request (GET: the JDK client retries an idempotent request on a stale keep-alive
   * connection): matches rule #20, on project {@code proj-1}, which the typical token holds.
   */
  static final String METHOD = "GET";

  static final String PATH = "/api/projects/" + Fixtures.projectKey(1) + "/releases/deploy";
  static final int RULES = 20;

  private FilterFixtures() {}

  /**
   * 20 rules under {@code prefix} (a context-relative path prefix such as "" or "/g"); the
   * request's is #20.
   */
  static RoutePolicy policy(String prefix) {
    RoutePolicy.Builder b = RoutePolicy.builder();
    String[] areas = {"branches", "documents", "releases/{releaseId}", "environments", "decisions"};
    String[] actions = {"create", "view", "update", "delete"};
    int n = 0;
    for (String area : areas) {
      for (String action : actions) {
        if (n == RULES - 1) {
          break;
        }
        String methods = action.equals("view") ? "GET,HEAD" : "GET,POST";
        b.rule(
            methods,
            prefix + "/api/projects/{projectId}/" + area + "/" + action,
            area.startsWith("releases") ? "releases:deploy" : area + ":" + action,
            ProjectSource.path("projectId"));
        n++;
      }
    }
    b.rule(
        METHOD,
        prefix + "/api/projects/{projectId}/releases/deploy",
        "releases:deploy",
        ProjectSource.path("projectId"));
    RoutePolicy p = b.build();
    if (p.rules().size() != RULES) {
      throw new IllegalStateException("expected " + RULES + " rules, got " + p.rules().size());
    }
    int first =
        p.match(METHOD, prefix + PATH)
            .flatMap(
                m ->
                    m.rule() == null
                        ? java.util.Optional.empty()
                        : java.util.Optional.of(p.rules().indexOf(m.rule())))
            .orElse(-1);
    if (first != RULES - 1) {
      throw new IllegalStateException(
          "the request matches rule #" + (first + 1) + ", not the last one");
    }
    return p;
  }

  /**
   * Any method a stub does not implement throws: if the filter (or the benchmark) ever leaves the
   * path the stubs were written for, the run fails instead of measuring something else.
   */
  private static <T> T unsupported(Class<T> type) {
    return type.cast(
        Proxy.newProxyInstance(
            FilterFixtures.class.getClassLoader(),
            new Class<?>[] {type},
            (proxy, method, args) -> {
              throw new UnsupportedOperationException(
                  type.getSimpleName() + "." + method.getName() + " is not stubbed");
            }));
  }

  /**
   * A REQUEST-dispatched HTTP request as a container presents it to a filter mapped on "/*" in the
   * root context with the servlet on "/*": context path "", servlet path "", path info = the URI.
   * Hand-written methods only (the wrapper's delegate throws for anything else); the attributes
   * live in a map, as in a container.
   */
  static final class Request extends HttpServletRequestWrapper {
    private final String method;
    private final String uri;
    private final List<String> authorization;
    private final Map<String, Object> attributes = new HashMap<>();

    Request(String method, String uri, String secret) {
      super(unsupported(HttpServletRequest.class));
      this.method = method;
      this.uri = uri;
      this.authorization = List.of("Bearer " + secret);
    }

    @Override
    public String getMethod() {
      return method;
    }

    @Override
    public String getRequestURI() {
      return uri;
    }

    @Override
    public String getContextPath() {
      return "";
    }

    @Override
    public String getServletPath() {
      return "";
    }

    @Override
    public String getPathInfo() {
      return uri;
    }

    @Override
    public String getQueryString() {
      return null;
    }

    @Override
    public String getContentType() {
      return null;
    }

    @Override
    public String getScheme() {
      return "http";
    }

    @Override
    public String getProtocol() {
      return "HTTP/1.1";
    }

    @Override
    public DispatcherType getDispatcherType() {
      return DispatcherType.REQUEST;
    }

    @Override
    public boolean isAsyncSupported() {
      return true;
    }

    @Override
    public Principal getUserPrincipal() {
      return null;
    }

    @Override
    public String getAuthType() {
      return null;
    }

    @Override
    public String getRemoteUser() {
      return null;
    }

    @Override
    public String getHeader(String name) {
      return "Authorization".equalsIgnoreCase(name) ? authorization.get(0) : null;
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
      return Collections.enumeration(
          "Authorization".equalsIgnoreCase(name) ? authorization : List.of());
    }

    @Override
    public Enumeration<String> getHeaderNames() {
      return Collections.enumeration(List.of("Authorization"));
    }

    @Override
    public Object getAttribute(String name) {
      return attributes.get(name);
    }

    @Override
    public Enumeration<String> getAttributeNames() {
      return Collections.enumeration(attributes.keySet());
    }

    @Override
    public void setAttribute(String name, Object value) {
      attributes.put(name, value);
    }

    @Override
    public void removeAttribute(String name) {
      attributes.remove(name);
    }
  }

  /** A response the permit path never touches; anything but headers and status throws. */
  static final class Response extends HttpServletResponseWrapper {
    private int status = 200;

    Response() {
      super(unsupported(HttpServletResponse.class));
    }

    @Override
    public void setStatus(int sc) {
      status = sc;
    }

    @Override
    public int getStatus() {
      return status;
    }

    @Override
    public void setHeader(String name, String value) {}

    @Override
    public void addHeader(String name, String value) {}

    @Override
    public boolean isCommitted() {
      return false;
    }
  }
}
