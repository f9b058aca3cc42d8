package dev.patguard.receipt;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReceiptKeysTest {
  @TempDir Path dir;

  @Test
  void generateEs256WhenCalledThenP256SigningKeyWithKid() {
    ECKey key = ReceiptKeys.generateEs256("receipts-2026");
    assertAll(
        () -> assertEquals(Curve.P_256, key.getCurve()),
        () -> assertEquals(KeyUse.SIGNATURE, key.getKeyUse()),
        () -> assertEquals(JWSAlgorithm.ES256, key.getAlgorithm()),
        () -> assertEquals("receipts-2026", key.getKeyID()),
        () -> assertTrue(key.isPrivate()));
  }

  @Test
  void generateEs256WhenKeyIdBlankThenRejected() {
    assertThrows(IllegalArgumentException.class, () -> ReceiptKeys.generateEs256(" "));
  }

  @Test
  void writeWhenReadBackThenSameKey() {
    ECKey key = ReceiptKeys.generateEs256("k1");
    Path file = dir.resolve("receipt-key.jwk");
    ReceiptKeys.write(file, key);
    assertEquals(key, ReceiptKeys.readJwk(file));
    assertEquals(key, ReceiptKeys.readSigningKey(file));
    assertEquals(key.toPublicJWK(), ReceiptKeys.readJwkSet(file).getKeys().get(0).toPublicJWK());
  }

  @Test
  void writeWhenPosixFileSystemThenOwnerOnlyPermissions() throws Exception {
    assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
    Path file = dir.resolve("receipt-key.jwk");
    ReceiptKeys.write(file, ReceiptKeys.generateEs256("k1"));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  void writeWhenFileExistsThenRefusesToOverwrite() throws Exception {
    Path file = dir.resolve("receipt-key.jwk");
    Files.writeString(file, "keep me");
    ReceiptKeyException e =
        assertThrows(
            ReceiptKeyException.class,
            () -> ReceiptKeys.write(file, ReceiptKeys.generateEs256("k1")));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    assertEquals("keep me", Files.readString(file));
  }

  @Test
  void writeWhenDirectoryMissingThenNamesFile() {
    Path file = dir.resolve("no-such-dir").resolve("receipt-key.jwk");
    ReceiptKeyException e =
        assertThrows(
            ReceiptKeyException.class,
            () -> ReceiptKeys.write(file, ReceiptKeys.generateEs256("k1")));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  @Test
  void readJwkWhenFileMissingThenNamesFile() {
    Path file = dir.resolve("missing.jwk");
    ReceiptKeyException e =
        assertThrows(ReceiptKeyException.class, () -> ReceiptKeys.readJwk(file));
    assertEquals("receipt key file " + file + ": not found", e.getMessage());
    assertEquals(file.toString(), e.file());
  }

  @Test
  void readJwkWhenBadJsonThenNamesFileWithoutQuotingIt() throws Exception {
    Path file = dir.resolve("broken.jwk");
    Files.writeString(file, "{\"kty\":\"EC\", \"d\":\"PRIVATE-BITS\"");
    ReceiptKeyException e =
        assertThrows(ReceiptKeyException.class, () -> ReceiptKeys.readJwk(file));
    assertTrue(
        e.getMessage().startsWith("receipt key file " + file + ": is not JSON"), e.getMessage());
    assertFalse(e.getMessage().contains("PRIVATE-BITS"), e.getMessage());
  }

  @Test
  void readJwkSetWhenBadJsonThenNamesFile() throws Exception {
    Path file = dir.resolve("keys.json");
    Files.writeString(file, "not json at all");
    ReceiptKeyException e =
        assertThrows(ReceiptKeyException.class, () -> ReceiptKeys.readJwkSet(file));
    assertTrue(
        e.getMessage().contains(file.toString()) && e.getMessage().contains("not JSON"),
        e.getMessage());
  }

  @Test
  void readJwkWhenNotUtf8ThenNamesFile() throws Exception {
    Path file = dir.resolve("binary.jwk");
    Files.write(file, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
    ReceiptKeyException e =
        assertThrows(ReceiptKeyException.class, () -> ReceiptKeys.readJwk(file));
    assertTrue(
        e.getMessage().contains(file.toString()) && e.getMessage().contains("not JSON"),
        e.getMessage());
  }

  @Test
  void readJwkWhenJsonButNotJwkThenNamesFile() throws Exception {
    Path file = dir.resolve("other.json");
    Files.writeString(file, "{\"name\":\"not a key\"}");
    ReceiptKeyException e =
        assertThrows(ReceiptKeyException.class, () -> ReceiptKeys.readJwk(file));
    assertTrue(
        e.getMessage().startsWith("receipt key file " + file + ": is not a JWK"), e.getMessage());
  }

  @Test
  void readJwkWhenDirectoryThenNamesIt() {
    ReceiptKeyException e = assertThrows(ReceiptKeyException.class, () -> ReceiptKeys.readJwk(dir));
    assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
  }

  @Test
  void readSigningKeyWhenPublicOnlyThenNamesFileAndPrivatePart() throws Exception {
    Path file = dir.resolve("public.jwk");
    Files.writeString(file, ReceiptKeys.generateEs256("k1").toPublicJWK().toJSONString());
    ReceiptKeyException e =
        assertThrows(ReceiptKeyException.class, () -> ReceiptKeys.readSigningKey(file));
    assertTrue(e.getMessage().startsWith("receipt key file " + file + ": "), e.getMessage());
    assertTrue(e.getMessage().contains("no private part"), e.getMessage());
  }

  @Test
  void readJwkSetWhenPublicSetOfTwoKeysThenReadsBoth() throws Exception {
    Path file = dir.resolve("receipt-keys.json");
    JWKSet set = new JWKSet(List.of(Fixtures.KEY_1.toPublicJWK(), Fixtures.KEY_2.toPublicJWK()));
    Files.writeString(file, set.toString(), StandardCharsets.UTF_8);
    JWKSet read = ReceiptKeys.readJwkSet(file);
    assertEquals(2, read.size());
    assertEquals(Fixtures.KEY_1.toPublicJWK(), read.getKeyByKeyId("k1"));
    assertFalse(read.getKeyByKeyId("k2").isPrivate());
  }

  @Test
  void readJwkWhenSetOfTwoKeysThenExplainsOneExpected() throws Exception {
    Path file = dir.resolve("receipt-keys.json");
    Files.writeString(file, new JWKSet(List.of(Fixtures.KEY_1, Fixtures.KEY_2)).toString());
    ReceiptKeyException e =
        assertThrows(ReceiptKeyException.class, () -> ReceiptKeys.readJwk(file));
    assertTrue(e.getMessage().contains("2 keys"), e.getMessage());
  }

  @Test
  void readJwkSetWhenEmptySetThenRejected() throws Exception {
    Path file = dir.resolve("empty.json");
    Files.writeString(file, "{\"keys\":[]}");
    ReceiptKeyException e =
        assertThrows(ReceiptKeyException.class, () -> ReceiptKeys.readJwkSet(file));
    assertTrue(e.getMessage().contains("empty"), e.getMessage());
  }

  @Test
  void publicJwkSetWhenPrivateKeyThenHoldsOnlyThePublicPart() {
    JWKSet set = ReceiptKeys.publicJwkSet(Fixtures.KEY_1);
    JWK only = set.getKeys().get(0);
    assertFalse(only.isPrivate());
    assertEquals("k1", only.getKeyID());
    assertFalse(set.toString(false).contains("\"d\""), "no private member in the serialized set");
  }
}
