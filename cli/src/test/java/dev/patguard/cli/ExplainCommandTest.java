package dev.patguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.FakeUser;
import dev.patguard.fakebrms.MintedToken;
import dev.patguard.fakebrms.MutableClock;
import dev.patguard.token.SecretDigest;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code patguard explain} through the real entry point against fake-brms. */
class ExplainCommandTest {
  private final MutableClock clock = MutableClock.at("2026-11-29T12:00:00Z");
  private final CliHarness cli = new CliHarness(clock);
  private FakeBrms brms;
  private FakeUser svc;
  private MintedToken wide;

  @BeforeEach
  void start() {
    brms = FakeBrms.builder().clock(clock).start();
    FakeUser admin = brms.createUser(u -> u.email("admin@acme.test").admin());
    MintedToken adminToken = brms.mint(s -> s.owner(admin).permissions("owner").allProjects(true));
    svc = brms.createUser(u -> u.email("ci@acme.test").serviceAccount());
    wide =
        brms.mint(
            s ->
                s.owner(svc)
                    .note("too wide")
                    .permissions("releases:deploy", "releases:delete")
                    .projects("web-shop", "docs-site")
                    .neverExpires());
    cli.env("PATGUARD_BRMS_URL", brms.baseUrl().toString());
    cli.env("PATGUARD_TOKEN", cli.secret(wide.secret()));
    cli.env("BRMS_ADMIN_TOKEN", cli.secret(adminToken.secret()));
  }

  @AfterEach
  void stop() {
    brms.close();
  }

  @Test
  void explainWhenTextThenGrantedRequiredExcessLifetime() {
    CliHarness.Result r =
        cli.run("explain", "--require", "releases:deploy@web-shop", "--max-lifetime", "P90D");

    assertEquals(1, r.code(), r::toString);
    String fp = SecretDigest.fingerprintOf(wide.secret());
    assertTrue(
        r.stdout().startsWith("token " + fp + " (\"too wide\"): NOT least privilege"), r::toString);
    assertTrue(r.stdout().contains("  required: releases:deploy@web-shop"), r::toString);
    assertTrue(r.stdout().contains("  granted:  releases:deploy, releases:delete"), r::toString);
    // Granted once, excess once: the excess permission is not listed twice.
    assertEquals(
        2, r.stdout().lines().filter(l -> l.contains("releases:delete")).count(), r::toString);
    assertTrue(r.stdout().contains("  - excess permissions: releases:delete\n"), r::toString);
    assertFalse(r.stdout().contains("  excess:   "), r::toString);
    assertTrue(r.stdout().contains("excess projects: docs-site"), r::toString);
    assertTrue(r.stdout().contains("lifetime: never expires"), r::toString);
    assertTrue(r.stdout().contains("  expires:  never"), r::toString);
  }

  @Test
  void explainWhenSelfLookupAmbiguousThenExit2AndByIdReviewsIt() {
    MintedToken exact =
        brms.mint(
            s ->
                s.owner(svc)
                    .permissions("releases:deploy")
                    .projects("web-shop")
                    .expiresIn(Duration.ofDays(30)));
    cli.env("EXACT", cli.secret(exact.secret()));

    CliHarness.Result r =
        cli.run(
            "explain",
            "--token-env",
            "EXACT",
            "--require",
            "releases:deploy@web-shop",
            "--format",
            "json");

    assertEquals(2, r.code(), "two live tokens of one owner: the self lookup is ambiguous\n" + r);
    assertTrue(r.stderr().contains("2 live tokens"), r::toString);
    assertTrue(r.stderr().contains("--user-id"), r::toString);
    assertEquals("", r.stdout());

    CliHarness.Result byId =
        cli.run(
            "explain",
            "--user-id",
            exact.userId().toString(),
            "--pat-id",
            exact.id().toString(),
            "--require",
            "releases:deploy@web-shop",
            "--format",
            "json");
    assertEquals(0, byId.code(), byId::toString);
    assertTrue(byId.json().get("leastPrivilege").asBoolean());
  }

