package dev.patguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.MintedToken;
import dev.patguard.fakebrms.MutableClock;
import dev.patguard.token.SecretDigest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keygen → check --receipt → verify-receipt, through the real entry point. */
class ReceiptCommandsTest {
  private final MutableClock clock = MutableClock.at("2026-11-29T12:00:00Z");
  private final CliHarness cli = new CliHarness(clock);
  @TempDir Path dir;
  private FakeBrms brms;
  private MintedToken manager;
  private Path key;
  private Path jwks;

  @BeforeEach
  void start() {
    brms = FakeBrms.builder().clock(clock).start();
    manager = brms.mint(s -> s.permissions("releases:manage").projects("web-shop"));
    cli.env("PATGUARD_BRMS_URL", brms.baseUrl().toString());
    cli.env("PATGUARD_TOKEN", cli.secret(manager.secret()));
    key = dir.resolve("receipt-key.jwk");
    jwks = dir.resolve("receipt-key.jwk.pub.json");
  }

  @AfterEach
  void stop() {
    brms.close();
  }

  private Path keygenAndCheck() {
    CliHarness.Result gen = cli.run("keygen", "--out", key.toString(), "--kid", "ci-2026");
    assertEquals(0, gen.code(), gen::toString);
    Path receipt = dir.resolve("receipt.jws");
    CliHarness.Result check =
        cli.run(
            "check",
            "--require",
            "releases:deploy@web-shop",
            "--receipt",
            receipt.toString(),
            "--signing-key",
            key.toString());
    assertEquals(1, check.code(), check::toString);
    assertTrue(check.stdout().contains("receipt: " + receipt), check::toString);
    return receipt;
  }

  @Test
  void keygenWhenRunThenPrivateKeyOwnerOnlyAndPublicSetBeside() throws IOException {
    CliHarness.Result r = cli.run("keygen", "--out", key.toString(), "--kid", "ci-2026");

    assertEquals(0, r.code(), r::toString);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    assertTrue(Files.readString(key).contains("\"d\""), "the private part");
    String pub = Files.readString(jwks);
    assertTrue(pub.contains("\"keys\"") && pub.contains("ci-2026") && !pub.contains("\"d\""), pub);
    assertTrue(r.stdout().contains(jwks.toString()), r::toString);
  }

  @Test
  void keygenWhenFileExistsThenExit64AndNothingOverwritten() throws IOException {
    Files.writeString(key, "keep me");

    CliHarness.Result r = cli.run("keygen", "--out", key.toString());

    assertEquals(64, r.code(), r::toString);
    assertEquals("keep me", Files.readString(key));
  }

  @Test
  void verifyReceiptWhenWrittenByCheckThenValidAndAttestsTheDeny() {
    Path receipt = keygenAndCheck();

    CliHarness.Result r = cli.run("verify-receipt", receipt.toString(), "--jwks", jwks.toString());

    assertEquals(0, r.code(), r::toString);
    assertTrue(
        r.stdout()
            .startsWith(
                "VALID receipt: DENY token "
                    + SecretDigest.fingerprintOf(manager.secret())
                    + " for releases:deploy@web-shop: PERMISSION_MISSING releases:deploy"),
        r::toString);
  }

  @Test
  void verifyReceiptWhenJsonThenDecisionFields() {
    Path receipt = keygenAndCheck();

    CliHarness.Result r =
        cli.run(
            "verify-receipt", receipt.toString(), "--jwks", jwks.toString(), "--format", "json");

    JsonNode j = r.json();
    assertTrue(j.get("valid").asBoolean());
    assertEquals("DENY", j.get("decision").asText());
    assertEquals("PERMISSION_MISSING", j.get("reasons").get(0).get("code").asText());
    assertEquals(manager.id().toString(), j.get("token").get("id").asText());
    assertEquals("ci-2026", j.get("keyId").asText());
    assertEquals(0, j.get("exitCode").asInt());
  }

  @Test
  void verifyReceiptWhenTamperedThenExit1WithReason() throws IOException {
    Path receipt = keygenAndCheck();
    String[] parts = Files.readString(receipt).strip().split("\\.");
    String payload =
        new String(java.util.Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
            .replace("\"DENY\"", "\"PERMIT\"")
            .replaceAll(",?\\{\"code\":\"PERMISSION_MISSING\"[^}]*\\}", "");
    String forged =
        parts[0]
            + "."
            + java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8))
            + "."
            + parts[2];
    Files.writeString(receipt, forged);

    CliHarness.Result r = cli.run("verify-receipt", receipt.toString(), "--jwks", jwks.toString());

    assertEquals(1, r.code(), r::toString);
    assertTrue(r.stdout().startsWith("REJECTED receipt rejected (BAD_SIGNATURE)"), r::toString);
  }

  @Test
  void verifyReceiptWhenExpiredThenExit1() {
    Path receipt = keygenAndCheck();
    clock.advance(Duration.ofHours(1));

    CliHarness.Result r = cli.run("verify-receipt", receipt.toString(), "--jwks", jwks.toString());

    assertEquals(1, r.code(), r::toString);
    assertTrue(r.stdout().contains("EXPIRED"), r::toString);
  }

  @Test
  void verifyReceiptWhenFilesMissingThenExit64() {
    CliHarness.Result noReceipt =
        cli.run("verify-receipt", dir.resolve("none.jws").toString(), "--jwks", jwks.toString());
    assertEquals(64, noReceipt.code(), noReceipt::toString);

    Path receipt = keygenAndCheck();
    CliHarness.Result noKeys =
        cli.run(
            "verify-receipt", receipt.toString(), "--jwks", dir.resolve("none.json").toString());
    assertEquals(64, noKeys.code(), noKeys::toString);
    assertTrue(noKeys.stderr().contains("none.json"), noKeys::toString);

    CliHarness.Result noJwksOption = cli.run("verify-receipt", receipt.toString());
    assertEquals(64, noJwksOption.code(), noJwksOption::toString);
  }

  @Test
  void checkWhenSigningKeyUnreadableThenExit64BeforeAnyLookup() {
    CliHarness.Result r =
        cli.run(
            "check",
            "--require",
            "releases:deploy@web-shop",
            "--receipt",
            dir.resolve("r.jws").toString(),
            "--signing-key",
            dir.resolve("missing.jwk").toString());

    assertEquals(64, r.code(), r::toString);
    assertTrue(r.stderr().contains("missing.jwk"), r::toString);
    assertEquals(0, brms.totalRequests());
  }
}
