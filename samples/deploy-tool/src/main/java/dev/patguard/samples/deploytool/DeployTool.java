package dev.patguard.samples.deploytool;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.patguard.DeployGate;
import dev.patguard.PatGuard;
import dev.patguard.decision.Decision;
import dev.patguard.decision.Requirement;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Deploys a release — but first asks {@link DeployGate} whether the token may, so a pipeline fails
 * up front with the reason instead of with a 403 halfway through.
 *
 * <pre>{@code
 * PATGUARD_BRMS_URL=https://acme.us1.gorules.io PATGUARD_TOKEN=… \
 *   java -cp … dev.patguard.samples.deploytool.DeployTool web-shop <releaseId> <environmentId>
 * }</pre>
 *
 * Exit 0 deployed, 1 the gate denied (nothing deployed), 2 the gate could not decide (nothing
 * deployed; retry later), 3 BRMS refused the deploy after the gate permitted it, 64 usage.
 */
public final class DeployTool {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DeployTool() {}

  public static void main(String[] args) {
    System.exit(run(System.getenv(), args, System.out, System.err));
  }

  /** {@link #main} without {@code System.exit}, for tests and for embedding. */
  public static int run(Map<String, String> env, String[] args, PrintStream out, PrintStream err) {
    String brms = env.get("PATGUARD_BRMS_URL");
    String secret = env.get("PATGUARD_TOKEN");
    if (args.length != 3 || brms == null || brms.isBlank() || secret == null || secret.isEmpty()) {
      err.println(
          "usage: PATGUARD_BRMS_URL=… PATGUARD_TOKEN=… deploy-tool <project> <releaseId> <environmentId>");
      return 64;
    }
    String project = args[0];
    Requirement deploy;
    try {
      deploy = Requirement.parse("releases:deploy@" + project);
    } catch (IllegalArgumentException e) {
      err.println("deploy-tool: " + e.getMessage());
      return 64;
    }
    try (PatGuard guard = PatGuard.builder().baseUrl(brms).build()) {
      // 1. The gate: the same decision the servlet filter would make, before anything changes.
      DeployGate.GateResult gate = DeployGate.of(guard).check(secret, deploy);
      if (!gate.isPermit()) {
        err.println("deploy-tool: not deploying: " + gate.explanation());
        return gate.decision() instanceof Decision.Indeterminate ? 2 : 1;
      }
      out.println("deploy-tool: gate passed: " + gate.explanation());
      // 2. The deploy itself.
      return deploy(URI.create(brms), secret, project, args[1], args[2], out, err);
    }
  }

  private static int deploy(
      URI brms,
      String secret,
      String project,
      String releaseId,
      String environmentId,
      PrintStream out,
      PrintStream err) {
    ObjectNode body =
        JSON.createObjectNode()
            .put("releaseId", releaseId)
            .put("environmentId", environmentId)
            .put("comment", "deployed by deploy-tool");
    URI endpoint =
        brms.resolve(
            "/api/projects/"
                + URLEncoder.encode(project, StandardCharsets.UTF_8)
                + "/releases/deploy");
    HttpRequest request =
        HttpRequest.newBuilder(endpoint)
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + secret)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build();
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        err.println(
            "deploy-tool: BRMS refused the deploy with "
                + response.statusCode()
                + " although the gate permitted it (a change in BRMS since the check?)");
        return 3;
      }
      out.println(
          "deploy-tool: deployed release " + releaseId + " of " + project + " to " + environmentId);
      return 0;
    } catch (IOException e) {
      err.println("deploy-tool: the deploy call failed: " + e.getMessage());
      return 3;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("deploy-tool: interrupted");
      return 3;
    }
  }
}
