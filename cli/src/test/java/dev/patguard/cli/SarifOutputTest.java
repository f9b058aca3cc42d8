package dev.patguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.patguard.fakebrms.Endpoint;
import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.FakeUser;
import dev.patguard.fakebrms.Fault;
import dev.patguard.fakebrms.MintedToken;
import dev.patguard.fakebrms.MutableClock;
import dev.patguard.token.SecretDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every SARIF {@code check} and {@code explain} print through the real entry point against
 * fake-brms, validated against the official SARIF 2.1.0 schema and code scanning's constraints.
 */
class SarifOutputTest {
  private static final String DEPLOY = "releases:deploy@web-shop";

  private final MutableClock clock = MutableClock.at("2026-11-29T12:00:00Z");
  private final CliHarness cli = new CliHarness(clock);
  private FakeBrms brms;
  private FakeUser svc;
  private MintedToken adminToken;

  @BeforeEach
  void start() {
    brms = FakeBrms.builder().clock(clock).start();
    FakeUser admin = brms.createUser(u -> u.email("admin@acme.test").admin());
    adminToken = brms.mint(s -> s.owner(admin).permissions("owner").allProjects(true));
    svc = brms.createUser(u -> u.email("ci@acme.test").serviceAccount());
    cli.env("PATGUARD_BRMS_URL", brms.baseUrl().toString());
    cli.env("BRMS_ADMIN_TOKEN", cli.secret(adminToken.secret()));
  }

  @AfterEach
  void stop() {
    brms.close();
  }

  private String token(MintedToken t) {
    cli.env("PATGUARD_TOKEN", cli.secret(t.secret()));
    return SecretDigest.fingerprintOf(t.secret());
  }

  private MintedToken exact() {
    return brms.mint(
        s ->
            s.owner(svc)
                .permissions("releases:deploy")
                .projects("web-shop")
                .expiresIn(Duration.ofDays(30)));
  }

  /** Runs, checks the exit code, validates, and returns the results' rule ids in order. */
  private Sarif run(int exit, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--format", "sarif"));
    CliHarness.Result r = cli.run(all.toArray(String[]::new));
    assertEquals(exit, r.code(), r::toString);
    // CliHarness has already scanned stdout and stderr for every registered secret.
    return new Sarif(SarifSchema.check(r.stdout()), r);
  }

  record Sarif(JsonNode doc, CliHarness.Result result) {
    JsonNode run() {
      return doc.get("runs").get(0);
    }

    List<String> ruleIds() {
      List<String> ids = new ArrayList<>();
      run().get("results").forEach(r -> ids.add(r.get("ruleId").asText()));
      return ids;
    }

    JsonNode result(int i) {
      return run().get("results").get(i);
    }

    JsonNode invocation() {
      return run().get("invocations").get(0);
    }
  }

  @Test
  void checkWhenPermitThenNoResultsAndASuccessfulInvocation() {
    token(exact());

    Sarif s = run(0, "check", "--require", DEPLOY);

    assertEquals(List.of(), s.ruleIds());
    assertTrue(s.invocation().get("executionSuccessful").asBoolean());
    assertEquals(0, s.invocation().get("exitCode").asInt());
    assertEquals("patguard/check/", s.run().at("/automationDetails/id").asText());
    assertEquals(16, s.run().at("/tool/driver/rules").size(), "every rule, always listed");
  }

  @Test
  void checkWhenPermissionAndProjectMissingThenOneResultEach() {
    String fp =
        token(brms.mint(s -> s.owner(svc).permissions("releases:manage").projects("docs-site")));

    Sarif s = run(1, "check", "--require", DEPLOY);

    assertEquals(List.of("patguard/missing-permission", "patguard/missing-project"), s.ruleIds());
    assertEquals("error", s.result(0).get("level").asText());
    assertTrue(
        s.result(0)
            .at("/message/text")
            .asText()
            .startsWith("token " + fp + " lacks releases:deploy"),
        s.result(0)::toString);
    assertEquals(fp, s.result(0).at("/properties/fingerprint").asText());
    assertEquals(
        "patguard.yml",
        s.result(0).at("/locations/0/physicalLocation/artifactLocation/uri").asText(),
        "no CI variable and no --sarif-artifact: the documented fallback");
    assertTrue(s.invocation().get("executionSuccessful").asBoolean(), "a deny is a decision");

    // The deny and the review both see the gap: one result each, not two.
    Sarif reviewed = run(1, "check", "--require", DEPLOY, "--least-privilege");
    assertEquals(
        List.of(
            "patguard/missing-permission",
            "patguard/missing-project",
            "patguard/excess-permission",
            "patguard/excess-project"),
        reviewed.ruleIds());
  }

