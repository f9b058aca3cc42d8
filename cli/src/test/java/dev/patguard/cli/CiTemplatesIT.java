package dev.patguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.patguard.fakebrms.Endpoint;
import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.Fault;
import dev.patguard.fakebrms.MintedToken;
import dev.patguard.token.SecretDigest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GitHub Action (action.yml and its step, action/run.sh) and the GitLab template
 * (gitlab/patguard.gitlab-ci.yml), run for real: bash runs the step with a GitHub- or GitLab-like
 * environment and the built cli/target/patguard.jar against fake-brms. Every output file, stdout
 * and stderr is scanned for the secret.
 */
class CiTemplatesIT {
  private static final Path ROOT =
      Path.of(System.getProperty("patguard.root", "..")).toAbsolutePath().normalize();
  private static final Path JAR =
      Path.of(System.getProperty("patguard.jar", "target/patguard.jar")).toAbsolutePath();
  private static final Path SCRIPT = ROOT.resolve("action/run.sh");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern INPUT_REF = Pattern.compile("^\\$\\{\\{ inputs\\.([a-z0-9-]+) }}$");
  private static final String WORKFLOW =
      "acme/web-shop/.github/workflows/deploy.yml@refs/heads/main";

  @TempDir Path dir;
  private FakeBrms brms;
  private final List<String> secrets = new ArrayList<>();

  record Run(int code, String stdout, String stderr) {}

  @BeforeEach
  void start() {
    brms = FakeBrms.builder().start();
  }

  @AfterEach
  void stop() {
    brms.close();
  }

  private String secret(MintedToken t) {
    secrets.add(t.secret());
    return t.secret();
  }

  // --- running bash ----------------------------------------------------------------------------

