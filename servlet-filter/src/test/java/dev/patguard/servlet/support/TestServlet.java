package dev.patguard.servlet.support;

import dev.patguard.decision.ProjectRef;
import dev.patguard.servlet.PatGuardFilter;
import dev.patguard.servlet.PatGuardPrincipal;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.Objects;

/**
 * The guarded app: answers 200 with what it saw ({@code principal=…, dispatch=…, decision=…,
 * project=…, principalProject=…}, the last two the filter's project attribute and the principal's
 * project); under {@code /public/forward?to=PATH} it forwards to PATH instead, under {@code
 * /public/include?to=PATH} it includes PATH, and under {@code /public/error?status=N} it sends
 * error N (so the container dispatches to its error page). On any path, {@code ?async-to=PATH}
 * makes it start async and {@code AsyncContext.dispatch(PATH)}, once per request.
 */
public final class TestServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  /**
   * Set on a request this servlet already dispatched asynchronously (parameters survive the
   * dispatch).
   */
  private static final String ASYNC_DISPATCHED = TestServlet.class.getName() + ".async-dispatched";

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse res)
      throws ServletException, IOException {
    boolean included = req.getDispatcherType() == DispatcherType.INCLUDE;
    String path =
        included
            ? req.getAttribute(RequestDispatcher.INCLUDE_SERVLET_PATH)
                + Objects.toString(req.getAttribute(RequestDispatcher.INCLUDE_PATH_INFO), "")
            : req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
    if (path.equals("/public/forward") && req.getParameter("to") != null) {
      req.getRequestDispatcher(req.getParameter("to")).forward(req, res);
      return;
    }
    if (path.equals("/public/include") && !included && req.getParameter("to") != null) {
      req.getRequestDispatcher(req.getParameter("to")).include(req, res);
      return;
    }
    String asyncTo = req.getParameter("async-to");
    if (asyncTo != null && !included && req.getAttribute(ASYNC_DISPATCHED) == null) {
      req.setAttribute(ASYNC_DISPATCHED, Boolean.TRUE);
      req.startAsync().dispatch(asyncTo);
      return;
    }
    if (path.equals("/public/error") && req.getParameter("status") != null) {
      res.sendError(Integer.parseInt(req.getParameter("status")));
      return;
    }
    Principal p = req.getUserPrincipal();
    Object decision = req.getAttribute(PatGuardFilter.DECISION_ATTRIBUTE);
    Object project = req.getAttribute(PatGuardFilter.PROJECT_ATTRIBUTE);
    res.setStatus(200);
    res.setContentType("text/plain");
    res.getWriter()
        .write(
            "ok path="
                + path
                + " principal="
                + (p == null ? "none" : p.getName())
                + " email="
                + (p instanceof PatGuardPrincipal gp ? gp.ownerEmail() : "none")
                + " dispatch="
                + req.getDispatcherType()
                + " decision="
                + (decision instanceof dev.patguard.decision.Decision d
                    ? d.getClass().getSimpleName()
                    : "none")
                + " project="
                + (project instanceof ProjectRef ref ? ref : "none")
                + " principalProject="
                + (p instanceof PatGuardPrincipal gp
                    ? gp.project().map(ProjectRef::toString).orElse("none")
                    : "none"));
  }
}