  @Test
  void checkWhenTokenUnknownThenTokenInvalid() {
    cli.env("PATGUARD_TOKEN", cli.secret("pat_definitely-not-a-known-token-0001"));

    assertEquals(List.of("patguard/token-invalid"), run(1, "check", "--require", DEPLOY).ruleIds());
  }

  @Test
  void checkWhenOwnerInactiveThenOwnerInactive() {
    FakeUser gone = brms.createUser(u -> u.email("gone@acme.test").serviceAccount());
    MintedToken t =
        brms.mint(s -> s.owner(gone).permissions("releases:deploy").projects("web-shop"));
    brms.setOwnerStatus(gone.id(), "suspended");
    token(t);

    Sarif s = run(1, "check", "--require", DEPLOY);

    assertTrue(s.ruleIds().contains("patguard/owner-inactive"), s.result()::toString);
  }

  @Test
  void checkWhenTokenMayNotReadItselfThenLookupForbidden() {
    token(
        brms.mint(
            s ->
                s.owner(svc)
                    .permissions("releases:deploy")
                    .projects("web-shop")
                    .canReadOwnTokens(false)));

    Sarif s = run(1, "check", "--require", DEPLOY);

    assertEquals(List.of("patguard/lookup-forbidden"), s.ruleIds(), s.result()::toString);
  }

  @Test
  void checkWhenSelfLookupAmbiguousThenAmbiguousTokenOrAmbiguousLookup() {
    MintedToken a = exact();
    brms.mint(s -> s.owner(svc).permissions("releases:manage").projects("web-shop"));
    token(a);

    Sarif deny = run(1, "check", "--require", DEPLOY);
    assertEquals("patguard/ambiguous-token", deny.ruleIds().get(0), deny.result()::toString);

    Sarif permit = run(0, "check", "--require", "authenticated");
    assertEquals(List.of("patguard/ambiguous-lookup"), permit.ruleIds(), permit.result()::toString);
    assertEquals("note", permit.result(0).get("level").asText());

    Sarif notReviewed = run(2, "check", "--require", "authenticated", "--least-privilege");
    assertTrue(
        notReviewed.ruleIds().contains("patguard/not-reviewed"), notReviewed.result()::toString);
    assertFalse(notReviewed.invocation().get("executionSuccessful").asBoolean());
  }

  @Test
  void checkWhenTokenExpiresSoonThenWarning() {
    token(
        brms.mint(
            s ->
                s.owner(svc)
                    .permissions("releases:deploy")
                    .projects("web-shop")
                    .expiresIn(Duration.ofDays(2))));

    Sarif s = run(0, "check", "--require", DEPLOY);

    assertEquals(List.of("patguard/expires-soon"), s.ruleIds());
    assertEquals("warning", s.result(0).get("level").asText());
  }

  @Test
  void checkWhenBrmsUnavailableThenIndeterminateResultAndFailedInvocation() {
    token(exact());
    brms.inject(Endpoint.SELF_LIST, Fault.status(503));

    Sarif s = run(2, "check", "--require", DEPLOY);

    assertEquals(List.of("patguard/indeterminate"), s.ruleIds());
    assertTrue(s.result(0).at("/message/text").asText().contains("BRMS_UNAVAILABLE"));
    assertFalse(s.invocation().get("executionSuccessful").asBoolean());
    assertEquals(2, s.invocation().get("exitCode").asInt());
    assertEquals(
        "error",
        s.invocation().at("/toolExecutionNotifications/0/level").asText(),
        s.result()::toString);
  }

  @Test
  void checkWhenLeastPrivilegeFindingsThenEachIsAResult() {
    token(
        brms.mint(
            s ->
                s.owner(svc)
                    .permissions("releases:deploy", "releases:delete")
                    .projects("web-shop", "docs-site")
                    .neverExpires()));

    Sarif s = run(1, "check", "--require", DEPLOY, "--max-lifetime", "P90D");

    assertEquals(
        List.of("patguard/excess-permission", "patguard/excess-project", "patguard/never-expires"),
        s.ruleIds());
  }

