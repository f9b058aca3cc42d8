package dev.patguard.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.patguard.decision.Grant;
import dev.patguard.fakebrms.Endpoint;
import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.FakeUser;
import dev.patguard.fakebrms.Fault;
import dev.patguard.fakebrms.MintedToken;
import dev.patguard.fakebrms.TokenSpec;
import dev.patguard.token.PersonalAccessToken;
import dev.patguard.token.SecretDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.opentest4j.AssertionFailedError;

/** Runs fixture classes through {@link EngineTestKit} against one fake BRMS on loopback. */
class LeastPrivilegeExtensionTest {
  private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
  private static FakeBrms brms;

  /** Every secret minted here; no failure message may contain one. */
  private static final List<String> SECRETS = new ArrayList<>();

  /** Every failure message seen here. */
  private static final List<String> MESSAGES = new ArrayList<>();

  @BeforeAll
  static void startBrms() {
    brms = FakeBrms.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).start();
  }

  @AfterAll
  static void stopBrmsAndScanMessages() {
    brms.close();
    assertTrue(MESSAGES.size() >= 8, "messages scanned: " + MESSAGES.size());
    for (String m : MESSAGES) {
      for (String s : SECRETS) {
        assertTrue(!m.contains(s), "a failure message contains a secret: " + m);
      }
    }
  }

  // ---- fixtures: run only through EngineTestKit (tag "fixture", nested: excluded by surefire)
  // ----

  @Tag("fixture")
  @LeastPrivilege(
      token = "DEPLOY_TOKEN",
      permissions = "releases:deploy",
      projects = "web-shop",
      maxLifetime = "P90D")
  static class DeployCheck {
    @Test
    void deployTokenIsLeastPrivilege() {}
  }

  @Tag("fixture")
  @LeastPrivilege(
      token = "DEPLOY_TOKEN",
      permissions = "releases:deploy",
      projects = "web-shop",
      maxLifetime = "P90D",
      onMissing = OnMissing.SKIP)
  static class DeployCheckSkippable {
    @Test
    void deployTokenIsLeastPrivilege() {}
  }

  @Tag("fixture")
  static class MethodLevelCheck {
    @Test
    @LeastPrivilege(token = "DEPLOY_TOKEN", permissions = "releases:deploy", projects = "web-shop")
    @LeastPrivilege(token = "READ_TOKEN", permissions = "releases", projects = "web-shop")
    void bothTokensAreLeastPrivilege() {}
  }

  @Tag("fixture")
  @LeastPrivilege(token = "DEPLOY_TOKEN", permissions = "releases:deploy", maxLifetime = "90 days")
  static class BadDuration {
    @Test
    void check() {}
  }

  @Tag("fixture")
  @LeastPrivilege(token = "DEPLOY_TOKEN", permissions = "releases deploy")
  static class BadPermission {
    @Test
    void check() {}
  }

  @Tag("fixture")
  static class TokenParameter {
    static final AtomicReference<Grant> SEEN = new AtomicReference<>();

    @Test
    void inject(@Token("DEPLOY_TOKEN") Grant token) {
      SEEN.set(token);
      TokenAssertions.assertThatToken(token)
          .grantsOnly("releases:deploy")
          .onlyOnProjects("web-shop");
    }
  }

  @Tag("fixture")
  static class TokenOnString {
    @Test
    void inject(@Token("DEPLOY_TOKEN") String token) {
      MESSAGES.add(token);
    }
  }

  @Tag("fixture")
  static class TokenFacts {
    static final AtomicReference<PersonalAccessToken> SEEN = new AtomicReference<>();

    @Test
    void inject(@Token("DEPLOY_TOKEN") PersonalAccessToken token) {
      SEEN.set(token);
    }
  }

  /** Three tests, one token: checked before each, injected into two. */
  @Tag("fixture")
  @LeastPrivilege(token = "DEPLOY_TOKEN", permissions = "releases:deploy", projects = "web-shop")
  static class SharedToken {
    @Test
    void first(@Token("DEPLOY_TOKEN") Grant token) {
      TokenAssertions.assertThatToken(token).grantsOnly("releases:deploy");
    }

    @Test
    void second(@Token("DEPLOY_TOKEN") Grant token) {
      TokenAssertions.assertThatToken(token).onlyOnProjects("web-shop");
    }

    @Test
    void third() {}
  }

  // ---- helpers ----

  private static MintedToken mint(Consumer<TokenSpec> spec) {
    MintedToken t = brms.mint(spec);
    SECRETS.add(t.secret());
    return t;
  }

  private static Map<String, String> paramsFor(MintedToken t) {
    Map<String, String> p = new HashMap<>();
    p.put(PatGuardTestConfig.BRMS_URL, brms.baseUrl().toString());
    p.put(PatGuardTestConfig.NOW, NOW.toString());
    p.put(PatGuardTestConfig.ENV_PREFIX + "DEPLOY_TOKEN", t.secret());
    return p;
  }

  private static EngineExecutionResults run(Class<?> fixture, Map<String, String> params) {
    EngineTestKit.Builder b = EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture));
    params.forEach(b::configurationParameter);
    EngineExecutionResults results = b.execute();
    for (Event e : results.allEvents().failed().list()) {
      e.getPayload(TestExecutionResult.class)
          .flatMap(TestExecutionResult::getThrowable)
          .ifPresent(t -> MESSAGES.add(String.valueOf(t.getMessage())));
    }
    return results;
  }

  private static Map<String, String> byIdParamsFor(MintedToken t) {
    FakeUser admin = brms.createUser(s -> s.admin());
    MintedToken adminToken = mint(s -> s.owner(admin));
    Map<String, String> p = paramsFor(t);
    p.remove(PatGuardTestConfig.ENV_PREFIX + "DEPLOY_TOKEN");
    p.put(PatGuardTestConfig.LOOKUP, "by-id");
    p.put(
        PatGuardTestConfig.ENV_PREFIX + PatGuardTestConfig.DEFAULT_ADMIN_CREDENTIAL_ENV,
        adminToken.secret());
    p.put(PatGuardTestConfig.ENV_PREFIX + "DEPLOY_TOKEN_USER_ID", t.userId().toString());
    p.put(PatGuardTestConfig.ENV_PREFIX + "DEPLOY_TOKEN_PAT_ID", t.id().toString());
    return p;
  }

  private static Throwable onlyFailure(EngineExecutionResults results) {
    results.testEvents().assertStatistics(s -> s.started(1).failed(1));
    return results
        .testEvents()
        .failed()
        .list()
        .get(0)
        .getPayload(TestExecutionResult.class)
        .flatMap(TestExecutionResult::getThrowable)
        .orElseThrow();
  }

  private static String failureOf(Consumer<TokenSpec> spec) {
    Throwable t = onlyFailure(run(DeployCheck.class, paramsFor(mint(spec))));
    assertInstanceOf(AssertionFailedError.class, t);
    return t.getMessage();
  }

  private static Consumer<TokenSpec> deploy() {
    return t ->
        t.note("ci deploy")
            .permissions("releases:deploy")
            .projects("web-shop")
            .expiresIn(Duration.ofDays(30));
  }

  // ---- tests ----

  @Test
  void leastPrivilegeWhenTokenIsExactlyForDeployingWebShopThenPasses() {
    run(DeployCheck.class, paramsFor(mint(deploy())))
        .testEvents()
        .assertStatistics(s -> s.started(1).succeeded(1).failed(0));
  }

  @Test
  void leastPrivilegeWhenOwnerTokenThenFailsListingExcess() {
    MintedToken t =
        mint(
            s ->
                s.note("ci deploy")
                    .permissions("owner")
                    .projects("web-shop")
                    .expiresIn(Duration.ofDays(30)));
    String m = onlyFailure(run(DeployCheck.class, paramsFor(t))).getMessage();
    assertTrue(
        m.startsWith(
            "@LeastPrivilege(token = \"DEPLOY_TOKEN\"): token "
                + SecretDigest.fingerprintOf(t.secret())
                + " (id "
                + t.id()
                + ", note \"ci deploy\")"
                + " is NOT least privilege for releases:deploy@web-shop"),
        m);
    assertTrue(m.contains("excess:   branches, branches:create"), m);
    assertTrue(m.contains("- owner: the token holds owner, which implies every permission"), m);
  }

  @Test
  void leastPrivilegeWhenAllProjectsTokenThenFailsOnScope() {
    String m =
        failureOf(
            s -> s.permissions("releases:deploy").allProjects(true).expiresIn(Duration.ofDays(30)));
    assertTrue(m.contains("scope:    all projects (allProjects=true)"), m);
    assertTrue(m.contains("- excess project scope: allProjects is true"), m);
  }

  @Test
  void leastPrivilegeWhenTokenNeverExpiresThenFailsOnLifetime() {
    String m = failureOf(s -> s.permissions("releases:deploy").projects("web-shop").neverExpires());
    assertTrue(m.contains("- lifetime: never expires (maximum PT2160H)"), m);
  }

  @Test
  void leastPrivilegeWhenTokenExpiresAfterMaxLifetimeThenFailsOnLifetime() {
    String m =
        failureOf(
            s ->
                s.permissions("releases:deploy")
                    .projects("web-shop")
                    .expiresIn(Duration.ofDays(365)));
    assertTrue(
        m.contains("- lifetime: expires 2027-11-29T12:00:00Z, later than the maximum PT2160H"), m);
  }

  @Test
  void leastPrivilegeWhenExtraPermissionThenFailsNamingIt() {
    String m =
        failureOf(
            s ->
                s.permissions("releases:deploy", "releases:delete")
                    .projects("web-shop")
                    .expiresIn(Duration.ofDays(30)));
    assertTrue(m.contains("excess:   releases:delete\n"), m);
    assertTrue(m.contains("- excess permissions: releases:delete"), m);
  }

  @Test
  void leastPrivilegeWhenWrongProjectThenFailsWithMissingAndExcessProject() {
    String m =
        failureOf(
            s ->
                s.permissions("releases:deploy")
                    .projects("shop-admin")
                    .expiresIn(Duration.ofDays(30)));
    assertTrue(m.contains("- missing projects: web-shop"), m);
    assertTrue(m.contains("- excess projects: shop-admin"), m);
  }

  @Test
  void leastPrivilegeWhenOwnerInactiveThenFails() {
    FakeUser u = brms.createUser(s -> s.serviceAccount().status("inactive"));
    String m =
        failureOf(
            s ->
                s.owner(u)
                    .permissions("releases:deploy")
                    .projects("web-shop")
                    .expiresIn(Duration.ofDays(30)));
    assertTrue(m.contains("- owner status: \"inactive\" is not active"), m);
  }

  @Test
  void leastPrivilegeWhenSecretVariableMissingThenFailsNamingIt() {
    Map<String, String> p = paramsFor(mint(deploy()));
    p.remove(PatGuardTestConfig.ENV_PREFIX + "DEPLOY_TOKEN");
    Throwable t = onlyFailure(run(DeployCheck.class, p));
    assertInstanceOf(ExtensionConfigurationException.class, t);
    assertTrue(
        t.getMessage().contains("set the environment variable DEPLOY_TOKEN"), t.getMessage());
  }

  @Test
  void leastPrivilegeWhenBrmsUrlMissingThenFailsNamingBothNames() {
    Map<String, String> p = paramsFor(mint(deploy()));
    p.remove(PatGuardTestConfig.BRMS_URL);
    p.put(PatGuardTestConfig.BRMS_URL, " ");
    Throwable t = onlyFailure(run(DeployCheck.class, p));
    assertTrue(
        t.getMessage()
            .contains(
                "set the environment variable PATGUARD_BRMS_URL or the configuration"
                    + " parameter patguard.brms.url"),
        t.getMessage());
  }

  @Test
  void leastPrivilegeWhenVariableMissingAndSkipThenSkipsNamingIt() {
    Map<String, String> p = paramsFor(mint(deploy()));
    p.remove(PatGuardTestConfig.ENV_PREFIX + "DEPLOY_TOKEN");
    EngineExecutionResults r = run(DeployCheckSkippable.class, p);
    r.containerEvents().assertStatistics(s -> s.skipped(1));
    r.testEvents().assertStatistics(s -> s.started(0).failed(0));
    String reason =
        r.containerEvents().skipped().list().get(0).getPayload(String.class).orElseThrow();
    assertTrue(reason.contains("DEPLOY_TOKEN is not set"), reason);
  }

  @Test
  void leastPrivilegeWhenVariableSetAndSkipThenStillChecks() {
    run(
            DeployCheckSkippable.class,
            paramsFor(mint(s -> s.permissions("owner").projects("web-shop"))))
        .testEvents()
        .assertStatistics(s -> s.started(1).failed(1));
  }

  @Test
  void leastPrivilegeWhenOwnerHasSeveralLiveTokensThenRefusesToGuessAndSuggestsById() {
    FakeUser u = brms.createUser(s -> s.serviceAccount().status("active"));
    MintedToken t = mint(s -> s.owner(u).permissions("releases:deploy").projects("web-shop"));
    mint(s -> s.owner(u).permissions("releases:deploy").projects("web-shop"));
    Throwable e = onlyFailure(run(DeployCheck.class, paramsFor(t)));
    assertInstanceOf(ExtensionConfigurationException.class, e);
    assertTrue(e.getMessage().contains("found 2 live tokens of its owner"), e.getMessage());
    assertTrue(
        e.getMessage()
            .contains(
                "will not guess which one it is. Use the by-id lookup: set patguard.lookup=by-id"),
        e.getMessage());
  }

  @Test
  void leastPrivilegeWhenByIdLookupThenReadsTokenWithAdminCredential() {
    FakeUser admin = brms.createUser(s -> s.admin());
    MintedToken adminToken = mint(s -> s.owner(admin));
    FakeUser svc = brms.createUser(s -> s.serviceAccount().status("active"));
    MintedToken t = mint(s -> s.owner(svc).permissions("releases:deploy").projects("web-shop"));
    mint(
        s ->
            s.owner(svc)
                .permissions("owner")
                .allProjects(true)); // another token: self would refuse
    Map<String, String> p = paramsFor(t);
    p.remove(PatGuardTestConfig.ENV_PREFIX + "DEPLOY_TOKEN");
    p.put(PatGuardTestConfig.LOOKUP, "by-id");
    p.put(PatGuardTestConfig.ADMIN_CREDENTIAL_ENV, "CI_ADMIN");
    p.put(PatGuardTestConfig.ENV_PREFIX + "CI_ADMIN", adminToken.secret());
    p.put(PatGuardTestConfig.ENV_PREFIX + "DEPLOY_TOKEN_USER_ID", t.userId().toString());
    p.put(PatGuardTestConfig.ENV_PREFIX + "DEPLOY_TOKEN_PAT_ID", t.id().toString());
    run(DeployCheck.class, p).testEvents().assertStatistics(s -> s.started(1).succeeded(1));

    p.remove(PatGuardTestConfig.ENV_PREFIX + "DEPLOY_TOKEN_PAT_ID");
    Throwable e = onlyFailure(run(DeployCheck.class, p));
    assertTrue(
        e.getMessage().contains("set the environment variable DEPLOY_TOKEN_PAT_ID"),
        e.getMessage());
  }

  @Test
  void leastPrivilegeWhenRepeatedOnMethodThenChecksEveryToken() {
    MintedToken read = mint(s -> s.permissions("releases", "releases:delete").projects("web-shop"));
    Map<String, String> p = paramsFor(mint(deploy()));
    p.put(PatGuardTestConfig.ENV_PREFIX + "READ_TOKEN", read.secret());
    String m = onlyFailure(run(MethodLevelCheck.class, p)).getMessage();
    assertTrue(m.startsWith("@LeastPrivilege(token = \"READ_TOKEN\")"), m);
    assertTrue(m.contains("- excess permissions: releases:delete"), m);
  }

  @Test
  void leastPrivilegeWhenBadDurationThenConfigurationErrorQuotesIt() {
    Throwable t = onlyFailure(run(BadDuration.class, paramsFor(mint(deploy()))));
    assertInstanceOf(ExtensionConfigurationException.class, t);
    assertEquals(
        "@LeastPrivilege(token = \"DEPLOY_TOKEN\"): maxLifetime \"90 days\" is not an ISO-8601 duration"
            + " such as P90D",
        t.getMessage());
  }

  @Test
  void leastPrivilegeWhenBadPermissionThenConfigurationErrorQuotesIt() {
    Throwable t = onlyFailure(run(BadPermission.class, paramsFor(mint(deploy()))));
    assertInstanceOf(ExtensionConfigurationException.class, t);
    assertTrue(
        t.getMessage().contains("permission \"releases deploy\" is not a permission name"),
        t.getMessage());
  }

  @Test
  void leastPrivilegeWhenBadLookupThenConfigurationErrorQuotesIt() {
    Map<String, String> p = paramsFor(mint(deploy()));
    p.put(PatGuardTestConfig.LOOKUP, "indexed");
    Throwable t = onlyFailure(run(DeployCheck.class, p));
    assertTrue(
        t.getMessage().contains("lookup strategy \"indexed\" is not one of self, by-id"),
        t.getMessage());
  }

  @Test
  void tokenWhenGrantParameterThenInjectsGrantWithFingerprint() {
    MintedToken t = mint(deploy());
    run(TokenParameter.class, paramsFor(t))
        .testEvents()
        .assertStatistics(s -> s.started(1).succeeded(1));
    Grant g = TokenParameter.SEEN.get();
    assertNotNull(g);
    assertEquals(SecretDigest.fingerprintOf(t.secret()), g.subject().fingerprint());
    assertEquals(t.id(), g.subject().tokenId());
  }

  @Test
  void tokenWhenParameterTypeIsWrongThenConfigurationErrorNamesTheType() {
    Throwable t = onlyFailure(run(TokenOnString.class, paramsFor(mint(deploy()))));
    assertInstanceOf(ExtensionConfigurationException.class, t);
    assertTrue(
        t.getMessage().contains("of type java.lang.String; it can only inject"), t.getMessage());
  }

  @Test
  void leastPrivilegeWhenTokenRevokedThenConfigurationErrorSays401NotOutage() {
    MintedToken t = mint(deploy());
    brms.revoke(t.id());
    Throwable e = onlyFailure(run(DeployCheck.class, paramsFor(t)));
    assertInstanceOf(ExtensionConfigurationException.class, e);
    assertEquals(
        "@LeastPrivilege(token = \"DEPLOY_TOKEN\"): BRMS at "
            + brms.baseUrl()
            + " rejected token DEPLOY_TOKEN"
            + " (fingerprint "
            + SecretDigest.fingerprintOf(t.secret())
            + "): 401, TOKEN_INVALID: it is unknown,"
            + " revoked or expired",
        e.getMessage());
  }

  @Test
  void leastPrivilegeWhenBrmsAnswers503ThenFailsAsAnOutageNamingTheStatus() {
    MintedToken t = mint(deploy());
    brms.inject(Endpoint.SELF_LIST, Fault.status(503));
    try {
      Throwable e = onlyFailure(run(DeployCheck.class, paramsFor(t)));
      assertInstanceOf(IllegalStateException.class, e);
      assertTrue(
          e.getMessage()
              .startsWith(
                  "@LeastPrivilege(token = \"DEPLOY_TOKEN\"): could not read token DEPLOY_TOKEN"
                      + " (fingerprint "
                      + SecretDigest.fingerprintOf(t.secret())
                      + ") from BRMS at "
                      + brms.baseUrl()
                      + " (self lookup): "),
          e.getMessage());
      assertTrue(e.getMessage().contains("BRMS answered 503"), e.getMessage());
      assertFalse(e.getMessage().contains("rejected"), e.getMessage());
    } finally {
      brms.clearFaults();
    }
  }

  @Test
  void leastPrivilegeWhenBrmsUrlHoldsApiThenConfigurationErrorNamingTheUrlToTry() {
    MintedToken t = mint(deploy());
    Map<String, String> p = paramsFor(t);
    String base = brms.baseUrl().toString().replaceAll("/$", "");
    p.put(PatGuardTestConfig.BRMS_URL, base + "/api");

    Throwable e = onlyFailure(run(DeployCheck.class, p));

    assertInstanceOf(ExtensionConfigurationException.class, e);
    assertEquals(
        "@LeastPrivilege(token = \"DEPLOY_TOKEN\"): the BRMS URL does not lead to BRMS"
            + " (MISCONFIGURED): GET /api/personal-access-tokens answered 404: is "
            + base
            + "/api the BRMS base URL? patguard adds /api/… itself (try "
            + base
            + ")",
        e.getMessage());
  }

  @Test
  void leastPrivilegeWhenOneRequestFails503ThenTheGuardRetriesAndPasses() {
    MintedToken t = mint(deploy());
    long before = brms.requestCount(Endpoint.SELF_LIST);
    brms.inject(Endpoint.SELF_LIST, Fault.status(503), 1);
    run(DeployCheck.class, paramsFor(t))
        .testEvents()
        .assertStatistics(s -> s.started(1).succeeded(1));
    assertEquals(2, brms.requestCount(Endpoint.SELF_LIST) - before, "the 503, then the retry");
  }

  @Test
  void leastPrivilegeWhenSelfLookupForbiddenThenConfigurationErrorSays403AndSuggestsById() {
    MintedToken t = mint(deploy());
    brms.inject(Endpoint.SELF_LIST, Fault.status(403), 1);
    Throwable e = onlyFailure(run(DeployCheck.class, paramsFor(t)));
    assertInstanceOf(ExtensionConfigurationException.class, e);
    assertTrue(
        e.getMessage()
            .contains(
                "token DEPLOY_TOKEN (fingerprint "
                    + SecretDigest.fingerprintOf(t.secret())
                    + ") may not list its own tokens (403, LOOKUP_FORBIDDEN"),
        e.getMessage());
    assertTrue(
        e.getMessage().endsWith("use the by-id lookup (patguard.lookup=by-id)"), e.getMessage());
  }

  @Test
  void leastPrivilegeWhenBrmsUrlIsNotHttpThenConfigurationErrorQuotesIt() {
    Map<String, String> p = paramsFor(mint(deploy()));
    p.put(PatGuardTestConfig.BRMS_URL, "ftp://brms.example.test");
    Throwable e = onlyFailure(run(DeployCheck.class, p));
    assertInstanceOf(ExtensionConfigurationException.class, e);
    assertTrue(
        e.getMessage()
            .contains(
                "is not usable: baseUrl must be an absolute http or https URL, got"
                    + " \"ftp://brms.example.test\""),
        e.getMessage());
  }

  @Test
  void leastPrivilegeWhenByIdUserIdIsNotAUuidThenConfigurationErrorQuotesIt() {
    Map<String, String> p = byIdParamsFor(mint(deploy()));
    p.put(PatGuardTestConfig.ENV_PREFIX + "DEPLOY_TOKEN_USER_ID", "../admin");
    Throwable e = onlyFailure(run(DeployCheck.class, p));
    assertInstanceOf(ExtensionConfigurationException.class, e);
    assertEquals(
        "@LeastPrivilege(token = \"DEPLOY_TOKEN\"): DEPLOY_TOKEN_USER_ID must be a UUID, got \"../admin\"",
        e.getMessage());
  }

  @Test
  void leastPrivilegeWhenByIdTokenIsUnknownThenFailsNamingTheIdsAnd404() {
    MintedToken t = mint(deploy());
    Map<String, String> p = byIdParamsFor(t);
    String unknown = UUID.randomUUID().toString();
    p.put(PatGuardTestConfig.ENV_PREFIX + "DEPLOY_TOKEN_PAT_ID", unknown);
    Throwable e = onlyFailure(run(DeployCheck.class, p));
    assertTrue(
        e.getMessage()
            .startsWith(
                "@LeastPrivilege(token = \"DEPLOY_TOKEN\"): could not read token DEPLOY_TOKEN"
                    + " (user "
                    + t.userId()
                    + ", id "
                    + unknown
                    + ") from BRMS at "
                    + brms.baseUrl()
                    + " (by-id lookup): "),
        e.getMessage());
    assertTrue(e.getMessage().contains("(404)"), e.getMessage());
  }

  @Test
  void tokenWhenSeveralTestsAskForOneTokenThenBrmsIsAskedOncePerRun() {
    MintedToken t = mint(deploy());
    long before = brms.requestCount(Endpoint.SELF_LIST);
    run(SharedToken.class, paramsFor(t))
        .testEvents()
        .assertStatistics(s -> s.started(3).succeeded(3));
    assertEquals(1, brms.requestCount(Endpoint.SELF_LIST) - before);
  }

  @Test
  void tokenWhenFactsParameterAndSelfLookupThenConfigurationErrorSuggestsGrant() {
    Throwable t = onlyFailure(run(TokenFacts.class, paramsFor(mint(deploy()))));
    assertInstanceOf(ExtensionConfigurationException.class, t);
    assertTrue(
        t.getMessage()
            .contains(
                "which the self lookup cannot provide: it yields the compiled grant."
                    + " Declare the parameter as dev.patguard.decision.Grant, or use the by-id lookup"),
        t.getMessage());
  }

  @Test
  void tokenWhenFactsParameterAndByIdLookupThenInjectsTheToken() {
    MintedToken t = mint(deploy());
    run(TokenFacts.class, byIdParamsFor(t))
        .testEvents()
        .assertStatistics(s -> s.started(1).succeeded(1));
    PersonalAccessToken facts = TokenFacts.SEEN.get();
    assertNotNull(facts);
    assertEquals(t.id(), facts.id());
    assertEquals(List.of("releases:deploy"), facts.permissions());
  }
}
