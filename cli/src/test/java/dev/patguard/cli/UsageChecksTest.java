package dev.patguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.FakeUser;
import dev.patguard.fakebrms.MintedToken;
import dev.patguard.fakebrms.MutableClock;
import dev.patguard.token.SecretDigest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Issue 13, items 7 and 8: typos in {@code --require} are usage errors, not denies; help, {@code
 * ms} durations, receipt files checked before BRMS, explain's findings once, the least-privilege
 * first line, the moved demo. All through the real entry point against fake-brms.
 */
class UsageChecksTest {
  private static final String ERROR = "patguard: error: ";

  private final MutableClock clock = MutableClock.at("2026-11-29T12:00:00Z");
  private final CliHarness cli = new CliHarness(clock);
  @TempDir Path dir;
  private FakeBrms brms;
  private MintedToken deployer;

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
    cli.env("PATGUARD_BRMS_URL", brms.baseUrl().toString());
    cli.env("PATGUARD_TOKEN", cli.secret(deployer.secret()));
  }

  @AfterEach
  void stop() {
    brms.close();
  }

  private static String firstLine(String text) {
    return text.lines().findFirst().orElse("");
  }

  private static void assertOneUsageLine(CliHarness.Result r, String line) {
    assertEquals(64, r.code(), r::toString);
    assertEquals(line + "\n", r.stderr(), r::toString);
    assertEquals("", r.stdout(), r::toString);
  }

  @Test
  void checkWhenPermissionMisspeltThenExit64SuggestingTheKnownOneBeforeAnyLookup() {
    CliHarness.Result r = cli.run("check", "--require", "releses:deploy@web-shop");

    assertOneUsageLine(
        r,
        ERROR
            + "unknown permission \"releses:deploy\" in --require releses:deploy@web-shop; did you"
            + " mean releases:deploy? (--allow-unknown-permission if it is deliberate)");
    assertEquals(0, brms.totalRequests());
  }

  @Test
  void checkWhenPermissionInWrongCaseThenSuggestsTheLowerCaseName() {
    CliHarness.Result r = cli.run("check", "--require", "RELEASES:DEPLOY@web-shop");

    assertOneUsageLine(
        r,
        ERROR
            + "unknown permission \"RELEASES:DEPLOY\" in --require RELEASES:DEPLOY@web-shop; did"
            + " you mean releases:deploy? (--allow-unknown-permission if it is deliberate)");
  }

  @Test
  void checkWhenPermissionFarFromAnyThenStillSuggestsTheClosest() {
    CliHarness.Result r = cli.run("check", "--require", "frobnicate@web-shop");

    assertEquals(64, r.code(), r::toString);
    assertEquals(1, r.stderr().lines().count(), r::toString);
    assertTrue(
        r.stderr()
            .startsWith(
                ERROR + "unknown permission \"frobnicate\" in --require frobnicate@web-shop; did"),
        r::toString);
  }

  @Test
  void checkWhenOneOfSeveralPermissionsMisspeltThenNamesIt() {
    CliHarness.Result r = cli.run("check", "--require", "releases:deploy,releases:delte@web-shop");

    assertEquals(64, r.code(), r::toString);
    assertTrue(
        r.stderr()
            .startsWith(
                ERROR
                    + "unknown permission \"releases:delte\" in --require"
                    + " releases:deploy,releases:delte@web-shop; did you mean releases:delete"),
        r::toString);
  }

  @Test
  void checkWhenUnknownPermissionAllowedThenDecidedAsADeny() {
    CliHarness.Result r =
        cli.run("check", "--require", "releses:deploy@web-shop", "--allow-unknown-permission");

    assertEquals(1, r.code(), r::toString);
    assertTrue(r.stdout().startsWith("DENY: "), r::toString);
  }

  @Test
  void checkWhenProjectUnknownThenStillADeny() {
    CliHarness.Result r = cli.run("check", "--require", "releases:deploy@no-such-project");

    assertEquals(1, r.code(), r::toString);
    assertTrue(r.stdout().startsWith("DENY: "), r::toString);
  }

  @Test
  void checkWhenAuthenticatedOnlyThenValidAndPermitted() {
    CliHarness.Result r = cli.run("check", "--require", "authenticated");

    assertEquals(0, r.code(), r::toString);
    assertTrue(r.stdout().startsWith("PERMIT: "), r::toString);
  }

  @Test
  void explainWhenPermissionMisspeltThenExit64Too() {
    CliHarness.Result r = cli.run("explain", "--require", "releses:deploy@web-shop");

    assertOneUsageLine(
        r,
        ERROR
            + "unknown permission \"releses:deploy\" in --require releses:deploy@web-shop; did you"
            + " mean releases:deploy? (--allow-unknown-permission if it is deliberate)");
    assertEquals(0, brms.totalRequests());
  }

  @Test
  void explainWhenUnknownPermissionAllowedThenReviewed() {
    CliHarness.Result r =
        cli.run("explain", "--require", "releses:deploy@web-shop", "--allow-unknown-permission");

    assertEquals(1, r.code(), r::toString);
    assertTrue(r.stdout().contains("missing permissions: releses:deploy"), r::toString);
  }

  @Test
  void explainWhenExcessThenEachFindingListedOnce() {
    MintedToken wide =
        brms.mint(s -> s.permissions("releases:deploy", "releases:delete").projects("web-shop"));
    cli.env("PATGUARD_TOKEN", cli.secret(wide.secret()));

    CliHarness.Result r = cli.run("explain", "--require", "releases:deploy@web-shop");

    assertEquals(1, r.code(), r::toString);
    List<String> findings = r.stdout().lines().filter(l -> l.contains("excess")).toList();
    assertEquals(List.of("  - excess permissions: releases:delete"), findings, r::toString);
  }

  @Test
  void checkWhenNotLeastPrivilegeThenFirstLineSaysDenyLikeTheExitCode() {
    MintedToken wide =
        brms.mint(s -> s.permissions("releases:deploy", "releases:delete").projects("web-shop"));
    cli.env("PATGUARD_TOKEN", cli.secret(wide.secret()));

    CliHarness.Result text =
        cli.run("check", "--require", "releases:deploy@web-shop", "--least-privilege");
    CliHarness.Result json =
        cli.run(
            "check",
            "--require",
            "releases:deploy@web-shop",
            "--least-privilege",
            "--format",
            "json");

    assertEquals(1, text.code(), text::toString);
    assertEquals(
        "DENY (not least privilege): token "
            + SecretDigest.fingerprintOf(wide.secret())
            + " may releases:deploy on web-shop",
        firstLine(text.stdout()));
    assertEquals(1, json.code(), json::toString);
    assertEquals("DENY (not least privilege)", json.json().get("outcome").asText());
    assertEquals("PERMIT", json.json().get("decision").asText());
    assertEquals(1, json.json().get("exitCode").asInt());
  }

  @Test
  void checkWhenLeastPrivilegeThenFirstLineStillPermit() {
    CliHarness.Result r =
        cli.run("check", "--require", "releases:deploy@web-shop", "--least-privilege");

    assertEquals(0, r.code(), r::toString);
    assertTrue(firstLine(r.stdout()).startsWith("PERMIT: token "), r::toString);
  }

  @Test
  void demoWhenAskedThenSaysWhereItMoved() {
    assertOneUsageLine(
        cli.run("demo"), ERROR + "the demo moved: java -jar demo/target/patguard-demo.jar");
    assertOneUsageLine(
        cli.run("demo", "--port", "8080"),
        ERROR + "the demo moved: java -jar demo/target/patguard-demo.jar");
  }

  @Test
  void helpCommandWhenGivenACommandThenPrintsItsHelp() {
    CliHarness.Result root = cli.run("help");
    assertEquals(0, root.code(), root::toString);
    assertTrue(root.stdout().startsWith("Usage: patguard "), root::toString);
    assertTrue(root.stdout().contains("  help "), root::toString);

    for (String cmd : List.of("check", "explain", "verify-receipt", "keygen", "invalidate")) {
      CliHarness.Result help = cli.run("help", cmd);
      assertEquals(0, help.code(), help::toString);
      assertTrue(help.stdout().startsWith("Usage: patguard " + cmd), help::toString);
      assertEquals("", help.stderr(), help::toString);
    }
  }

  @Test
  void helpWhenPrintedThenEveryDescriptionLineIsWholeSentences() {
    CommandLine root = PatGuardCli.commandLine(CliEnvironment.builder().build());
    List<CommandSpec> specs = new ArrayList<>();
    specs.add(root.getCommandSpec());
    for (Map.Entry<String, CommandLine> e : root.getSubcommands().entrySet()) {
      if (!e.getKey().equals("help")) {
        specs.add(e.getValue().getCommandSpec());
      }
    }
    for (CommandSpec spec : specs) {
      for (String line : spec.usageMessage().description()) {
        assertTrue(
            line.endsWith(".") || line.endsWith(".)"),
            () -> spec.qualifiedName() + ": description line cut mid-sentence: " + line);
      }
      for (OptionSpec o : spec.options()) {
        for (String line : o.description()) {
          assertTrue(
              line.endsWith(".") || line.endsWith(".)"),
              () -> spec.qualifiedName() + " " + o.longestName() + ": cut mid-sentence: " + line);
        }
      }
    }
  }

  @Test
  void checkWhenTimeoutInMillisecondsThenAccepted() {
    CliHarness.Result r =
        cli.run("check", "--require", "releases:deploy@web-shop", "--timeout", "1500ms");

    assertEquals(0, r.code(), r::toString);
  }

  @Test
  void checkWhenDurationHasNoUnitThenExit64NamingMs() {
    CliHarness.Result r =
        cli.run("check", "--require", "releases:deploy@web-shop", "--timeout", "500");

    assertEquals(64, r.code(), r::toString);
    assertTrue(r.stderr().contains("500ms"), r::toString);
  }

  @Test
  void checkWhenReceiptDirectoryMissingThenExit64BeforeAnyLookup() {
    Path key = dir.resolve("k.jwk");
    assertEquals(0, cli.run("keygen", "--out", key.toString()).code());
    Path receipt = dir.resolve("no-such-dir").resolve("r.jws");

    CliHarness.Result r =
        cli.run(
            "check",
            "--require",
            "releases:deploy@web-shop",
            "--receipt",
            receipt.toString(),
            "--signing-key",
            key.toString());

    assertOneUsageLine(
        r,
        ERROR
            + "cannot write the receipt to "
            + receipt
            + ": directory "
            + receipt.getParent()
            + " does not exist");
    assertEquals(0, brms.totalRequests());
  }

  @Test
  void checkWhenReceiptIsADirectoryThenExit64BeforeAnyLookup() {
    Path key = dir.resolve("k.jwk");
    assertEquals(0, cli.run("keygen", "--out", key.toString()).code());

    CliHarness.Result r =
        cli.run(
            "check",
            "--require",
            "releases:deploy@web-shop",
            "--receipt",
            dir.toString(),
            "--signing-key",
            key.toString());

    assertOneUsageLine(r, ERROR + "cannot write the receipt to " + dir + ": it is a directory");
    assertEquals(0, brms.totalRequests());
  }

  @Test
  void checkWhenSigningKeyMissingThenOneLineWithoutExceptionName() {
    Path key = dir.resolve("missing.jwk");

    CliHarness.Result r =
        cli.run(
            "check",
            "--require",
            "releases:deploy@web-shop",
            "--receipt",
            dir.resolve("r.jws").toString(),
            "--signing-key",
            key.toString());

    assertOneUsageLine(r, ERROR + "cannot read the signing key " + key + ": no such file");
    assertFalse(r.stderr().contains("Exception"), r::toString);
    assertEquals(0, brms.totalRequests());
  }

  @Test
  void checkWhenSigningKeyNotAJwkThenExit64BeforeAnyLookup() throws IOException {
    Path key = Files.writeString(dir.resolve("bad.jwk"), "not json");

    CliHarness.Result r =
        cli.run(
            "check",
            "--require",
            "releases:deploy@web-shop",
            "--receipt",
            dir.resolve("r.jws").toString(),
            "--signing-key",
            key.toString());

    assertEquals(64, r.code(), r::toString);
    assertEquals(1, r.stderr().lines().count(), r::toString);
    assertTrue(r.stderr().startsWith(ERROR + "receipt key file " + key + ": "), r::toString);
    assertFalse(r.stderr().contains("\tat "), r::toString);
    assertEquals(0, brms.totalRequests());
    assertFalse(Files.exists(dir.resolve("r.jws")));
  }

  @Test
  void checkWhenPermitButReviewImpossibleThenFirstLineSaysIndeterminateLikeExit2() {
    FakeUser svc = brms.createUser(u -> u.email("ci@acme.test").serviceAccount());
    MintedToken one =
        brms.mint(s -> s.owner(svc).permissions("releases:deploy").projects("web-shop"));
    brms.mint(
        s -> s.owner(svc).permissions("releases:deploy", "releases:delete").projects("web-shop"));
    cli.env("ONE", cli.secret(one.secret()));

    CliHarness.Result r =
        cli.run(
            "check",
            "--token-env",
            "ONE",
            "--require",
            "releases:deploy@web-shop",
            "--least-privilege");

    assertEquals(2, r.code(), r::toString);
    assertTrue(
        firstLine(r.stdout()).startsWith("INDETERMINATE (least privilege not reviewed): "),
        r::toString);
  }

  @Test
  void noOutputWhenUsageErrorsOrHelpThenContainsTheSecret() {
    // CliHarness fails any run whose stdout or stderr holds a registered secret; these are the
    // new paths, each run with the token in the environment (and once on stdin).
    String secret = deployer.secret();
    List<List<String>> runs =
        List.of(
            List.of("check", "--require", "releses:deploy@web-shop"),
            List.of("check", "--require", secret + "@web-shop"),
            List.of("check", "--require", "releases:deploy@web-shop", "--allow-unknown-permission"),
            List.of("explain", "--require", "RELEASES:DEPLOY"),
            List.of("check", "--require", "releases:deploy@web-shop", "--timeout", "500ms"),
            List.of(
                "check",
                "--require",
                "releases:deploy@web-shop",
                "--receipt",
                dir.resolve("x").resolve("r.jws").toString(),
                "--signing-key",
                dir.resolve("k.jwk").toString()),
            List.of("demo"),
            List.of("help", "check"),
            List.of("help"));
    for (List<String> args : runs) {
      cli.run(args.toArray(String[]::new));
    }
    CliHarness.Result stdin =
        cli.runWithStdin(secret + "\n", "check", "--token-stdin", "--require", "releses:deploy");
    assertEquals(64, stdin.code(), stdin::toString);
  }

  @Test
  void checkWhenSecretPastedIntoRequireThenUsageErrorWithoutEchoingIt() {
    String secret = deployer.secret();

    CliHarness.Result r =
        cli.run("check", "--require", "releases:deploy@web-shop", "--require", secret);

    assertOneUsageLine(
        r,
        ERROR
            + "--require #2 names an unknown permission that is not shown: it looks like a secret,"
            + " not a permission name such as releases:deploy (an unknown permission must be"
            + " letters, '-', '_' and at most one ':')");
    assertEquals(0, brms.totalRequests());
  }

  @Test
  void checkWhenSecretPastedIntoRequireWithAllowUnknownThenStillRefusedWithoutEchoingIt() {
    String secret = deployer.secret();

    CliHarness.Result r =
        cli.run("check", "--require", secret, "--allow-unknown-permission", "--format", "json");

    assertEquals(64, r.code(), r::toString);
    assertFalse(
        r.stdout().contains(secret) || r.stderr().contains(secret), "the secret was printed");
    assertEquals(0, brms.totalRequests());
  }
}