  @Test
  void explainWhenLifetimeTooLongThenWarning() {
    MintedToken t =
        brms.mint(
            s ->
                s.owner(svc)
                    .permissions("releases:deploy")
                    .projects("web-shop")
                    .expiresIn(Duration.ofDays(365)));

    Sarif s =
        run(
            1,
            "explain",
            "--user-id",
            t.userId().toString(),
            "--pat-id",
            t.id().toString(),
            "--require",
            DEPLOY,
            "--max-lifetime",
            "90d");

    assertEquals(List.of("patguard/lifetime-too-long"), s.ruleIds());
    assertEquals("patguard/explain/", s.run().at("/automationDetails/id").asText());
    assertTrue(s.result(0).at("/message/text").asText().startsWith("token " + t.id()));
  }

  @Test
  void explainWhenMissingPermissionAndProjectThenResults() {
    token(brms.mint(s -> s.owner(svc).permissions("releases:manage").projects("docs-site")));

    Sarif s = run(1, "explain", "--require", DEPLOY);

    assertTrue(s.ruleIds().contains("patguard/missing-permission"), s.result()::toString);
    assertTrue(s.ruleIds().contains("patguard/missing-project"), s.result()::toString);
  }

  @Test
  void explainWhenLeastPrivilegeThenNoResults() {
    token(exact());

    Sarif s = run(0, "explain", "--require", DEPLOY, "--max-lifetime", "P90D");

    assertEquals(List.of(), s.ruleIds());
  }

  @Test
  void explainWhenCannotReviewThenSarifSaysSoAndTheErrorLineStays() {
    cli.env("PATGUARD_TOKEN", cli.secret("pat_definitely-not-a-known-token-0002"));
    Sarif rejected = run(1, "explain", "--require", DEPLOY);
    assertEquals(List.of("patguard/token-invalid"), rejected.ruleIds());
    assertTrue(rejected.result().stderr().contains("rejected by BRMS (401)"));

    Sarif notFound =
        run(
            1,
            "explain",
            "--user-id",
            svc.id().toString(),
            "--pat-id",
            java.util.UUID.randomUUID().toString(),
            "--require",
            DEPLOY);
    assertEquals(
        List.of("patguard/token-invalid"), notFound.ruleIds(), notFound.result()::toString);
    assertTrue(notFound.result().stderr().contains("(404)"), notFound.result()::toString);

    token(exact());
    brms.inject(Endpoint.SELF_LIST, Fault.status(503));
    Sarif down = run(2, "explain", "--require", DEPLOY);
    assertEquals(List.of("patguard/indeterminate"), down.ruleIds());
    assertFalse(down.invocation().get("executionSuccessful").asBoolean());
    brms.clearFaults();

    token(
        brms.mint(
            s ->
                s.owner(svc)
                    .permissions("releases:deploy")
                    .projects("web-shop")
                    .canReadOwnTokens(false)));
    Sarif forbidden = run(2, "explain", "--require", DEPLOY);
    assertEquals(List.of("patguard/lookup-forbidden"), forbidden.ruleIds());
  }

  @Test
  void explainWhenSelfLookupAmbiguousThenNotReviewed() {
    MintedToken a = exact();
    exact();
    token(a);

    Sarif s = run(2, "explain", "--require", DEPLOY);

    assertEquals(List.of("patguard/not-reviewed"), s.ruleIds());
    assertTrue(s.result(0).at("/message/text").asText().contains("--user-id"));
  }

  @Test
  void fingerprintsWhenRunTwiceThenSameAndDistinctPerFinding() {
    MintedToken t =
        brms.mint(
            s ->
                s.owner(svc)
                    .permissions("releases:deploy", "releases:delete", "releases:manage")
                    .allProjects(true));
    token(t);

    Sarif first = run(1, "check", "--require", DEPLOY, "--least-privilege");
    clock.advance(Duration.ofHours(3));
    Sarif second = run(1, "check", "--require", DEPLOY, "--least-privilege");

    List<String> a = fingerprints(first);
    assertEquals(a, fingerprints(second), "the same findings, the same fingerprints");
    assertEquals(a.size(), new HashSet<>(a).size(), "distinct findings, distinct fingerprints");
    assertEquals(3, a.size(), first.result()::toString);
    for (String f : a) {
      assertFalse(f.contains(t.secret()));
    }
    // Another requirement is another finding.
    Sarif other = run(1, "check", "--require", "releases:deploy@docs-site", "--least-privilege");
    assertTrue(
        Set.copyOf(fingerprints(other)).stream().noneMatch(a::contains), other.result()::toString);
  }

