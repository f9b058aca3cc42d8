package dev.patguard.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The built fat jar, demo/target/patguard-demo.jar, in its own java process (failsafe, after
 * package).
 */
class PatGuardDemoJarIT {
  private static final Path JAR =
      Path.of(System.getProperty("patguard.demo.jar", "target/patguard-demo.jar"));
  private static final Pattern TOKEN_DIR =
      Pattern.compile("The tokens are in (\\S+) \\(owner-only files\\)");

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
    // Jetty's SLF4J is bound to JUL (slf4j-jdk14) and kept at WARNING: no "No SLF4J providers"
    // warning, no start-up INFO lines; the scenario table is the whole output.
    assertEquals("", stderr, "nothing on standard error");
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
    assertTrue(stdout.contains("demo: every scenario behaved as expected"), stdout);
    assertFalse(
        Pattern.compile("[A-Za-z0-9]{40}").matcher(stdout + stderr).find(),
        "something secret-shaped was printed");
  }

  @Test
  void serveWhenStoppedBySigtermThenDeletesTheTokenFilesAndExits0() throws Exception {
    Serving demo = Serving.start();

    // SIGTERM, as Process.destroy() sends, but without closing our end of the demo's stdout.
    assertTrue(demo.process().toHandle().destroy(), "SIGTERM not sent");

    demo.assertStoppedCleanly();
  }

  @Test
  void serveWhenStoppedBySigintThenDeletesTheTokenFilesAndExits0() throws Exception {
    Serving demo = Serving.start();
    // A child started from a non-interactive shell may inherit SIGINT as ignored; then the JVM
    // keeps ignoring it and there is nothing to test.
    assumeFalse(demo.ignoresSigint(), "SIGINT is ignored in this environment (inherited SIG_IGN)");

    Process kill =
        new ProcessBuilder("kill", "-INT", Long.toString(demo.process().pid())).inheritIO().start();
    assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -INT failed");

    demo.assertStoppedCleanly();
  }

  /** {@code java -jar patguard-demo.jar --serve}, read until it says it is serving. */
  private record Serving(Process process, Path tokens, BlockingQueue<String> lines, Path err) {
    private static final String END = "\u0000end of output";

    static Serving start() throws Exception {
      assertTrue(Files.isRegularFile(JAR), "built by package: " + JAR.toAbsolutePath());
      Path err = Files.createTempFile("patguard-demo-err", ".txt");
      Process p =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-jar",
                  JAR.toString(),
                  "--serve")
              .redirectError(err.toFile())
              .start();
      BlockingQueue<String> lines = new LinkedBlockingQueue<>();
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader r = p.inputReader(StandardCharsets.UTF_8)) {
                  for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                  }
                } catch (IOException e) {
                  lines.add("(reading stdout failed: " + e + ")");
                } finally {
                  lines.add(END);
                }
              },
              "demo-stdout");
      reader.setDaemon(true);
      reader.start();
      StringBuilder seen = new StringBuilder();
      while (true) {
        String line = lines.poll(120, TimeUnit.SECONDS);
        if (line == null || line.equals(END)) {
          p.destroyForcibly();
          throw new AssertionError("the demo never said it was serving:\n" + seen);
        }
        seen.append(line).append('\n');
        Matcher dir = TOKEN_DIR.matcher(line);
        if (dir.find()) {
          Path tokens = Path.of(dir.group(1));
          try (Stream<Path> files = Files.list(tokens)) {
            assertEquals(6, files.count(), "token files written before the serving line");
          }
          return new Serving(p, tokens, lines, err);
        }
      }
    }

    /** Whether the child's signal mask ignores SIGINT (Linux: /proc/PID/status, SigIgn bit 1). */
    boolean ignoresSigint() throws IOException {
      for (String line :
          Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
        if (line.startsWith("SigIgn:")) {
          return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & 0b10) != 0;
        }
      }
      return false;
    }

    void assertStoppedCleanly() throws Exception {
      boolean stopped = process.waitFor(30, TimeUnit.SECONDS);
      if (!stopped) {
        process.destroyForcibly();
      }
      List<String> rest = new ArrayList<>();
      for (String line; (line = lines.poll(10, TimeUnit.SECONDS)) != null && !line.equals(END); ) {
        rest.add(line);
      }
      String stderr = Files.readString(err, StandardCharsets.UTF_8);
      Files.delete(err);
      assertTrue(stopped, "the demo did not stop on the signal");
      assertEquals(0, process.exitValue(), () -> rest + stderr);
      assertFalse(Files.exists(tokens), "the token directory outlived the demo: " + tokens);
      assertTrue(
          rest.contains("demo: stopped; deleted the token files in " + tokens), rest::toString);
      assertFalse(stderr.contains("SLF4J"), stderr);
      assertFalse(
          Pattern.compile("[A-Za-z0-9]{40}").matcher(String.join("\n", rest) + stderr).find(),
          "something secret-shaped was printed");
    }
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
