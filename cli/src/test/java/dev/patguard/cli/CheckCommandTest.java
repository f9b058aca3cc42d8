package dev.patguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.patguard.fakebrms.Endpoint;
import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.Fault;
import dev.patguard.fakebrms.MintedToken;
import dev.patguard.fakebrms.MutableClock;
import dev.patguard.token.SecretDigest;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code patguard check} through the real entry point against fake-brms. */
class CheckCommandTest {
  private final MutableClock clock = MutableClock.at("2026-11-29T12:00:00Z");
  private final CliHarness cli = new CliHarness(clock);
  private FakeBrms brms;
  private MintedToken deployer;
  private MintedToken manager;

  @BeforeEach
  void start() {
    brms = FakeBrms.builder().clock(clock).start();
    deployer =
        brms.mint(
            s ->
                s.note("ci deploy")
                    .permissions("releases:deploy")
                    .projects("web-shop")
                    .expiresIn(Duration.ofDays(30)));
    manager =
        brms.mint(
            s ->
                s.note("release manager")
                    .permissions("releases:manage")
                    .projects("web-shop", "docs-site"));
    cli.secret(deployer.secret());
    cli.secret(manager.secret());
    cli.env("PATGUARD_BRMS_URL", brms.baseUrl().toString());
  }

  @AfterEach
  void stop() {
    brms.close();
  }

  @Test
  void checkWhenPermittedThenExit0AndExplains() {
    cli.env("PATGUARD_TOKEN", deployer.secret());

    CliHarness.Result r = cli.run("check", "--require", "releases:deploy@web-shop");

    assertEquals(0, r.code(), r::toString);
    assertEquals(
        "PERMIT: token "
            + SecretDigest.fingerprintOf(deployer.secret())
            + " may releases:deploy on web-shop\n",
        r.stdout());
    assertEquals("", r.stderr());
  }

  @Test
  void checkWhenPermissionMissingThenExit1AndSaysWhatTheTokenHas() {
    cli.env("PATGUARD_TOKEN", manager.secret());

    CliHarness.Result r = cli.run("check", "--require", "releases:deploy@web-shop");

    assertEquals(1, r.code(), r::toString);
    assertEquals(
        "DENY: token "
            + SecretDigest.fingerprintOf(manager.secret())
            + " lacks releases:deploy on web-shop; it has releases:manage on web-shop, docs-site\n",
        r.stdout());
  }

  @Test
  void checkWhenBrmsAnswers503ThenExit2() {
    cli.env("PATGUARD_TOKEN", deployer.secret());
    brms.inject(Endpoint.SELF_LIST, Fault.status(503));

    CliHarness.Result r = cli.run("check", "--require", "releases:deploy@web-shop");

    assertEquals(2, r.code(), r::toString);
    assertTrue(r.stdout().startsWith("INDETERMINATE: could not decide for token "), r::toString);
    assertTrue(r.stdout().contains("BRMS_UNAVAILABLE"), r::toString);
  }

  @Test
  void checkWhenBrmsPortIsDeadThenExit2() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    cli.env("PATGUARD_TOKEN", deployer.secret());

    CliHarness.Result r =
        cli.run(
            "check",
            "--brms-url",
            "http://127.0.0.1:" + port,
            "--require",
            "releases:deploy@web-shop",
            "--format",
            "json");