  private static List<String> fingerprints(Sarif s) {
    List<String> out = new ArrayList<>();
    s.run()
        .get("results")
        .forEach(r -> out.add(r.at("/partialFingerprints/patguardFinding~1v1").asText()));
    return out;
  }

  @Test
  void artifactWhenGivenOrFromCiVariablesThenRelativeUri() {
    token(brms.mint(s -> s.owner(svc).permissions("releases:manage").projects("web-shop")));

    assertEquals(
        "deploy/my%20pipeline.yml",
        uri(run(1, "check", "--require", DEPLOY, "--sarif-artifact", "./deploy/my pipeline.yml")));
    cli.env("CI_CONFIG_PATH", "ci/.gitlab-ci.yml");
    assertEquals("ci/.gitlab-ci.yml", uri(run(1, "check", "--require", DEPLOY)));
    cli.env("GITHUB_WORKFLOW_REF", "acme/web-shop/.github/workflows/deploy.yml@refs/heads/main");
    assertEquals(".github/workflows/deploy.yml", uri(run(1, "check", "--require", DEPLOY)));
  }

  private static String uri(Sarif s) {
    return s.result(0).at("/locations/0/physicalLocation/artifactLocation/uri").asText();
  }

  @Test
  void artifactWhenAbsoluteOrEscapingOrWithTextThenExit64() {
    token(exact());
    for (List<String> args :
        List.of(
            List.of("--format", "sarif", "--sarif-artifact", "/etc/passwd"),
            List.of("--format", "sarif", "--sarif-artifact", "../outside.yml"),
            List.of("--format", "sarif", "--sarif-artifact", "C:\\ci\\deploy.yml"),
            List.of("--format", "github", "--sarif-artifact", "https://example.test/x.yml"),
            List.of("--sarif-artifact", "deploy.yml"))) {
      List<String> all = new ArrayList<>(List.of("check", "--require", DEPLOY));
      all.addAll(args);
      CliHarness.Result r = cli.run(all.toArray(String[]::new));
      assertEquals(64, r.code(), r::toString);
      assertEquals(1, r.stderr().lines().count(), r::toString);
      assertEquals("", r.stdout(), r::toString);
      assertEquals(0, brms.totalRequests(), "refused before any lookup");
    }
  }

  @Test
  void schemaWhenDocumentBrokenThenViolationsAndLogicalOnlyLocationsAreNotUploadable() {
    assertFalse(SarifSchema.violations("{\"version\":\"2.1.0\"}").isEmpty(), "runs is required");
    assertFalse(
        SarifSchema.violations(
                "{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"x\"}},"
                    + "\"results\":[{\"message\":{\"text\":\"m\"},\"level\":\"fatal\"}]}]}")
            .isEmpty(),
        "level fatal is not a SARIF level");
    // The shape patguard printed before: valid SARIF, refused by code scanning.
    String logicalOnly =
        "{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"patguard\","
            + "\"rules\":[{\"id\":\"patguard/x\",\"name\":\"X\",\"shortDescription\":{\"text\":\"s\"},"
            + "\"fullDescription\":{\"text\":\"f\"},\"help\":{\"text\":\"h\",\"markdown\":\"h\"},"
            + "\"defaultConfiguration\":{\"level\":\"error\"}}]}},\"results\":[{\"ruleId\":\"patguard/x\","
            + "\"ruleIndex\":0,\"level\":\"error\",\"message\":{\"text\":\"m\"},\"locations\":"
            + "[{\"logicalLocations\":[{\"name\":\"token 3f2a9c1b\",\"kind\":\"resource\"}]}]}]}]}";
    assertEquals(List.of(), SarifSchema.violations(logicalOnly));
    assertThrows(AssertionError.class, () -> SarifSchema.assertUploadable(logicalOnly));
  }

  @Test
  void sarifWhenAnyOutcomeThenNoSecretInAnyOutput() {
    MintedToken t = exact();
    token(t);
    for (String[] args :
        Stream.of(
                new String[] {"check", "--require", DEPLOY},
                new String[] {"check", "--require", "releases:delete@web-shop"},
                new String[] {"explain", "--require", DEPLOY})
            .toList()) {
      List<String> all = new ArrayList<>(List.of(args));
      all.addAll(List.of("--format", "sarif"));
      CliHarness.Result r = cli.run(all.toArray(String[]::new));
      assertFalse(r.stdout().contains(t.secret()), r::toString);
      assertFalse(r.stdout().contains(adminToken.secret()), r::toString);
    }
  }
}