  /** bash with only these variables (and PATH, HOME, JAVA_HOME): no CI variable of the host. */
  private Run bash(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("bash"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.resolve("work").toFile());
    Map<String, String> child = pb.environment();
    String path = child.get("PATH");
    child.clear();
    child.put("PATH", path);
    child.put("HOME", dir.toString());
    child.put("JAVA_HOME", System.getProperty("java.home"));
    child.putAll(env);
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the step did not finish");
    Run r =
        new Run(
            p.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
    Files.delete(out);
    Files.delete(err);
    assertNoSecretAnywhere(r);
    return r;
  }

  /** Neither stdout, stderr nor any file the step could write holds a secret. */
  private void assertNoSecretAnywhere(Run r) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(Files::isRegularFile).toList();
    }
    for (String secret : secrets) {
      assertFalse(r.stdout().contains(secret), () -> "the secret on stdout: " + r);
      assertFalse(r.stderr().contains(secret), () -> "the secret on stderr: " + r);
      for (Path f : files) {
        String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        assertFalse(text.contains(secret), () -> "the secret in " + f);
      }
    }
  }

  // --- the GitHub Action -----------------------------------------------------------------------

  private static JsonNode action() throws IOException {
    return YAML.readTree(ROOT.resolve("action.yml").toFile());
  }

  /**
   * The step's environment as the runner builds it from action.yml: each {@code env} entry of the
   * step is {@code ${{ inputs.NAME }}}, which is the given input or the input's default.
   */
  private Map<String, String> github(Map<String, String> inputs) throws IOException {
    JsonNode action = action();
    for (String name : inputs.keySet()) {
      assertTrue(action.at("/inputs").has(name), "not an input of action.yml: " + name);
    }
    Map<String, String> env = new LinkedHashMap<>();
    action
        .at("/runs/steps/0/env")
        .properties()
        .forEach(
            e -> {
              Matcher m = INPUT_REF.matcher(e.getValue().asText());
              assertTrue(m.matches(), "env " + e.getKey() + " is not an input: " + e.getValue());
              String input = m.group(1);
              env.put(
                  e.getKey(),
                  inputs.getOrDefault(
                      input, action.at("/inputs/" + input + "/default").asText("")));
            });
    Path runner = dir.resolve("runner");
    env.put("GITHUB_ACTIONS", "true");
    env.put("GITHUB_ACTION_PATH", ROOT.toString());
    env.put("GITHUB_WORKSPACE", dir.resolve("work").toString());
    env.put("GITHUB_OUTPUT", runner.resolve("output").toString());
    env.put("GITHUB_STEP_SUMMARY", runner.resolve("summary.md").toString());
    env.put("GITHUB_WORKFLOW_REF", WORKFLOW);
    env.put("RUNNER_TEMP", runner.resolve("temp").toString());
    env.put("PATGUARD_BRMS_URL", brms.baseUrl().toString());
    return env;
  }

  /**
   * Runs the action's step as action.yml does: {@code bash "$GITHUB_ACTION_PATH/action/run.sh"}.
   */
  private Run step(Map<String, String> env) throws IOException, InterruptedException {
    assertEquals(
        "bash \"$GITHUB_ACTION_PATH/action/run.sh\"", action().at("/runs/steps/0/run").asText());
    return bash(env, SCRIPT.toString());
  }

  @BeforeEach
  void runnerFiles() throws IOException {
    Files.createDirectories(dir.resolve("work"));
    Files.createDirectories(dir.resolve("runner/temp"));
    Files.writeString(dir.resolve("runner/output"), "");
    Files.writeString(dir.resolve("runner/summary.md"), "## earlier step\n\n");
  }

  /** $GITHUB_OUTPUT in its heredoc form: {@code name<<DELIM}, the value's lines, {@code DELIM}. */
  private Map<String, String> outputs() throws IOException {
    List<String> lines = Files.readAllLines(dir.resolve("runner/output"));
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int at = line.indexOf("<<");
      assertTrue(at > 0, "not the heredoc form: " + line);
      String delim = line.substring(at + 2);
      assertTrue(delim.matches("patguard_[0-9a-f]{32}"), "a random delimiter: " + delim);
      List<String> value = new ArrayList<>();
      while (!lines.get(++i).equals(delim)) {
        value.add(lines.get(i));
      }
      assertFalse(out.containsKey(line.substring(0, at)), "written once: " + line);
      out.put(line.substring(0, at), String.join("\n", value));
    }
    return out;
  }

  private String summary() throws IOException {
    return Files.readString(dir.resolve("runner/summary.md"), StandardCharsets.UTF_8);
  }

  @Test
  void actionWhenPermittedThenPermitOutputsSummaryAndAnEmptySarif() throws Exception {
    String secret =
        secret(
            brms.mint(
                s ->
                    s.permissions("releases:deploy")
                        .projects("web-shop")
                        .expiresIn(Duration.ofDays(30))));
    Map<String, String> env =
        github(
            Map.of(
                "requirements",
                "releases:deploy@web-shop\n\n  # the docs site next\n",
                "sarif",
                "reports/patguard.sarif"));
    env.put("PATGUARD_TOKEN", secret);

    Run r = step(env);

    assertEquals(0, r.code(), r::toString);
    String fp = SecretDigest.fingerprintOf(secret);
    assertTrue(r.stdout().startsWith("PERMIT: token " + fp), r::toString);
    assertFalse(r.stdout().contains("::"), "no annotation for a permit: " + r);
    assertEquals(
        Map.of("decision", "PERMIT", "exit-code", "0", "sarif-file", "reports/patguard.sarif"),
        outputs());
    String md = summary();
    assertTrue(md.startsWith("## earlier step\n\n### patguard check: PERMIT\n"), md);
    assertTrue(md.contains("| `releases:deploy@web-shop` | PERMIT |"), md);
    String sarif = Files.readString(dir.resolve("work/reports/patguard.sarif"));
    SarifSchema.assertUploadable(sarif);
    assertTrue(sarif.contains("\"results\" : [ ]"), sarif);
  }

  @Test
  void actionWhenDeniedThenExit1DenyAnnotationsSummaryAndSarif() throws Exception {
    String secret = secret(brms.mint(s -> s.permissions("releases:manage").projects("web-shop")));
    Map<String, String> env =
        github(
            Map.of(
                "requirements",
                "releases:deploy@web-shop\r\nreleases:manage@web-shop",
                "token-env",
                "BRMS_DEPLOY_TOKEN",
                "sarif",
                "patguard.sarif"));
    env.put("BRMS_DEPLOY_TOKEN", secret);
    brms.resetCounters();

    Run r = step(env);

    assertEquals(1, r.code(), r::toString);
    assertEquals(1, brms.totalRequests(), "one lookup for annotations, summary and SARIF");
    assertEquals("DENY", outputs().get("decision"));
    assertEquals("1", outputs().get("exit-code"));
    assertTrue(
        r.stdout()
            .contains(
                "::error file=.github/workflows/deploy.yml,line=1,title=patguard/missing-permission::"),
        r::toString);
    String md = summary();
    assertTrue(md.contains("### patguard check: DENY"), md);
    assertTrue(
        md.contains("| `releases:deploy@web-shop` | DENY | PERMISSION\\_MISSING releases:deploy |"),
        md);
    assertTrue(md.contains("| `releases:manage@web-shop` | PERMIT |"), md);
    String sarif = Files.readString(dir.resolve("work/patguard.sarif"));
    SarifSchema.assertUploadable(sarif);
    assertTrue(sarif.contains("\"ruleId\" : \"patguard/missing-permission\""), sarif);
  }

  @Test
  void actionWhenBrmsAnswers503ThenExit2Indeterminate() throws Exception {
    String secret = secret(brms.mint(s -> s.permissions("releases:deploy").projects("web-shop")));
    brms.inject(Endpoint.SELF_LIST, Fault.status(503));
    Map<String, String> env =
        github(Map.of("requirements", "releases:deploy@web-shop", "timeout", "2s"));
    env.put("PATGUARD_TOKEN", secret);

    Run r = step(env);

    assertEquals(2, r.code(), r::toString);
    assertEquals("INDETERMINATE", outputs().get("decision"));
    assertEquals("2", outputs().get("exit-code"));
    assertEquals("", outputs().get("sarif-file"), "no sarif input, no SARIF file");
    assertTrue(r.stdout().startsWith("INDETERMINATE: "), r::toString);
    assertTrue(r.stdout().contains("title=patguard/indeterminate::"), r::toString);
    assertTrue(summary().contains("| INDETERMINATE | BRMS\\_UNAVAILABLE"), summary());
  }

  @Test
  void actionWhenLeastPrivilegeAndTheTokenHoldsMoreThenExit1WithItsFindings() throws Exception {
    String secret =
        secret(
            brms.mint(
                s ->
                    s.permissions("releases:deploy", "releases:delete")
                        .allProjects(true)
                        .neverExpires()));
    Map<String, String> env =
        github(
            Map.of(
                "requirements", "releases:deploy@web-shop",
                "least-privilege", "true",
                "max-lifetime", "90d",
                "sarif", "patguard.sarif",
                "sarif-artifact", "deploy/gate.yml"));
    env.put("PATGUARD_TOKEN", secret);

    Run r = step(env);

    assertEquals(1, r.code(), r::toString);
    assertEquals("DENY", outputs().get("decision"));
    assertTrue(r.stdout().startsWith("DENY (not least privilege): "), r::toString);
    for (String rule : List.of("excess-permission", "excess-project", "never-expires")) {
      assertTrue(
          r.stdout().contains("file=deploy/gate.yml,line=1,title=patguard/" + rule + "::"),
          () -> rule + " in " + r);
      assertTrue(summary().contains("`patguard/" + rule + "`"), summary());
    }
    String sarif = Files.readString(dir.resolve("work/patguard.sarif"));
    SarifSchema.assertUploadable(sarif);
    assertTrue(sarif.contains("\"ruleId\" : \"patguard/excess-permission\""), sarif);
  }

  @Test
  void actionWhenInputsAreWrongThenExit64ErrorOutputsAndNoLookup() throws Exception {
    String secret = secret(brms.mint(s -> s.permissions("releases:deploy").projects("web-shop")));
    // Secrets pasted into token-env by mistake: one that is a valid variable name, one that is not.
    String nameLike =
        secret(brms.mint(s -> s.secret("pgZq8pL2mN4vR7tY1wX5cB9dF3gH6jK0sA").permissions("owner")));
    String notAName =
        secret(brms.mint(s -> s.secret("8Zq8pL2mN4vR7tY1wX5cB9dF3gH6jK0sA").permissions("owner")));
    brms.resetCounters();
    List<Map<String, String>> cases =
        List.of(
            Map.of("requirements", "\n  # nothing\n"),
            Map.of("requirements", "releases:deploy@web-shop", "token-env", nameLike),
            Map.of("requirements", "releases:deploy@web-shop", "token-env", notAName),
            Map.of("requirements", "releases:deploy@web-shop", "least-privilege", "yes"),
            Map.of("requirements", "releases:deploy@web-shop", "token-env", "NO_SUCH_VARIABLE"),
            Map.of("requirements", "releses:deploy@web-shop"));
    List<String> expected =
        List.of(
            "no requirements",
            "the variable named by token-env is not set (name not shown",
            "token-env must be the NAME of an environment variable",
            "least-privilege must be true or false, not 'yes'",
            "the variable NO_SUCH_VARIABLE named by token-env is not set",
            "did you mean releases:deploy?");
    for (int i = 0; i < cases.size(); i++) {
      Files.writeString(dir.resolve("runner/output"), "");
      Map<String, String> env = github(cases.get(i));
      env.put("PATGUARD_TOKEN", secret);

      Run r = step(env);

      assertEquals(64, r.code(), r::toString);
      assertTrue(r.stderr().contains(expected.get(i)), r::toString);
      assertEquals("ERROR", outputs().get("decision"), r::toString);
      assertEquals("64", outputs().get("exit-code"), r::toString);
    }
    assertEquals(0, brms.totalRequests(), "a usage error asks BRMS nothing");
  }

  // --- fetching the jar by its coordinates -----------------------------------------------------

  /**
   * A Maven repository holding patguard-cli-VERSION-all.jar and its .sha1, as a {@code file:} URL
   * (curl fetches it like an {@code https:} one).
   */
  private Path repository(String version, String sha1) throws IOException {
    Path repo = dir.resolve("maven2");
    Path folder = Files.createDirectories(repo.resolve("dev/patguard/patguard-cli/" + version));
    String name = "patguard-cli-" + version + "-all.jar";
    Files.copy(JAR, folder.resolve(name));
    Files.writeString(folder.resolve(name + ".sha1"), sha1);
    return repo;
  }

  private static void clean(Path repo) throws IOException {
    try (Stream<Path> s = Files.walk(repo)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static String digest(String algorithm, Path file)
      throws IOException, NoSuchAlgorithmException {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance(algorithm).digest(Files.readAllBytes(file)));
  }

  private Map<String, String> fetching(Path repo, Map<String, String> inputs) throws IOException {
    Map<String, String> all = new LinkedHashMap<>(inputs);
    all.put("requirements", "releases:deploy@web-shop");
    all.put("version", "9.8.7");
    all.put("repository-url", repo.toUri().toString());
    Map<String, String> env = github(all);
    // A checkout of the action without a built jar, as `uses: patguard/patguard@v0` gets it.
    Path action = Files.createDirectories(dir.resolve("action-checkout"));
    env.put("GITHUB_ACTION_PATH", action.toString());
    return env;
  }

  @Test
  void actionWhenNotBuiltHereThenFetchesTheJarByCoordinatesAndChecksItsSha1() throws Exception {
    String secret = secret(brms.mint(s -> s.permissions("releases:deploy").projects("web-shop")));
    Path repo = repository("9.8.7", digest("SHA-1", JAR) + "  patguard-cli-9.8.7-all.jar\n");
    try {
      Map<String, String> env = fetching(repo, Map.of());
      env.put("PATGUARD_TOKEN", secret);

      Run r = step(env);

      assertEquals(0, r.code(), r::toString);
      assertEquals("PERMIT", outputs().get("decision"));
      Path fetched = dir.resolve("runner/temp/patguard-9.8.7/patguard-cli-9.8.7-all.jar");
      assertEquals(digest("SHA-256", JAR), digest("SHA-256", fetched));
    } finally {
      clean(repo);
    }
  }

  @Test
  void actionWhenTheFetchedJarDoesNotMatchItsChecksumThenRefusesToRunIt() throws Exception {
    String secret = secret(brms.mint(s -> s.permissions("releases:deploy").projects("web-shop")));
    Path repo = repository("9.8.7", "0".repeat(40));
    try {
      brms.resetCounters();
      for (Map<String, String> inputs :
          List.of(Map.<String, String>of(), Map.of("jar-sha256", "ab".repeat(32)))) {
        Map<String, String> env = fetching(repo, inputs);
        env.put("PATGUARD_TOKEN", secret);
        Files.writeString(dir.resolve("runner/output"), "");

        Run r = step(env);

        assertEquals(64, r.code(), r::toString);
        assertTrue(r.stderr().contains("not running it"), r::toString);
        assertTrue(r.stdout().startsWith("::error title=patguard::"), r::toString);
        assertEquals("ERROR", outputs().get("decision"));
        assertFalse(
            Files.exists(dir.resolve("runner/temp/patguard-9.8.7/patguard-cli-9.8.7-all.jar")));
      }
      assertEquals(0, brms.totalRequests(), "the jar never ran");
    } finally {
      clean(repo);
    }
  }

  @Test
  void actionWhenThePinnedSha256MatchesThenRunsTheFetchedJar() throws Exception {
    String secret = secret(brms.mint(s -> s.permissions("releases:manage").projects("web-shop")));
    Path repo = repository("9.8.7", "not consulted");
    try {
      Map<String, String> env =
          fetching(repo, Map.of("jar-sha256", digest("SHA-256", JAR).toUpperCase()));
      env.put("PATGUARD_TOKEN", secret);

      Run r = step(env);

      assertEquals(1, r.code(), r::toString);
      assertEquals("DENY", outputs().get("decision"));
    } finally {
      clean(repo);
    }
  }

  // --- action.yml against its script -----------------------------------------------------------

  private static Set<String> scriptVariables() throws IOException {
    Matcher m = Pattern.compile("PATGUARD_GATE_[A-Z0-9_]+").matcher(Files.readString(SCRIPT));
    Set<String> names = new TreeSet<>();
    while (m.find()) {
      names.add(m.group());
    }
    return names;
  }

  @Test
  void actionYmlWhenParsedThenEveryScriptInputIsAnInputAndEveryOutputIsWritten() throws Exception {
    JsonNode action = action();
    assertEquals("composite", action.at("/runs/using").asText());
    assertEquals("gate", action.at("/runs/steps/0/id").asText());
    assertEquals("bash", action.at("/runs/steps/0/shell").asText());
    Set<String> mapped = new TreeSet<>();
    action.at("/runs/steps/0/env").fieldNames().forEachRemaining(mapped::add);
    Set<String> read = scriptVariables();
    // GitLab only: the text format, the dotenv and code quality reports; the action always
    // prints --format github and writes $GITHUB_OUTPUT.
    read.removeAll(
        Set.of("PATGUARD_GATE_FORMAT", "PATGUARD_GATE_DOTENV", "PATGUARD_GATE_CODEQUALITY"));
    assertEquals(read, mapped, "the script's inputs are exactly the step's env");
    Set<String> inputs = new TreeSet<>();
    action.at("/inputs").fieldNames().forEachRemaining(inputs::add);
    Set<String> used = new TreeSet<>();
    action
        .at("/runs/steps/0/env")
        .forEach(
            v -> {
              Matcher m = INPUT_REF.matcher(v.asText());
              assertTrue(m.matches(), v.asText());
              used.add(m.group(1));
            });
    assertEquals(inputs, used, "every input reaches the script");
    assertFalse(inputs.contains("token"), "the token is never an input");
    assertTrue(action.at("/inputs/requirements/required").asBoolean());
    assertEquals("PATGUARD_TOKEN", action.at("/inputs/token-env/default").asText());

    Set<String> outputs = new TreeSet<>();
    action
        .at("/outputs")
        .properties()
        .forEach(
            e -> {
              outputs.add(e.getKey());
              assertEquals(
                  "${{ steps.gate.outputs." + e.getKey() + " }}",
                  e.getValue().at("/value").asText());
            });
    assertEquals(Set.of("decision", "exit-code", "sarif-file"), outputs);
    // Written by a real run (a usage error is enough: every exit writes every output).
    Map<String, String> env = github(Map.of("requirements", ""));
    assertEquals(64, step(env).code());
    assertEquals(outputs, new TreeSet<>(outputs().keySet()));
  }

  @Test
  void templatesWhenReleasedThenTheirDefaultVersionIsThisOne() throws Exception {
    String version = System.getProperty("patguard.version", "").replace("-SNAPSHOT", "");
    assertFalse(version.isEmpty(), "failsafe passes patguard.version");
    assertEquals(version, action().at("/inputs/version/default").asText());
    JsonNode vars = gitlab().at("/.patguard-gate/variables");
    assertEquals(version, vars.at("/PATGUARD_GATE_VERSION").asText());
    assertEquals(
        "https://raw.githubusercontent.com/patguard/patguard/v" + version + "/action/run.sh",
        vars.at("/PATGUARD_GATE_SCRIPT_URL").asText());
  }

  @Test
  void scriptWhenReadThenNeverTouchesTheTokenValue() throws IOException {
    String script = Files.readString(SCRIPT);
    assertFalse(script.contains("${!"), "no indirect expansion: the token's value is not read");
    assertFalse(script.contains("set -x"), "no tracing of the command line");
    assertFalse(script.matches("(?s).*\\b(printenv|env)\\s*(\\||>|$).*"), "no environment dump");
    assertFalse(script.contains("add-mask"), "the secret is never printed, not even to mask it");
  }

  // --- the GitLab template ---------------------------------------------------------------------

  private static JsonNode gitlab() throws IOException {
    return YAML.readTree(ROOT.resolve("gitlab/patguard.gitlab-ci.yml").toFile());
  }

  /**
   * Runs the hidden job's {@code script:} lines in bash as a GitLab runner would: the template's
   * variables, overridden by the extending job's, plus GitLab's own, in $CI_PROJECT_DIR.
   */
  private Run gitlabJob(Map<String, String> jobVariables) throws IOException, InterruptedException {
    JsonNode job = gitlab().at("/.patguard-gate");
    Map<String, String> env = new LinkedHashMap<>();
    job.at("/variables").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
    env.put("CI", "true");
    env.put("GITLAB_CI", "true");
    env.put("CI_PROJECT_DIR", dir.resolve("work").toString());
    env.put("CI_CONFIG_PATH", ".gitlab-ci.yml");
    env.put("CI_JOB_NAME", "deploy-gate");
    env.put("PATGUARD_BRMS_URL", brms.baseUrl().toString());
    // Fetch this checkout's script, as the job fetches the release's.
    env.put("PATGUARD_GATE_SCRIPT_URL", SCRIPT.toUri().toString());
    env.put("PATGUARD_GATE_JAR", JAR.toString());
    env.putAll(jobVariables);
    StringBuilder script = new StringBuilder("set -e\n");
    job.at("/script").forEach(line -> script.append(line.asText()).append('\n'));
    Path file = dir.resolve("job.sh");
    Files.writeString(file, script);
    return bash(env, file.toString());
  }

  @Test
  void gitlabTemplateWhenDeniedThenExit1TextSarifOnTheCiConfigAndADotenvReport() throws Exception {
    String secret = secret(brms.mint(s -> s.permissions("releases:manage").projects("web-shop")));

    Run r =
        gitlabJob(
            Map.of(
                "PATGUARD_GATE_REQUIREMENTS",
                "releases:deploy@web-shop\nreleases:manage@web-shop\n",
                "PATGUARD_TOKEN",
                secret));

    assertEquals(1, r.code(), r::toString);
    assertTrue(
        r.stdout().startsWith("DENY: token " + SecretDigest.fingerprintOf(secret)), r::toString);
    assertFalse(r.stdout().contains("::"), "no GitHub workflow commands on GitLab: " + r);
    assertEquals(
        "PATGUARD_DECISION=DENY\nPATGUARD_EXIT_CODE=1\n",
        Files.readString(dir.resolve("work/patguard.env")));
    String sarif = Files.readString(dir.resolve("work/patguard.sarif"));
    SarifSchema.assertUploadable(sarif);
    assertTrue(sarif.contains("\"uri\" : \".gitlab-ci.yml\""), sarif);
    JsonNode quality = YAML.readTree(dir.resolve("work/gl-code-quality-report.json").toFile());
    assertEquals(1, quality.size(), quality::toString);
    assertEquals("patguard/missing-permission", quality.at("/0/check_name").asText());
    assertEquals("major", quality.at("/0/severity").asText());
    assertEquals(".gitlab-ci.yml", quality.at("/0/location/path").asText());
    assertEquals(1, quality.at("/0/location/lines/begin").asInt());
    assertTrue(
        quality.at("/0/description").asText().contains("lacks releases:deploy"), quality::toString);
    assertTrue(
        sarif.contains(
            "\"primaryLocationLineHash\" : \"" + quality.at("/0/fingerprint").asText() + "\""),
        "the same fingerprint as the SARIF result");
    JsonNode artifacts = gitlab().at("/.patguard-gate/artifacts");
    assertEquals("always", artifacts.at("/when").asText());
    assertEquals("patguard.sarif", artifacts.at("/paths/0").asText());
    assertEquals("patguard.env", artifacts.at("/reports/dotenv").asText());
    assertEquals(
        gitlab().at("/.patguard-gate/variables/PATGUARD_GATE_CODEQUALITY").asText(),
        artifacts.at("/reports/codequality").asText());
    assertEquals(
        gitlab().at("/.patguard-gate/variables/PATGUARD_GATE_SARIF").asText(),
        artifacts.at("/paths/0").asText(),
        "the artifact is the file the job writes");
  }

  @Test
  void gitlabTemplateWhenPermittedOrIndeterminateThenTheGateExitCode() throws Exception {
    String secret = secret(brms.mint(s -> s.permissions("releases:deploy").projects("web-shop")));
    Map<String, String> vars =
        Map.of(
            "PATGUARD_GATE_REQUIREMENTS", "releases:deploy@web-shop",
            "PATGUARD_TOKEN", secret,
            "PATGUARD_GATE_TIMEOUT", "2s");

    Run permit = gitlabJob(vars);
    brms.inject(Endpoint.SELF_LIST, Fault.status(503));
    Run indeterminate = gitlabJob(vars);

    assertEquals(0, permit.code(), permit::toString);
    assertEquals(2, indeterminate.code(), indeterminate::toString);
    assertEquals(
        "PATGUARD_DECISION=PERMIT\nPATGUARD_EXIT_CODE=0\n"
            + "PATGUARD_DECISION=INDETERMINATE\nPATGUARD_EXIT_CODE=2\n",
        Files.readString(dir.resolve("work/patguard.env")));
  }

  @Test
  void gitlabTemplateWhenTheFetchedScriptIsNotThePinnedOneThenExit64() throws Exception {
    String secret = secret(brms.mint(s -> s.permissions("releases:deploy").projects("web-shop")));
    brms.resetCounters();

    Run r =
        gitlabJob(
            Map.of(
                "PATGUARD_GATE_REQUIREMENTS",
                "releases:deploy@web-shop",
                "PATGUARD_TOKEN",
                secret,
                "PATGUARD_GATE_SCRIPT_SHA256",
                "0".repeat(64)));

    assertEquals(64, r.code(), r::toString);
    assertTrue(r.stderr().contains("does not have the SHA-256"), r::toString);
    assertEquals(0, brms.totalRequests());
  }
}
