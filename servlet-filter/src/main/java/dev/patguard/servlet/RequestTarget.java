package dev.patguard.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a request is checked for: its method and the path the container dispatches, in the context
 * and decoded, or why it is refused with a 400 for a path not in normal form (dot segments, {@code
 * //}, encoded separators, a context path or dispatch path that does not match the URI).
 *
 * @param method the request method
 * @param path the path to match (context path stripped, decoded); the raw URI when refused
 * @param problem why the path is refused, the detail of the 400 answer ({@code Refusals.badPath}),
 *     or null when the path may be matched
 */
record RequestTarget(String method, String path, @Nullable String problem) {

  /** The target of {@code req} in a dispatch of {@code type} (an include names its own path). */
  static RequestTarget of(HttpServletRequest req, DispatcherType type) {
    String method = req.getMethod();
    String raw;
    String contextPath;
    if (type == DispatcherType.INCLUDE) {
      raw = String.valueOf(req.getAttribute(RequestDispatcher.INCLUDE_REQUEST_URI));
      contextPath = String.valueOf(req.getAttribute(RequestDispatcher.INCLUDE_CONTEXT_PATH));
    } else {
      raw = req.getRequestURI();
      contextPath = req.getContextPath();
    }
    PathCheck.Result whole = PathCheck.check(raw);
    if (whole.refused()) {
      return refused(method, raw, whole.problem());
    }
    if (!raw.startsWith(contextPath)) {
      return refused(method, raw, "the path does not start with the context path");
    }
    String inContext = raw.substring(contextPath.length());
    // With the root context the in-context path is the URI just checked: reuse that result.
    String path =
        inContext.isEmpty()
            ? "/"
            : contextPath.isEmpty() ? whole.decoded() : PathCheck.check(inContext).decoded();
    if (path == null) {
      return refused(method, raw, "the path is not in normal form");
    }
    if (type != DispatcherType.INCLUDE) {
      if (!dispatchesTo(
          Objects.toString(req.getServletPath(), ""),
          Objects.toString(req.getPathInfo(), ""),
          path)) {
        return refused(
            method, raw, "the container would dispatch another path than the one requested");
      }
    }
    return new RequestTarget(method, path, null);
  }

  private static RequestTarget refused(String method, String raw, String why) {
    return new RequestTarget(method, raw, why);
  }

  /**
   * Whether the container dispatches {@code servletPath + pathInfo} to {@code path} (the empty
   * dispatch path being "/"), compared in place.
   */
  static boolean dispatchesTo(String servletPath, String pathInfo, String path) {
    int n = servletPath.length();
    if (n + pathInfo.length() == 0) {
      return path.isEmpty() || path.equals("/");
    }
    return path.length() == n + pathInfo.length()
        && path.startsWith(servletPath)
        && path.startsWith(pathInfo, n);
  }
}
