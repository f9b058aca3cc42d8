package dev.patguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.MintedToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The built fat jar, cli/target/patguard.jar, in its own java process (failsafe, after package).
 */
class PatGuardJarIT {
  private static final Path JAR =
      Path.of(System.getProperty("patguard.jar", "target/patguard.jar"));

  record Run(int code, String stdout, String stderr) {}

  static Run java(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    return java(List.of(), env, args);
  }

  /** Runs the jar with {@code jvmOptions} (such as {@code -verbose:class}) before {@code -jar}. */
  static Run java(List<String> jvmOptions, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.add("-jar");
    cmd.add(JAR.toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    // The child's environment, not this JVM's; without a CI runner's variables of its own.
    pb.environment()
        .keySet()
        .removeAll(List.of("GITHUB_STEP_SUMMARY", "GITHUB_WORKFLOW_REF", "CI_CONFIG_PATH"));
    pb.environment().putAll(env);
    Path out = Files.createTempFile("patguard-out", ".txt");
    Path err = Files.createTempFile("patguard-err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "patguard.jar did not finish");
    Run r =
        new Run(
            p.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
    Files.delete(out);
    Files.delete(err);
    return r;
  }

  @Test
  void versionWhenRunFromTheJarThenExit0() throws Exception {
    assertTrue(Files.isRegularFile(JAR), "built by package: " + JAR.toAbsolutePath());

    Run r = java(Map.of(), "--version");

    assertEquals(0, r.code(), r::toString);
    assertTrue(r.stdout().startsWith("patguard "), r::toString);
    assertEquals("", r.stderr(), "no SLF4J or other warning at start-up");
  }

  @Test
  void jarWhenBuiltThenExecutableAndWithoutDependencySignatures() throws IOException {
    try (JarFile jar = new JarFile(JAR.toFile())) {
      assertEquals(
          "dev.patguard.cli.PatGuardCli",
          jar.getManifest().getMainAttributes().getValue("Main-Class"));
      jar.stream()
          .forEach(
              e ->
                  assertFalse(
                      e.getName().matches("META-INF/[^/]*\\.(SF|DSA|RSA|EC)"), e.getName()));
    }
  }

  @Test
  void jarWhenBuiltThenHoldsNoServletContainerAndNoSampleOrDemoCode() throws IOException {
    List<String> strays = new ArrayList<>();
    try (JarFile jar = new JarFile(JAR.toFile())) {
      jar.stream()
          .map(e -> e.getName())
          .filter(
              n ->
                  n.startsWith("org/eclipse/jetty/")
                      || n.startsWith("jakarta/servlet/")
                      || n.startsWith("dev/patguard/samples/")
                      || n.startsWith("dev/patguard/demo/")
                      || n.startsWith("dev/patguard/servlet/")
                      || n.startsWith("dev/patguard/fakebrms/"))
          .forEach(strays::add);
    }
    assertEquals(
        List.of(),
        strays,
        "the gate jar holds the gate only: core, receipts, picocli and their libraries");
  }

  @Test
  void checkWhenRunFromTheJarThenDecidesAgainstBrms() throws Exception {
    try (FakeBrms brms = FakeBrms.builder().start()) {
      MintedToken t = brms.mint(s -> s.permissions("releases:manage").projects("web-shop"));

      Run deny =
          java(
              Map.of("PATGUARD_TOKEN", t.secret(), "PATGUARD_BRMS_URL", brms.baseUrl().toString()),
              "check",
              "--require",
              "releases:deploy@web-shop",
              "--format",
              "json");
      Run refused =
          java(Map.of(), "check", "--token=" + t.secret(), "--require", "releases:deploy@web-shop");
      Run down =
          java(
              Map.of("PATGUARD_TOKEN", t.secret()),
              "check",
              "--brms-url",
              "http://127.0.0.1:1",
              "--require",
              "releases:deploy@web-shop");

      assertEquals(1, deny.code(), deny::toString);
      assertTrue(deny.stdout().contains("\"decision\" : \"DENY\""), deny::toString);
      assertEquals(64, refused.code(), refused::toString);
      assertEquals(2, down.code(), down::toString);
      // Only the CLI's own lines (a progress line may appear on a slow machine), no log records
      // from core.
      assertTrue(
          down.stderr().lines().allMatch(line -> line.startsWith("patguard: ")),
          "no JUL noise from core without --debug: " + down);
      for (Run r : List.of(deny, refused, down)) {
        assertFalse(r.stderr().contains("SLF4J"), r::toString);
        assertFalse(
            r.stdout().contains(t.secret()) || r.stderr().contains(t.secret()), r::toString);
      }
    }
  }

  @Test
  void checkWhenRunFromTheJarAsAGitHubStepThenUploadableSarifAnnotationsAndSummary()
      throws Exception {
    try (FakeBrms brms = FakeBrms.builder().start()) {
      MintedToken t = brms.mint(s -> s.permissions("releases:manage").projects("web-shop"));
      Path summary = Files.createTempFile("step-summary", ".md");
      Map<String, String> step =
          Map.of(
              "PATGUARD_TOKEN",
              t.secret(),
              "PATGUARD_BRMS_URL",
              brms.baseUrl().toString(),
              "GITHUB_WORKFLOW_REF",
              "acme/web-shop/.github/workflows/deploy.yml@refs/heads/main",
              "GITHUB_STEP_SUMMARY",
              summary.toString());

      Run sarif = java(step, "check", "--require", "releases:deploy@web-shop", "--format", "sarif");
      Run github =
          java(step, "check", "--require", "releases:deploy@web-shop", "--format", "github");

      assertEquals(1, sarif.code(), sarif::toString);
      SarifSchema.assertUploadable(sarif.stdout());
      assertTrue(
          sarif.stdout().contains("\"uri\" : \".github/workflows/deploy.yml\""), sarif::toString);
      assertEquals(1, github.code(), github::toString);
      assertTrue(
          github
              .stdout()
              .contains(
                  "::error file=.github/workflows/deploy.yml,line=1,title=patguard/missing-permission::"),
          github::toString);
      String md = Files.readString(summary, StandardCharsets.UTF_8);
      Files.delete(summary);
      assertTrue(md.startsWith("### patguard check: DENY"), md);
      for (String out :
          List.of(sarif.stdout(), sarif.stderr(), github.stdout(), github.stderr(), md)) {
        assertFalse(out.contains(t.secret()), out);
      }
    }
  }
}
