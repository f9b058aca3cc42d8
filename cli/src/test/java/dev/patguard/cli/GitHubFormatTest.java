package dev.patguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patguard.fakebrms.Endpoint;
import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.FakeUser;
import dev.patguard.fakebrms.Fault;
import dev.patguard.fakebrms.MintedToken;
import dev.patguard.fakebrms.MutableClock;
import dev.patguard.token.SecretDigest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --format github} through the real entry point against fake-brms: workflow-command
 * annotations on stdout, the Markdown job summary appended to {@code $GITHUB_STEP_SUMMARY}, and no
 * secret in either.
 */
class GitHubFormatTest {
  private static final String DEPLOY = "releases:deploy@web-shop";
  private static final String WORKFLOW =
      "acme/web-shop/.github/workflows/deploy.yml@refs/heads/main";

  private final MutableClock clock = MutableClock.at("2026-11-29T12:00:00Z");
  private final CliHarness cli = new CliHarness(clock);
  @TempDir Path dir;
  private Path summary;
  private FakeBrms brms;
  private FakeUser svc;
  private MintedToken admin;
  private final List<String> secrets = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    brms = FakeBrms.builder().clock(clock).start();
    FakeUser a = brms.createUser(u -> u.email("admin@acme.test").admin());
    admin = brms.mint(s -> s.owner(a).permissions("owner").allProjects(true));
    svc = brms.createUser(u -> u.email("ci@acme.test").serviceAccount());
    summary = dir.resolve("step_summary.md");
    // The runner creates the file; earlier steps may have written to it already.
    Files.writeString(summary, "## earlier step\n\n");
    cli.env("PATGUARD_BRMS_URL", brms.baseUrl().toString());
    cli.env("BRMS_ADMIN_TOKEN", cli.secret(admin.secret()));
    secrets.add(admin.secret());
    cli.env("GITHUB_STEP_SUMMARY", summary.toString());
    cli.env("GITHUB_WORKFLOW_REF", WORKFLOW);
  }

  @AfterEach
  void stop() {
    brms.close();
  }

  private String use(MintedToken t) {
    cli.env("PATGUARD_TOKEN", cli.secret(t.secret()));
    secrets.add(t.secret());
    return SecretDigest.fingerprintOf(t.secret());
  }

  private String summaryText() throws IOException {
    String text = Files.readString(summary, StandardCharsets.UTF_8);
    for (String secret : secrets) {
      assertFalse(text.contains(secret), () -> "a secret in the job summary:\n" + text);
    }
    return text;
  }

  /** What the runner would turn into annotations: the lines that are workflow commands. */
  private static List<String> annotations(CliHarness.Result r) {
    return r.stdout().lines().filter(l -> l.startsWith("::")).toList();
  }

  @Test
  void checkWhenDeniedThenErrorAnnotationsOnTheWorkflowFileAndASummaryTable() throws IOException {
    MintedToken manager =
        brms.mint(
            s -> s.owner(svc).permissions("releases:manage").projects("web-shop", "docs-site"));
    String fp = use(manager);

    CliHarness.Result r =
        cli.run(
            "check",
            "--require",
            DEPLOY,
            "--require",
            "releases:manage@docs-site",
            "--format",
            "github");

    assertEquals(1, r.code(), r::toString);
    assertTrue(r.stdout().startsWith("DENY: token " + fp + " lacks releases:deploy"), r::toString);
    assertEquals(
        List.of(
            "::error file=.github/workflows/deploy.yml,line=1,title=patguard/missing-permission::"
                + "token "
                + fp
                + " lacks releases:deploy, which releases:deploy@web-shop,"
                + " releases:manage@docs-site needs"),
        annotations(r));
    String md = summaryText();
    assertTrue(md.startsWith("## earlier step\n\n### patguard check: DENY\n"), md);
    assertTrue(md.contains("token " + fp + " · exit 1"), md);
    assertTrue(md.contains("| requirement | outcome | reason |\n|---|---|---|\n"), md);
    assertTrue(
        md.contains("| `releases:deploy@web-shop` | DENY | PERMISSION\\_MISSING releases:deploy |"),
        md);
    assertTrue(md.contains("| `releases:manage@docs-site` | PERMIT | — |"), md);
    assertFalse(md.contains(manager.id().toString()), "the token by fingerprint only");
    assertFalse(md.contains("ci@acme.test"), "the token by fingerprint only");
  }

  @Test
  void checkWhenPermitThenNoAnnotationAndAPermitRow() throws IOException {
    String fp =
        use(
            brms.mint(
                s ->
                    s.owner(svc)
                        .permissions("releases:deploy")
                        .projects("web-shop")
                        .expiresIn(Duration.ofDays(30))));

    CliHarness.Result r = cli.run("check", "--require", DEPLOY, "--format", "github");

    assertEquals(0, r.code(), r::toString);
    assertEquals(
        "PERMIT: token " + fp + " may releases:deploy on web-shop\n", r.stdout(), r::toString);
    assertTrue(summaryText().contains("| `releases:deploy@web-shop` | PERMIT | — |"));
  }

  @Test
  void checkWhenExpiresSoonOrLeastPrivilegeFindingsThenWarningsAndErrors() throws IOException {
    use(
        brms.mint(
            s ->
                s.owner(svc)
                    .permissions("releases:deploy", "releases:delete")
                    .projects("web-shop")
                    .expiresIn(Duration.ofDays(2))));

    CliHarness.Result r =
        cli.run(
            "check",
            "--require",
            DEPLOY,
            "--least-privilege",
            "--format",
            "github",
            "--sarif-artifact",
            "ci/deploy, prod: eu.yml");

    assertEquals(1, r.code(), r::toString);
    List<String> a = annotations(r);
    assertEquals(2, a.size(), r::toString);
    String file = "file=ci/deploy%2C prod%3A eu.yml,line=1";
    assertTrue(
        a.get(0).startsWith("::warning " + file + ",title=patguard/expires-soon::token "),
        a::toString);
    assertTrue(
        a.get(1).startsWith("::error " + file + ",title=patguard/excess-permission::token "),
        a::toString);
    assertTrue(r.stdout().startsWith("DENY (not least privilege): "), r::toString);
    String md = summaryText();
    assertTrue(md.contains("### patguard check: DENY (not least privilege)"), md);
    assertTrue(
        md.contains(
            "| `releases:deploy@web-shop` | PERMIT | EXPIRES\\_SOON 2026-12-01T12:00:00Z |"),
        md);
    assertTrue(md.contains("- **error** `patguard/excess-permission`: "), md);
  }

  @Test
  void checkWhenIndeterminateThenErrorAnnotationAndIndeterminateRows() throws IOException {
    use(brms.mint(s -> s.owner(svc).permissions("releases:deploy").projects("web-shop")));
    brms.inject(Endpoint.SELF_LIST, Fault.status(503));

    CliHarness.Result r =
        cli.run(
            "check",
            "--require",
            DEPLOY,
            "--require",
            "a|b@x",
            "--allow-unknown-permission",
            "--format",
            "github");

    assertEquals(2, r.code(), r::toString);
    List<String> a = annotations(r);
    assertEquals(1, a.size(), r::toString);
    assertTrue(
        a.get(0)
            .startsWith(
                "::error file=.github/workflows/deploy.yml,line=1,title=patguard/indeterminate::could not decide"),
        a::toString);
    String md = summaryText();
    assertTrue(md.contains("### patguard check: INDETERMINATE"), md);
    assertTrue(
        md.contains("| `releases:deploy@web-shop` | INDETERMINATE | BRMS\\_UNAVAILABLE ("), md);
    assertTrue(md.contains("| `a\\|b@x` | INDETERMINATE |"), md);
  }

  @Test
  void explainWhenFindingsOrFailureThenAnnotationsAndSummary() throws IOException {
    MintedToken wide =
        brms.mint(
            s ->
                s.owner(svc)
                    .permissions("releases:deploy", "releases:delete")
                    .allProjects(true)
                    .neverExpires());
    String fp = use(wide);

    CliHarness.Result r =
        cli.run("explain", "--require", DEPLOY, "--max-lifetime", "90d", "--format", "github");

    assertEquals(1, r.code(), r::toString);
    assertTrue(r.stdout().startsWith("token " + fp), r::toString);
    List<String> a = annotations(r);
    assertEquals(3, a.size(), r::toString);
    assertTrue(a.get(2).startsWith("::warning "), a::toString);
    assertTrue(summaryText().contains("### patguard explain: NOT least privilege"));

    cli.env("PATGUARD_TOKEN", cli.secret("pat_no-such-token-for-github-format"));
    secrets.add("pat_no-such-token-for-github-format");
    CliHarness.Result rejected = cli.run("explain", "--require", DEPLOY, "--format", "github");
    assertEquals(1, rejected.code(), rejected::toString);
    assertTrue(
        annotations(rejected).get(0).contains("title=patguard/token-invalid::"),
        rejected::toString);
    assertTrue(rejected.stderr().startsWith("patguard: error: token "), rejected::toString);
    String md = summaryText();
    assertTrue(md.contains("### patguard explain: token rejected or not found"), md);
    assertTrue(md.contains("| `releases:deploy@web-shop` | DENY | TOKEN\\_INVALID |"), md);
  }

  @Test
  void summaryWhenVariableUnsetThenOnlyStdoutAndWhenUnwritableThenANoteKeepsTheExitCode()
      throws IOException {
    MintedToken t =
        brms.mint(s -> s.owner(svc).permissions("releases:deploy").projects("web-shop"));
    use(t);
    CliHarness noSummary =
        new CliHarness(clock)
            .env("PATGUARD_BRMS_URL", brms.baseUrl().toString())
            .env("PATGUARD_TOKEN", t.secret());
    noSummary.secret(t.secret());
    noSummary.secret(admin.secret());
    CliHarness.Result r = noSummary.run("check", "--require", DEPLOY, "--format", "github");
    assertEquals(0, r.code(), r::toString);
    assertEquals("## earlier step\n\n", summaryText(), "not written without the variable");

    cli.env("GITHUB_STEP_SUMMARY", dir.resolve("no-such-dir/summary.md").toString());
    CliHarness.Result unwritable = cli.run("check", "--require", DEPLOY, "--format", "github");
    assertEquals(0, unwritable.code(), unwritable::toString);
    assertTrue(
        unwritable.stderr().startsWith("patguard: cannot append the job summary"),
        unwritable::toString);
  }

  @Test
  void checkWhenSarifFileBesideGithubThenOneLookupForAnnotationsSummaryAndAnUploadableLog()
      throws IOException {
    String fp =
        use(brms.mint(s -> s.owner(svc).permissions("releases:manage").projects("web-shop")));
    Path sarif = dir.resolve("patguard.sarif");
    brms.resetCounters();

    CliHarness.Result r =
        cli.run(
            "check", "--require", DEPLOY, "--format", "github", "--sarif-file", sarif.toString());

    assertEquals(1, r.code(), r::toString);
    assertEquals(1, brms.totalRequests(), "annotations and SARIF from the same decision");
    assertTrue(r.stdout().startsWith("DENY: token " + fp), r::toString);
    assertEquals(1, annotations(r).size(), r::toString);
    assertTrue(summaryText().contains("### patguard check: DENY"));
    String log = Files.readString(sarif, StandardCharsets.UTF_8);
    SarifSchema.assertUploadable(log);
    assertTrue(log.contains("\"ruleId\" : \"patguard/missing-permission\""), log);
    assertTrue(log.contains("\"uri\" : \".github/workflows/deploy.yml\""), log);
    for (String secret : secrets) {
      assertFalse(log.contains(secret), "a secret in the SARIF file");
    }
  }

  @Test
  void checkWhenSarifFileDirectoryMissingThenUsageErrorBeforeAnyLookup() {
    use(brms.mint(s -> s.owner(svc).permissions("releases:deploy").projects("web-shop")));
    brms.resetCounters();

    CliHarness.Result r =
        cli.run(
            "check",
            "--require",
            DEPLOY,
            "--sarif-file",
            dir.resolve("no-such-dir/patguard.sarif").toString());

    assertEquals(64, r.code(), r::toString);
    assertTrue(r.stderr().contains("cannot write the SARIF log to "), r::toString);
    assertEquals(0, brms.totalRequests());
  }

  @Test
  void checkWhenCodequalityFileThenGitLabIssuesWithSeveritiesAndTheSarifFingerprints()
      throws IOException {
    use(
        brms.mint(
            s ->
                s.owner(svc)
                    .permissions("releases:deploy", "releases:delete")
                    .projects("web-shop")
                    .neverExpires()));
    Path quality = dir.resolve("gl-code-quality-report.json");
    Path sarif = dir.resolve("patguard.sarif");

    CliHarness.Result r =
        cli.run(
            "check",
            "--require",
            DEPLOY,
            "--least-privilege",
            "--codequality-file",
            quality.toString(),
            "--sarif-file",
            sarif.toString());

    assertEquals(1, r.code(), r::toString);
    assertTrue(r.stdout().startsWith("DENY (not least privilege): "), r::toString);
    com.fasterxml.jackson.databind.JsonNode issues =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(quality.toFile());
    List<String> checks = new ArrayList<>();
    issues.forEach(
        i -> checks.add(i.get("check_name").asText() + " " + i.get("severity").asText()));
    assertEquals(
        List.of("patguard/excess-permission critical", "patguard/never-expires minor"), checks);
    String log = Files.readString(sarif, StandardCharsets.UTF_8);
    issues.forEach(
        i ->
            assertTrue(
                log.contains("\"primaryLocationLineHash\" : \"" + i.get("fingerprint").asText()),
                "the SARIF result's fingerprint"));
    assertEquals(".github/workflows/deploy.yml", issues.at("/0/location/path").asText());
    String text = Files.readString(quality, StandardCharsets.UTF_8);
    for (String secret : secrets) {
      assertFalse(text.contains(secret), "a secret in the code quality report");
    }
  }
}
