package dev.patguard.fakebrms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link FakeBrmsMain#main} in a child JVM: options, errors, exit status and shutdown. */
class FakeBrmsMainTest {

  private static final String DATA =
      "{\"users\":[{\"email\":\"admin@acme.test\",\"admin\":true,"
          + "\"tokens\":[{\"secret\":\"admin-secret\"}]}]}";

  record Run(int code, String stdout, String stderr) {}

  private static ProcessBuilder java(Path dir, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(classPathOfThisRun());
    cmd.add(FakeBrmsMain.class.getName());
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).directory(dir.toFile());
  }

  private static Run run(Path dir, String... args) throws IOException, InterruptedException {
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    Process p = java(dir, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "fake-brms did not finish");
    return new Run(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static void assertOneErrorLine(Run r, String fragment) {
    assertEquals(64, r.code(), r::toString);
    assertEquals("", r.stdout(), r::toString);
    List<String> lines = r.stderr().lines().toList();
    assertEquals(1, lines.size(), r::toString);
    assertTrue(lines.get(0).startsWith("fake-brms: "), r::toString);
    assertTrue(lines.get(0).contains(fragment), r::toString);
  }

  @Test
  void mainWhenHelpThenUsageOnStdoutAndExit0(@TempDir Path dir) throws Exception {
    Run r = run(dir, "--help");
    Run h = run(dir, "--port", "0", "-h");

    assertEquals(0, r.code(), r::toString);
    assertTrue(r.stdout().startsWith("usage: "), r::toString);
    assertTrue(r.stdout().contains("--port N") && r.stdout().contains("--data FILE"), r::toString);
    assertEquals("", r.stderr(), r::toString);
    assertEquals(0, h.code(), h::toString);
    assertEquals(r.stdout(), h.stdout());
  }

  @Test
  void mainWhenOptionBadThenOneLineAndExit64(@TempDir Path dir) throws Exception {
    assertOneErrorLine(run(dir, "--verbose"), "unknown option: --verbose");
    assertOneErrorLine(run(dir, "--port"), "--port needs a value");
    assertOneErrorLine(run(dir, "--port", "eighty"), "--port must be a number: 'eighty'");
    assertOneErrorLine(run(dir, "--port=70000"), "port must be between 0 and 65535: 70000");
  }

  @Test
  void mainWhenDataFileMissingThenOneLineAndExit64(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("nope.json");

    assertOneErrorLine(run(dir, "--data", missing.toString()), "data file not found: " + missing);
    assertOneErrorLine(run(dir, "--data", dir.toString()), "not a regular file");
  }

  @Test
  void mainWhenDataBadThenOneLineNamingThePathAndExit64(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("brms.json");
    Files.writeString(
        file,
        "{\"users\":[{\"email\":\"a@acme.test\",\"tokens\":[{\"secret\":\"s3cr3t-value\","
            + "\"expiresIn\":\"P30X\"}]}]}");
    Path notJson = dir.resolve("broken.json");
    Files.writeString(notJson, "{\"users\": [\n");

    Run r = run(dir, "--data=" + file);
    assertOneErrorLine(
        r, "bad fake-brms data in " + file + " at $.users[0].tokens[0].expiresIn: not an ISO-8601");
    assertFalse(r.stderr().contains("s3cr3t-value"), r::toString);
    assertOneErrorLine(run(dir, "--data", notJson.toString()), "at $: not valid JSON");
  }

  @Test
  void mainWhenPortTakenThenOneLineAndExit69(@TempDir Path dir) throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));

      Run r = run(dir, "--port", Integer.toString(taken.getLocalPort()));

      assertEquals(69, r.code(), r::toString);
      assertEquals(1, r.stderr().lines().count(), r::toString);
      assertTrue(r.stderr().startsWith("fake-brms: fake-brms cannot bind 127.0.0.1:"), r::toString);
    }
  }

  @Test
  void mainWhenSigtermThenExit0AndPortFree(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("brms.json");
    Files.writeString(file, DATA);
    Process p = java(dir, "--data", file.toString()).redirectErrorStream(true).start();
    int port = awaitListening(p);

    p.destroy(); // SIGTERM on Unix

    assertTrue(p.waitFor(20, TimeUnit.SECONDS), "fake-brms did not stop on SIGTERM");
    assertEquals(0, p.exitValue());
    assertPortFree(port);
  }

  @Test
  void mainWhenSigintThenExit0AndPortFree(@TempDir Path dir) throws Exception {
    assumeTrue(!System.getProperty("os.name").startsWith("Windows"), "kill -INT is Unix");
    Process p = java(dir).redirectErrorStream(true).start();
    int port = awaitListening(p);

    Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start();

    assertTrue(kill.waitFor(20, TimeUnit.SECONDS));
    assertEquals(0, kill.exitValue());
    assertTrue(p.waitFor(20, TimeUnit.SECONDS), "fake-brms did not stop on SIGINT");
    assertEquals(0, p.exitValue());
    assertPortFree(port);
  }

  /** Reads the first line, asks the server for a token list, and returns its port. */
  private static int awaitListening(Process p) throws Exception {
    String line =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))
            .readLine();
    try {
      assertTrue(
          line != null && line.matches("fake-brms listening on http://127\\.0\\.0\\.1:\\d+"), line);
      return URI.create(line.substring("fake-brms listening on ".length())).getPort();
    } catch (AssertionError e) {
      p.destroyForcibly();
      throw e;
    }
  }

  private static void assertPortFree(int port) throws IOException {
    try (ServerSocket again = new ServerSocket()) {
      again.setReuseAddress(true);
      again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }
  }

  /** This JVM's class path and module path as one class path: tests run patched into the module. */
  private static String classPathOfThisRun() {
    String modulePath = System.getProperty("jdk.module.path", "");
    String classPath = System.getProperty("java.class.path", "");
    return modulePath.isEmpty() ? classPath : modulePath + File.pathSeparator + classPath;
  }
}