    assertEquals(2, r.code(), r::toString);
    assertEquals("INDETERMINATE", r.json().get("decision").asText());
    assertEquals(2, r.json().get("exitCode").asInt());
  }

  @Test
  void checkWhenJsonThenDocumentedSchema() {
    cli.env("PATGUARD_TOKEN", manager.secret());

    CliHarness.Result r =
        cli.run(
            "check",
            "--require",
            "releases:deploy@web-shop",
            "--require",
            "releases:manage@docs-site",
            "--format",
            "json");

    assertEquals(1, r.code(), r::toString);
    JsonNode j = r.json();
    assertEquals(
        Set.of(
            "decision",
            "token",
            "requirements",
            "reasons",
            "warnings",
            "explanation",
            "summary",
            "outcome",
            "exitCode"),
        fields(j));
    assertEquals("DENY", j.get("outcome").asText());
    assertEquals("DENY", j.get("decision").asText());
    assertEquals(
        Set.of("fingerprint", "id", "ownerId", "ownerEmail", "note"), fields(j.get("token")));
    assertEquals(
        SecretDigest.fingerprintOf(manager.secret()), j.get("token").get("fingerprint").asText());
    assertEquals(manager.id().toString(), j.get("token").get("id").asText());
    assertEquals("releases:deploy@web-shop", j.get("requirements").get(0).asText());
    assertEquals("releases:manage@docs-site", j.get("requirements").get(1).asText());
    assertEquals("PERMISSION_MISSING", j.get("reasons").get(0).get("code").asText());
    assertEquals("releases:deploy", j.get("reasons").get(0).get("detail").asText());
    assertEquals(1, j.get("reasons").size());
    assertTrue(j.get("warnings").isArray());
    assertTrue(j.get("summary").asText().contains("lacks releases:deploy on web-shop"));
    assertEquals(1, j.get("exitCode").asInt());
  }

  @Test
  void checkWhenTokenOnStdinThenUsed() {
    CliHarness.Result r =
        cli.runWithStdin(
            deployer.secret() + "\n",
            "check",
            "--token-stdin",
            "--require",
            "releases:deploy@web-shop");

    assertEquals(0, r.code(), r::toString);
  }

  @Test
  void checkWhenTokenEnvNamedThenReadFromIt() {
    cli.env("DEPLOY_PAT", deployer.secret());

    assertEquals(
        0,
        cli.run("check", "--token-env", "DEPLOY_PAT", "--require", "releases:deploy@web-shop")
            .code());
  }

  @Test
  void checkWhenTokenVariableMissingThenExit64NamingIt() {
    CliHarness.Result r =
        cli.run("check", "--token-env", "DEPLOY_PAT", "--require", "releases:deploy@web-shop");

    assertEquals(64, r.code(), r::toString);
    assertEquals("", r.stdout());
    assertTrue(
        r.stderr().startsWith("patguard: error: environment variable DEPLOY_PAT is not set"),
        r::toString);
    assertEquals(1, r.stderr().lines().count(), r::toString);
  }

  @Test
  void checkWhenDefaultTokenVariableMissingThenNamesPatguardToken() {
    CliHarness.Result r = cli.run("check", "--require", "releases:deploy@web-shop");

    assertEquals(64, r.code(), r::toString);
    assertTrue(r.stderr().contains("PATGUARD_TOKEN"), r::toString);
  }

  @Test
  void checkWhenTokenGivenAsArgumentThenRefusedWithoutEchoingIt() {
    for (List<String> args :
        List.of(
            List.of("check", "--token", deployer.secret(), "--require", "releases:deploy@web-shop"),
            List.of(
                "check", "--token=" + deployer.secret(), "--require", "releases:deploy@web-shop"),
            List.of("check", "-t", deployer.secret(), "--require", "releases:deploy@web-shop"),
            List.of("check", "-t" + deployer.secret(), "--require", "releases:deploy@web-shop"))) {
      CliHarness.Result r = cli.run(args.toArray(String[]::new));

      assertEquals(64, r.code(), r::toString);
      assertTrue(r.stderr().contains("ps"), r::toString);
      assertTrue(r.stderr().contains("shell history"), r::toString);
      assertEquals(1, r.stderr().lines().count(), r::toString);
      assertEquals(0, brms.totalRequests(), "refused before any lookup");
    }
  }

  @Test
  void checkWhenUnknownOptionCarriesValueThenValueNotEchoed() {
    CliHarness.Result r =
        cli.run("check", "--tokn=" + deployer.secret(), "--require", "releases:deploy@web-shop");

    assertEquals(64, r.code(), r::toString);
    assertTrue(r.stderr().contains("'--tokn=…' (value not shown)"), r::toString);
  }

  @Test
  void checkWhenStraySecretArgumentThenNotEchoed() {
    cli.env("PATGUARD_TOKEN", deployer.secret());

    CliHarness.Result r =
        cli.run("check", deployer.secret(), "--require", "releases:deploy@web-shop");

    assertEquals(64, r.code(), r::toString);
  }

  @Test
  void checkWhenUsageErrorsThenExit64WithOneLine() {
    cli.env("PATGUARD_TOKEN", deployer.secret());
    for (List<String> args :
        List.<List<String>>of(
            List.of("check"),
            List.of("check", "--require", "releases:deploy@"),
            List.of("check", "--require", "x", "--format", "xml"),
            List.of("check", "--require", "x", "--max-lifetime", "ninety days"),
            List.of("check", "--require", "x", "--receipt", "r.jws"),
            List.of("check", "--require", "x", "--brms-url", "ftp://nope"),
            List.of("check", "--require", "x", "--token-stdin", "--token-env", "X"),
            List.of("nonsense"),
            List.of())) {
      CliHarness.Result r = cli.run(args.toArray(String[]::new));

      assertEquals(64, r.code(), r::toString);
      assertEquals(1, r.stderr().lines().count(), r::toString);
      assertTrue(r.stderr().startsWith("patguard: error: "), r::toString);
      assertFalse(r.stderr().contains("\tat "), r::toString);
    }
  }

  @Test
  void checkWhenNoBrmsUrlThenExit64NamingTheVariable() {
    CliHarness noUrl = new CliHarness(clock).env("PATGUARD_TOKEN", deployer.secret());

    CliHarness.Result r = noUrl.run("check", "--require", "releases:deploy@web-shop");

    assertEquals(64, r.code(), r::toString);
    assertTrue(r.stderr().contains("PATGUARD_BRMS_URL"), r::toString);
  }

  @Test
  void checkWhenLookupSlowerThanASecondThenProgressLine() {
    cli.env("PATGUARD_TOKEN", deployer.secret());
    brms.inject(Endpoint.SELF_LIST, Fault.latency(Duration.ofMillis(1500)), 1);

    CliHarness.Result r = cli.run("check", "--require", "releases:deploy@web-shop");

    assertEquals(0, r.code(), r::toString);
    assertTrue(r.stderr().contains("patguard: still waiting for BRMS (1 s)\u2026"), r::toString);
  }

  @Test
  void checkWhenLeastPrivilegeAndTokenHoldsMoreThenExit1() {
    MintedToken wide =
        brms.mint(s -> s.permissions("releases:deploy", "releases:delete").allProjects(true));
    cli.env("PATGUARD_TOKEN", cli.secret(wide.secret()));

    CliHarness.Result r =
        cli.run(
            "check",
            "--require",
            "releases:deploy@web-shop",
            "--least-privilege",
            "--max-lifetime",
            "P90D");

    assertEquals(1, r.code(), r::toString);
    assertTrue(r.stdout().startsWith("DENY (not least privilege): token "), r::toString);
    assertTrue(r.stdout().contains("least privilege: NO"), r::toString);
    assertTrue(r.stdout().contains("excess permissions: releases:delete"), r::toString);
    assertTrue(r.stdout().contains("excess project scope: allProjects is true"), r::toString);
  }

  @Test
  void checkWhenTokenExpiresInTheYear9999AndMaxLifetimeIsHugeThenDecidedNotAnInternalError() {
    MintedToken farFuture =
        brms.mint(
            s ->
                s.permissions("releases:deploy")
                    .projects("web-shop")
                    .expiresAt(java.time.Instant.parse("9999-12-31T23:59:59Z")));
    cli.env("PATGUARD_TOKEN", cli.secret(farFuture.secret()));

    CliHarness.Result within =
        cli.run(
            "check",
            "--require",
            "releases:deploy@web-shop",
            "--max-lifetime",
            "999999999d",
            "--format",
            "json");
    CliHarness.Result beyond =
        cli.run("check", "--require", "releases:deploy@web-shop", "--max-lifetime", "P90D");

    assertEquals(0, within.code(), within::toString);
    assertTrue(
        within.json().get("leastPrivilege").get("leastPrivilege").asBoolean(), within::toString);
    assertEquals(1, beyond.code(), beyond::toString);
    assertTrue(beyond.stdout().contains("9999-12-31T23:59:59Z"), beyond::toString);
  }

  @Test
  void checkWhenLeastPrivilegeAndTokenExactThenExit0() {
    cli.env("PATGUARD_TOKEN", deployer.secret());

    CliHarness.Result r =
        cli.run(
            "check",
            "--require",
            "releases:deploy@web-shop",
            "--max-lifetime",
            "P90D",
            "--format",
            "json");

    assertEquals(0, r.code(), r::toString);
    assertTrue(r.json().get("leastPrivilege").get("leastPrivilege").asBoolean(), r::toString);
  }

  @Test
  void helpAndVersionWhenAskedThenExit0OnStdout() {
    CliHarness.Result version = cli.run("--version");
    assertEquals(0, version.code(), version::toString);
    assertTrue(version.stdout().startsWith("patguard "), version::toString);

    for (String cmd : List.of("check", "explain", "verify-receipt", "keygen", "invalidate")) {
      CliHarness.Result help = cli.run(cmd, "--help");
      assertEquals(0, help.code(), help::toString);
      assertTrue(help.stdout().contains("Usage: patguard " + cmd), help::toString);
    }
    assertTrue(cli.run("--help").stdout().contains("Exit codes:"));
  }

  private static Set<String> fields(JsonNode node) {
    Set<String> names = new TreeSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
