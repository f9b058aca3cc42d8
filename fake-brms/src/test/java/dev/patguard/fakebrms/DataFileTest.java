package dev.patguard.fakebrms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DataFileTest {

  private static final Instant START = Instant.parse("2026-11-29T12:00:00Z");

  private static final String GOOD =
      "{\"projects\":[{\"key\":\"web-shop\",\"name\":\"Web shop\"},{\"key\":\"api\"}],"
          + "\"users\":[{\"email\":\"ci@acme.test\",\"status\":\"active\",\"serviceAccount\":true,\"admin\":false,"
          + "\"tokens\":[{\"secret\":\"ci-secret-1\",\"note\":\"deploy\",\"permissions\":[\"releases:deploy\"],"
          + "\"allProjects\":false,\"projects\":[\"web-shop\"],\"expiresIn\":\"P30D\"},"
          + "{\"secret\":\"ci-secret-2\",\"neverExpires\":true,\"canReadOwnTokens\":false},"
          + "{\"secret\":\"ci-secret-3\",\"expiresAt\":\"2026-01-01T00:00:00Z\"}]},"
          + "{\"email\":\"admin@acme.test\",\"admin\":true,\"tokens\":[{\"secret\":\"admin-secret\"}]}]}";

  private static FakeBrms load(String json) {
    return FakeBrms.builder()
        .clock(new MutableClock(START))
        .loadData(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)))
        .start();
  }

  @Test
  void loadWhenFileValidThenProjectsUsersAndTokensServed(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("brms.json");
    Files.writeString(file, GOOD);

    try (FakeBrms brms = FakeBrms.builder().clock(new MutableClock(START)).load(file).start()) {
      assertEquals(
          List.of("web-shop", "api"), brms.projects().stream().map(FakeProject::key).toList());
      assertEquals("api", brms.project("api").orElseThrow().name(), "name defaults to the key");
      FakeUser ci = brms.users().get(0);
      assertEquals("ci@acme.test", ci.email());
      assertTrue(ci.isService());
      assertFalse(ci.admin());
      assertTrue(brms.users().get(1).admin());
      List<FakeToken> tokens = brms.tokensOf(ci.id());
      assertEquals(3, tokens.size());
      assertEquals(START.plus(Duration.ofDays(30)), tokens.get(0).expiresAt());
      assertEquals(List.of("releases:deploy"), tokens.get(0).permissions());
      assertEquals("web-shop", tokens.get(0).projects().get(0).key());
      assertNull(tokens.get(1).expiresAt());
      assertFalse(tokens.get(1).canReadOwnTokens());
      assertEquals(Instant.parse("2026-01-01T00:00:00Z"), tokens.get(2).expiresAt());

      assertEquals(
          200, Http.get(brms, "/api/projects/web-shop/releases", "ci-secret-1").statusCode());
      assertEquals(403, Http.get(brms, "/api/personal-access-tokens", "ci-secret-2").statusCode());
      assertEquals(401, Http.get(brms, "/api/personal-access-tokens", "ci-secret-3").statusCode());
      assertEquals(
          200,
          Http.get(
                  brms, "/api/users/service/" + ci.id() + "/personal-access-tokens", "admin-secret")
              .statusCode());
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "[]                                                                      | $",
        "{\"project\":[]}                                                        | $.project",
        "{\"projects\":{}}                                                       | $.projects",
        "{\"projects\":[{\"name\":\"x\"}]}                                       | $.projects[0].key",
        "{\"projects\":[{\"key\":\"a\"},{\"key\":\"a\"}]}                        | $.projects[1].key",
        "{\"users\":[{\"status\":\"active\"}]}                                   | $.users[0].email",
        "{\"users\":[{\"email\":\"a@b\",\"admin\":\"yes\"}]}                     | $.users[0].admin",
        "{\"users\":[{\"email\":\"a@b\",\"id\":\"42\"}]}                         | $.users[0].id",
        "{\"users\":[{\"email\":\"a@b\",\"tokens\":[{}]}]}                       | $.users[0].tokens[0].secret",
        "{\"users\":[{\"email\":\"a@b\",\"tokens\":[{\"secret\":\"s\",\"expiresIn\":\"P30X\"}]}]} | $.users[0].tokens[0].expiresIn",
        "{\"users\":[{\"email\":\"a@b\",\"tokens\":[{\"secret\":\"s\",\"expiresAt\":\"soon\"}]}]} | $.users[0].tokens[0].expiresAt",
        "{\"users\":[{\"email\":\"a@b\",\"tokens\":[{\"secret\":\"s\",\"projects\":[\"nope\"]}]}]} | $.users[0].tokens[0].projects[0]",
        "{\"users\":[{\"email\":\"a@b\",\"tokens\":[{\"secret\":\"s\",\"permissions\":[\"a\",2]}]}]} | $.users[0].tokens[0].permissions[1]",
        "{\"users\":[{\"email\":\"a@b\",\"tokens\":[{\"secret\":\"s\"},{\"secret\":\"s\"}]}]} | $.users[0].tokens[1].secret",
        "{\"users\":[{\"email\":\"a@b\",\"tokens\":[{\"secret\":\"s\",\"expiresIn\":\"P1D\",\"neverExpires\":true}]}]} | $.users[0].tokens[0]",
        "{\"users\":[{\"email\":\"a@b\"},{\"email\":\"a@b\"}]}                   | $.users[1]",
      })
  void loadDataWhenValueBadThenExceptionNamesJsonPath(String json, String path) {
    DataFileException e = assertThrows(DataFileException.class, () -> load(json).close());

    assertEquals(path, e.jsonPath(), e.getMessage());
    assertTrue(
        e.getMessage().startsWith("bad fake-brms data in <stream> at " + path + ": "),
        e.getMessage());
  }

  @Test
  void loadDataWhenNotJsonThenExceptionAtRoot() {
    DataFileException e = assertThrows(DataFileException.class, () -> load("{\"projects\": ["));

    assertEquals("$", e.jsonPath());
    assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
  }

  @Test
  void loadDataWhenSecretDuplicatedThenMessageDoesNotEchoIt() {
    DataFileException e =
        assertThrows(
            DataFileException.class,
            () ->
                load(
                    "{\"users\":[{\"email\":\"a@b\",\"tokens\":[{\"secret\":\"hush-hush\"},{\"secret\":\"hush-hush\"}]}]}"));

    assertFalse(e.getMessage().contains("hush-hush"), e.getMessage());
  }

  @Test
  void loadWhenFileMissingThenUncheckedIOException(@TempDir Path dir) {
    assertThrows(
        UncheckedIOException.class, () -> FakeBrms.builder().load(dir.resolve("missing.json")));
  }

  @Test
  void mainWhenRunWithDataFileThenPrintsUrlAndServesTokens(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("brms.json");
    Files.writeString(file, GOOD);
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classPathOfThisRun(),
                FakeBrmsMain.class.getName(),
                "--port",
                "0",
                "--data",
                file.toString())
            .redirectErrorStream(true)
            .start();
    try {
      String line =
          new BufferedReader(
                  new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
              .readLine();
      assertTrue(
          line != null && line.matches("fake-brms listening on http://127\\.0\\.0\\.1:\\d+"), line);
      URI base = URI.create(line.substring("fake-brms listening on ".length()));
      HttpResponse<String> response =
          Http.CLIENT.send(
              HttpRequest.newBuilder(base.resolve("/api/personal-access-tokens"))
                  .header("Authorization", "Bearer admin-secret")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode());
      assertFalse(line.contains("secret"));
    } finally {
      process.destroy();
      assertTrue(process.waitFor(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void readmeExampleWhenLoadedThenServesWhatTheReadmeSays() throws Exception {
    String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
    int section = readme.indexOf("## The data file");
    int start = readme.indexOf("```json\n", section) + "```json\n".length();
    String json = readme.substring(start, readme.indexOf("```", start));

    try (FakeBrms brms = load(json)) {
      HttpResponse<String> list =
          Http.get(brms, "/api/personal-access-tokens", "ci-deploy-secret-change-me");
      assertEquals(200, list.statusCode());
      assertEquals(2, Http.json(list).size(), list.body());
      assertFalse(list.body().contains("secret-change-me"), list.body());
      assertEquals(
          200,
          Http.get(brms, "/api/projects/web-shop/releases", "ci-deploy-secret-change-me")
              .statusCode());
      assertEquals(
          200,
          Http.get(
                  brms,
                  "/api/users/service/6f1c2a9e-3b7d-4c55-9e0a-2d8f4b1c7a10/personal-access-tokens",
                  "admin-secret-change-me")
              .statusCode());
      assertEquals(
          401, Http.get(brms, "/api/personal-access-tokens", "ci-old-secret").statusCode());
    }
  }

  @Test
  void configureWhenArgumentsBadThenRejected() {
    assertThrows(
        IllegalArgumentException.class, () -> FakeBrmsMain.configure(new String[] {"--port"}));
    assertThrows(
        IllegalArgumentException.class, () -> FakeBrmsMain.configure(new String[] {"--port", "x"}));
    assertThrows(
        IllegalArgumentException.class,
        () -> FakeBrmsMain.configure(new String[] {"--port", "70000"}));
    assertThrows(
        IllegalArgumentException.class, () -> FakeBrmsMain.configure(new String[] {"--verbose"}));
  }

  /** This JVM's class path and module path as one class path: tests run patched into the module. */
  private static String classPathOfThisRun() {
    String modulePath = System.getProperty("jdk.module.path", "");
    String classPath = System.getProperty("java.class.path", "");
    return modulePath.isEmpty() ? classPath : modulePath + java.io.File.pathSeparator + classPath;
  }
}
