package dev.patguard.samples.webapp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.patguard.servlet.PatGuardPrincipal;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The portal's own logic. By the time a request gets here the filter has permitted it, so the
 * servlet only does the work and says who asked — it never re-checks permissions itself.
 */
final class ReleasesServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern RELEASES = Pattern.compile("/api/projects/([^/]+)/releases");
  private static final Pattern DEPLOY = Pattern.compile("/api/projects/([^/]+)/releases/deploy");
  private static final Pattern UNDEPLOY =
      Pattern.compile("/api/projects/([^/]+)/environments/([^/]+)/undeploy");

  private final AtomicInteger deploys = new AtomicInteger();

  int deploys() {
    return deploys.get();
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
    String path = req.getRequestURI();
    ObjectNode body = JSON.createObjectNode();
    if (path.equals("/health")) {
      write(res, 200, body.put("status", "up"));
      return;
    }
    if (path.equals("/api/me")) {
      write(res, 200, caller(req, body));
      return;
    }
    Matcher releases = RELEASES.matcher(path);
    if (releases.matches()) {
      body.put("project", releases.group(1)).putArray("results");
      write(res, 200, caller(req, body));
      return;
    }
    write(res, 404, body.put("error", "not found"));
  }

  @Override
  protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
    String path = req.getRequestURI();
    ObjectNode body = JSON.createObjectNode();
    Matcher deploy = DEPLOY.matcher(path);
    if (deploy.matches()) {
      deploys.incrementAndGet();
      write(res, 202, caller(req, body.put("status", "deploying").put("project", deploy.group(1))));
      return;
    }
    Matcher undeploy = UNDEPLOY.matcher(path);
    if (undeploy.matches()) {
      write(
          res,
          202,
          caller(
              req,
              body.put("status", "undeploying")
                  .put("project", undeploy.group(1))
                  .put("environment", undeploy.group(2))));
      return;
    }
    write(res, 404, body.put("error", "not found"));
  }

  /** Adds the principal the filter put on the request: the token's fingerprint, id and owner. */
  private static ObjectNode caller(HttpServletRequest req, ObjectNode body) {
    Principal p = req.getUserPrincipal();
    if (p instanceof PatGuardPrincipal who) {
      body.putObject("caller")
          .put("token", who.getName())
          .put("tokenId", who.tokenId() == null ? null : who.tokenId().toString())
          .put("owner", who.ownerEmail());
    }
    return body;
  }

  private static void write(HttpServletResponse res, int status, ObjectNode body)
      throws IOException {
    res.setStatus(status);
    res.setContentType("application/json");
    res.setCharacterEncoding("UTF-8");
    JSON.writeValue(res.getWriter(), body);
  }
}
