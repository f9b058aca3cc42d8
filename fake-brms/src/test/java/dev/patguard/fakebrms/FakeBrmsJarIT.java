package dev.patguard.fakebrms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attached runnable jar, target/patguard-fake-brms-VERSION-all.jar, in its own java process
 * (failsafe, after package): {@code java -jar} with nothing else on the class path.
 */
class FakeBrmsJarIT {

  private static final Path JAR =
      Path.of(
          System.getProperty("fakebrms.jar", "target/patguard-fake-brms-0.1.0-SNAPSHOT-all.jar"));

  private static ProcessBuilder java(String... args) {
    assertTrue(Files.isRegularFile(JAR), "built by package: " + JAR.toAbsolutePath());
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-jar");
    cmd.add(JAR.toString());
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd);
  }

  @Test
  void helpWhenRunFromTheJarThenUsageAndExit0(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    Process p = java("--help").redirectOutput(out.toFile()).redirectError(err.toFile()).start();

    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "did not finish");
    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), stdout + stderr);
    assertTrue(stdout.startsWith("usage: java -jar patguard-fake-brms-"), stdout);
    assertEquals("", stderr);
  }

  @Test
  void dataWhenRunFromTheJarThenServesTheTokenListAndStopsOnSigterm(@TempDir Path dir)
      throws Exception {
    Path data = dir.resolve("brms.json");
    Files.writeString(
        data,
        "{\"projects\": [{\"key\": \"web-shop\", \"name\": \"Web shop\"}],"
            + " \"users\": [{\"email\": \"ci@acme.test\", \"serviceAccount\": true,"
            + " \"tokens\": [{\"secret\": \"ci-secret\", \"note\": \"ci deploy\","
            + " \"permissions\": [\"releases:deploy\"], \"projects\": [\"web-shop\"],"
            + " \"expiresIn\": \"P30D\"}]}]}");
    Path err = dir.resolve("err.txt");
    Process p = java("--port", "0", "--data", data.toString()).redirectError(err.toFile()).start();
    try {
      String line =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))
              .readLine();
      assertTrue(
          line != null && line.matches("fake-brms listening on http://127\\.0\\.0\\.1:\\d+"), line);
      URI base = URI.create(line.substring("fake-brms listening on ".length()));

      HttpResponse<String> list =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(base.resolve("/api/personal-access-tokens"))
                      .header("Authorization", "Bearer ci-secret")
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());

      assertEquals(200, list.statusCode(), list::body);
      assertTrue(list.body().startsWith("[") && list.body().contains("\"ci deploy\""), list.body());
      assertFalse(list.body().contains("ci-secret"), "the list never shows a secret");
    } finally {
      p.destroy();
      assertTrue(p.waitFor(20, TimeUnit.SECONDS), "did not stop on SIGTERM");
    }
    assertEquals(0, p.exitValue());
    // No "SLF4J(W): No SLF4J providers were found": the jar holds no SLF4J, nor any other log.
    assertEquals("", Files.readString(err, StandardCharsets.UTF_8), "nothing on standard error");
  }

  @Test
  void jarWhenBuiltThenRunnableWithDependenciesAndNoModuleDescriptorsOrSignatures()
      throws IOException {
    try (JarFile jar = new JarFile(JAR.toFile())) {
      assertEquals(
          "dev.patguard.fakebrms.FakeBrmsMain",
          jar.getManifest().getMainAttributes().getValue("Main-Class"));
      assertTrue(jar.getEntry("com/fasterxml/jackson/databind/ObjectMapper.class") != null);
      assertTrue(jar.getEntry("dev/patguard/fakebrms/FakeBrms.class") != null);
      List<String> strays =
          jar.stream()
              .map(e -> e.getName())
              .filter(
                  n ->
                      n.endsWith("module-info.class")
                          || n.matches("META-INF/[^/]*\\.(SF|DSA|RSA|EC)"))
              .toList();
      assertEquals(List.of(), strays);
    }
  }
}
