package dev.patguard.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patguard.cli.CliEnvironment;
import dev.patguard.cli.PatGuardCli;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The quick start's main job, run as a newcomer would, minus the terminal. */
class DemoCommandTest {
  /** fake-brms mints 40-character base62 secrets; none may reach the output. */
  private static final Pattern SECRET_SHAPE = Pattern.compile("[A-Za-z0-9]{40}");

  private static final Pattern TOKEN_DIR =
      Pattern.compile("The tokens are in (\\S+) \\(owner-only files\\)");

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final CliEnvironment env =
      CliEnvironment.builder()
          .variables(Map.of())
          .stdin(new ByteArrayInputStream(new byte[0]))
          .stdout(new PrintStream(out, true, StandardCharsets.UTF_8))
          .stderr(new PrintStream(err, true, StandardCharsets.UTF_8))
          .clock(Clock.systemUTC())
          .build();

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void demoWhenRunThenEveryScenarioGetsItsStatusAndExitIsZero() {
    int code = PatGuardDemo.run(env);

    String table = stdout();
    assertEquals(PatGuardCli.PERMIT, code, table + err.toString(StandardCharsets.UTF_8));
    for (String row :
        List.of(
            "POST /api/projects/web-shop/releases/deploy.*ci-deployer.*202",
            "POST /api/projects/web-shop/releases/deploy.*docs-bot.*403 +insufficient_scope: PROJECT_OUT_OF_SCOPE web-shop",
            "undeploy.*ci-deployer.*403 +insufficient_scope: PERMISSION_MISSING environments:manage",
            "old-deployer.*401 +invalid_token",
            "ex-employee.*401 +invalid_token",
            "\\(none\\) +401",
            "GET /health.*200",
            "DELETE /api/projects/web-shop.*403",
            "release-bot.*503")) {
      assertTrue(
          Pattern.compile(row).matcher(table).find(),
          () -> "no row like /" + row + "/ in:\n" + table);
    }
    assertTrue(table.contains("ci-deployer: exit 0  token "), table);
    assertTrue(
        table.contains("is not scoped to project web-shop; it has releases:deploy on docs-site"),
        table);
    assertTrue(table.contains("legacy-ci: NOT least privilege"), table);
    assertTrue(table.contains("verified: PERMIT"), table);
    assertTrue(table.contains("rejected, BAD_SIGNATURE"), table);
    assertTrue(table.contains("demo: every scenario behaved as expected"), table);
    Matcher secret = SECRET_SHAPE.matcher(table + err.toString(StandardCharsets.UTF_8));
    // Name a leak by position and fingerprint only: the failure message must not repeat it.
    assertFalse(
        secret.find(),
        () ->
            "something secret-shaped was printed at offset "
                + secret.start()
                + " (fingerprint "
                + dev.patguard.token.SecretDigest.fingerprintOf(secret.group())
                + ")");
  }

  @Test
  void demoWhenServingThenTokensGoToOwnerOnlyFilesNotTheTerminalAndAreDeletedAfter()
      throws Exception {
    DemoCommand demo = new DemoCommand(env);
    Map<Path, String> seen = new LinkedHashMap<>(); // file -> permissions, while serving
    List<String> secrets = new ArrayList<>();
    // Instead of waiting for Ctrl-C: look at the files while serving, then return.
    demo.awaitStop =
        () -> {
          Matcher dir = TOKEN_DIR.matcher(stdout());
          assertTrue(dir.find(), stdout());
          try (Stream<Path> files = Files.list(Path.of(dir.group(1)))) {
            for (Path f : files.toList()) {
              secrets.add(Files.readString(f).strip());
              seen.put(f, PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        };

    int code = PatGuardDemo.run(demo, "--serve");

    String text = stdout();
    assertEquals(PatGuardCli.PERMIT, code, text);
    assertEquals(6, seen.size(), seen::toString);
    seen.forEach((f, mode) -> assertEquals("rw-------", mode, f.toString()));
    for (String secret : secrets) {
      assertFalse(text.contains(secret), "a token's secret was printed");
    }
    Matcher dir = TOKEN_DIR.matcher(text);
    assertTrue(dir.find(), text);
    assertFalse(Files.exists(Path.of(dir.group(1))), "the token directory outlived the run");
    assertTrue(text.contains("curl -i -X POST -H \"Authorization: Bearer $(cat "), text);
  }

  @Test
  void demoWhenPortOutOfRangeThenUsageErrorOnOneLine() {
    int code = PatGuardDemo.run(env, "--serve", "--port", "70000");

    String errors = err.toString(StandardCharsets.UTF_8);
    assertEquals(PatGuardCli.USAGE, code, errors);
    assertEquals(
        "patguard-demo: error: --port must be between 0 and 65535, got 70000 (see 'patguard-demo --help')",
        errors.strip());
    assertEquals("", stdout(), "nothing started");
  }

  @Test
  void demoWhenGivenAnUnknownOptionWithAValueThenNamesTheOptionOnly() {
    int code = PatGuardDemo.run(env, "--token=s3cret-value");

    String errors = err.toString(StandardCharsets.UTF_8);
    assertEquals(PatGuardCli.USAGE, code, errors);
    assertTrue(errors.contains("'--token=…' (value not shown)"), errors);
    assertFalse(errors.contains("s3cret-value"), errors);
  }
}
