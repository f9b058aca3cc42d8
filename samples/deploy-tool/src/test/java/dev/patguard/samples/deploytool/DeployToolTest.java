package dev.patguard.samples.deploytool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patguard.fakebrms.Endpoint;
import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.Fault;
import dev.patguard.fakebrms.MintedToken;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeployToolTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private FakeBrms brms;

  @BeforeEach
  void start() {
    brms = FakeBrms.start();
  }

  @AfterEach
  void stop() {
    brms.close();
  }

  private int run(MintedToken token, String project) {
    int code =
        DeployTool.run(
            Map.of(
                "PATGUARD_BRMS_URL", brms.baseUrl().toString(), "PATGUARD_TOKEN", token.secret()),
            new String[] {project, "r-42", "prod"},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String printed = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    assertFalse(printed.contains(token.secret()), printed);
    return code;
  }

  @Test
  void runWhenTokenMayDeployThenGatePassesAndReleaseIsDeployed() {
    MintedToken t = brms.mint(s -> s.permissions("releases:deploy").projects("web-shop"));
    assertEquals(0, run(t, "web-shop"), err.toString(StandardCharsets.UTF_8));
    assertEquals(1, brms.deployments().size());
    assertEquals("r-42", brms.deployments().get(0).releaseId());
  }

  @Test
  void runWhenTokenLacksThePermissionThenNothingIsDeployedAndTheReasonIsGiven() {
    MintedToken t =
        brms.mint(s -> s.permissions("releases:manage").projects("web-shop", "docs-site"));
    assertEquals(1, run(t, "web-shop"));
    assertEquals(0, brms.requestCount(Endpoint.DEPLOY), "the deploy endpoint was never called");
    String message = err.toString(StandardCharsets.UTF_8);
    assertTrue(
        message.contains("lacks releases:deploy on web-shop; it has releases:manage on"), message);
  }

  @Test
  void runWhenBrmsIsDownThenNothingIsDeployedAndExitTwo() {
    MintedToken t = brms.mint(s -> s.permissions("releases:deploy").projects("web-shop"));
    brms.inject(Endpoint.SELF_LIST, Fault.status(503));
    assertEquals(2, run(t, "web-shop"));
    assertEquals(0, brms.requestCount(Endpoint.DEPLOY));
  }

  @Test
  void runWhenArgumentsMissingThenUsage() {
    assertEquals(
        64, DeployTool.run(Map.of(), new String[0], new PrintStream(out), new PrintStream(err)));
  }
}
