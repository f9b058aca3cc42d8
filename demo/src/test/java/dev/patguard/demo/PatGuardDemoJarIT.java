package dev.patguard.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The built fat jar, demo/target/patguard-demo.jar, in its own java process (failsafe, after
 * package).
 */
class PatGuardDemoJarIT {
  private static final Path JAR =
      Path.of(System.getProperty("patguard.demo.jar", "target/patguard-demo.jar"));

  @Test
  void demoWhenRunFromTheJarThenPrintsTheTableAndExits0() throws Exception {
    assertTrue(Files.isRegularFile(JAR), "built by package: " + JAR.toAbsolutePath());
    Path out = Files.createTempFile("patguard-demo-out", ".txt");
    Path err = Files.createTempFile("patguard-demo-err", ".txt");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                JAR.toString())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "patguard-demo.jar did not finish");
    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    Files.delete(out);
    Files.delete(err);

    assertEquals(0, p.exitValue(), stdout + stderr);
    assertTrue(
        stdout.contains(
            "#   request                                                 token                    status reason"),
        stdout);
    for (String row :
        List.of(
            "1   POST /api/projects/web-shop/releases/deploy",
            "10  POST /api/projects/web-shop/releases/deploy")) {
      assertTrue(stdout.contains(row), () -> "no row " + row + " in:\n" + stdout);
    }
    // Jetty's SLF4J is bound to JUL (slf4j-jdk14) and kept at WARNING: no "No SLF4J providers"
    // warning, no start-up INFO lines; the scenario table is the whole output.
    assertEquals("", stderr, "nothing on standard error");
    assertTrue(stdout.contains("demo: every scenario behaved as expected"), stdout);
    assertFalse(
        Pattern.compile("[A-Za-z0-9]{40}").matcher(stdout + stderr).find(),
        "something secret-shaped was printed");
  }

  @Test
  void jarWhenBuiltThenRunsTheDemo() throws Exception {
    try (JarFile jar = new JarFile(JAR.toFile())) {
      assertEquals(
          "dev.patguard.demo.PatGuardDemo",
          jar.getManifest().getMainAttributes().getValue("Main-Class"));
    }
  }
}