  @Test
  void explainWhenJsonThenDocumentedFields() {
    MintedToken alone =
        brms.mint(s -> s.permissions("releases:deploy", "releases:delete").allProjects(true));
    cli.env("ALONE", cli.secret(alone.secret()));

    CliHarness.Result r =
        cli.run(
            "explain",
            "--token-env",
            "ALONE",
            "--require",
            "releases:deploy@web-shop",
            "--format",
            "json");

    assertEquals(1, r.code(), r::toString);
    JsonNode j = r.json();
    for (String f :
        List.of(
            "token",
            "requirements",
            "declared",
            "granted",
            "needed",
            "excessPermissions",
            "missingPermissions",
            "allProjects",
            "excessProjects",
            "missingProjects",
            "expiresAt",
            "maxLifetime",
            "lifetimeFindings",
            "findings",
            "leastPrivilege",
            "exitCode")) {
      assertTrue(j.has(f), () -> "missing " + f + " in " + r);
    }
    assertEquals("releases:delete", j.get("excessPermissions").get(0).asText());
    assertEquals("*", j.get("excessProjects").get(0).asText());
    assertTrue(j.get("allProjects").asBoolean());
    assertFalse(j.get("leastPrivilege").asBoolean());
    assertEquals(
        SecretDigest.fingerprintOf(alone.secret()), j.get("token").get("fingerprint").asText());
  }

  @Test
  void explainWhenSarifThenOneResultPerFindingInSarif210Shape() {
    CliHarness.Result r =
        cli.run(
            "explain",
            "--user-id",
            wide.userId().toString(),
            "--pat-id",
            wide.id().toString(),
            "--require",
            "releases:deploy@web-shop",
            "--max-lifetime",
            "P90D",
            "--format",
            "sarif");

    assertEquals(1, r.code(), r::toString);
    SarifSchema.assertUploadable(r.stdout());
    JsonNode s = r.json();
    assertEquals("2.1.0", s.get("version").asText());
    assertTrue(s.get("$schema").asText().endsWith("/sarif-schema-2.1.0.json"));
    JsonNode run = s.get("runs").get(0);
    assertEquals("patguard", run.get("tool").get("driver").get("name").asText());
    Set<String> ruleIds = new HashSet<>();
    run.get("tool")
        .get("driver")
        .get("rules")
        .forEach(rule -> ruleIds.add(rule.get("id").asText()));
    JsonNode results = run.get("results");
    assertEquals(3, results.size(), r::toString);
    for (JsonNode result : results) {
      assertTrue(ruleIds.contains(result.get("ruleId").asText()), result::toString);
      assertTrue(
          Set.of("error", "warning").contains(result.get("level").asText()), result::toString);
      assertTrue(
          result.get("message").get("text").asText().startsWith("token " + wide.id()),
          result::toString);
    }
    assertEquals("patguard/excess-permission", results.get(0).get("ruleId").asText());
    assertEquals("error", results.get(0).get("level").asText());
    assertTrue(results.get(0).get("message").get("text").asText().contains("releases:delete"));
    assertEquals("patguard/excess-project", results.get(1).get("ruleId").asText());
    assertEquals("patguard/never-expires", results.get(2).get("ruleId").asText());
    assertEquals("warning", results.get(2).get("level").asText());
  }

  @Test
  void explainWhenTokenRejectedThenExit1() {
    cli.env("BAD", cli.secret("no-such-token-secret"));

    CliHarness.Result r =
        cli.run("explain", "--token-env", "BAD", "--require", "releases:deploy@web-shop");

    assertEquals(1, r.code(), r::toString);
    assertTrue(r.stderr().contains("rejected by BRMS (401)"), r::toString);
  }

  @Test
  void explainWhenByIdWithoutAdminVariableThenExit64NamingIt() {
    CliHarness noAdmin = new CliHarness(clock).env("PATGUARD_BRMS_URL", brms.baseUrl().toString());

    CliHarness.Result r =
        noAdmin.run(
            "explain",
            "--user-id",
            wide.userId().toString(),
            "--pat-id",
            wide.id().toString(),
            "--require",
            "releases:deploy@web-shop");

    assertEquals(64, r.code(), r::toString);
    assertTrue(r.stderr().contains("BRMS_ADMIN_TOKEN"), r::toString);
  }

  @Test
  void explainWhenUsageErrorsThenExit64() {
    for (List<String> args :
        List.<List<String>>of(
            List.of("explain", "--require", "x", "--user-id", wide.userId().toString()),
            List.of(
                "explain",
                "--require",
                "x",
                "--user-id",
                "not-a-uuid",
                "--pat-id",
                wide.id().toString()),
            List.of("explain", "--require", "x", "--format", "html"))) {
      CliHarness.Result r = cli.run(args.toArray(String[]::new));
      assertEquals(64, r.code(), r::toString);
      assertEquals(1, r.stderr().lines().count(), r::toString);
    }
  }
}
