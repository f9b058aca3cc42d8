package dev.patguard.receipt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Making, reading and writing receipt keys: ES256 (P-256 EC) keys as JWK files.
 *
 * <p>The signer keeps the private JWK (written with owner-only permissions where the file system
 * has POSIX permissions); verifiers get the public JWK set ({@link #publicJwkSet(JWK)}). Every
 * error is a {@link ReceiptKeyException} naming the file, without key material.
 */
public final class ReceiptKeys {
  /** The largest key file read; a JWK set of a few keys is a few kilobytes. */
  static final long MAX_FILE_SIZE = 1024 * 1024;

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private ReceiptKeys() {}

  /**
   * A new P-256 EC key for signing receipts: {@code use} sig, {@code alg} ES256, {@code kid} {@code
   * keyId}.
   *
   * @param keyId the key id verifiers will look the key up by; not blank
   * @return a new key pair, private part included: write it with {@link #write(Path, JWK)}, never
   *     log it
   * @throws IllegalArgumentException if {@code keyId} is blank
   */
  public static ECKey generateEs256(String keyId) {
    Objects.requireNonNull(keyId, "keyId must not be null");
    if (keyId.isBlank()) {
      throw new IllegalArgumentException("keyId must not be blank");
    }
    try {
      return new ECKeyGenerator(Curve.P_256)
          .keyUse(KeyUse.SIGNATURE)
          .algorithm(JWSAlgorithm.ES256)
          .keyID(keyId)
          .generate();
    } catch (JOSEException e) {
      throw new IllegalStateException("generating a P-256 key failed", e);
    }
  }

  /**
   * Reads one JWK from {@code file} (a JWK set holding exactly one key is accepted too).
   *
   * @param file a UTF-8 JSON file of at most 1 MiB
   * @return the key as the file holds it, private part included if present; not checked for use
   * @throws ReceiptKeyException naming the file if it is missing, unreadable, not JSON or not a JWK
   */
  public static JWK readJwk(Path file) {
    Map<String, Object> json = readJsonObject(file);
    if (json.containsKey("keys")) {
      List<JWK> keys = parseSet(file, json).getKeys();
      if (keys.size() != 1) {
        throw new ReceiptKeyException(
            file, "holds a JWK set of " + keys.size() + " keys; expected a single JWK");
      }
      return keys.get(0);
    }
    return parseJwk(file, json);
  }

  /**
   * Reads a JWK set ({@code {"keys":[...]}}) from {@code file}; a file holding a single JWK is read
   * as a set of one.
   *
   * @param file a UTF-8 JSON file of at most 1 MiB
   * @return the set, at least one key; for {@link DecisionReceipts#verifier}
   * @throws ReceiptKeyException naming the file if it is missing, unreadable, not JSON, not a JWK
   *     set, or empty
   */
  public static JWKSet readJwkSet(Path file) {
    Map<String, Object> json = readJsonObject(file);
    JWKSet set = json.containsKey("keys") ? parseSet(file, json) : new JWKSet(parseJwk(file, json));
    if (set.isEmpty()) {
      throw new ReceiptKeyException(file, "holds an empty JWK set");
    }
    return set;
  }

  /**
   * Reads the private key to sign receipts with, checking that it can sign: a P-256 EC key with its
   * private part and a {@code kid}.
   *
   * @param file a UTF-8 JSON file holding one private JWK
   * @return the key, ready for {@link DecisionReceipts.Builder#signingKey}
   * @throws ReceiptKeyException naming the file if it cannot be read or cannot sign receipts
   */
  public static ECKey readSigningKey(Path file) {
    JWK jwk = readJwk(file);
    try {
      return checkSigningKey(jwk);
    } catch (IllegalArgumentException e) {
      throw new ReceiptKeyException(file, e.getMessage());
    }
  }

  /**
   * Writes {@code jwk}, private part included, to a new file readable and writable by its owner
   * only ({@code rw-------}) when the file system has POSIX permissions. Elsewhere the file gets
   * the directory's default permissions: keep it in a directory only its owner can read.
   *
   * @param file the path of the new file; its directory must exist
   * @param jwk the key, written as one line of JSON and a newline
   * @throws ReceiptKeyException naming the file if it exists already (a key is never overwritten)
   *     or cannot be written
   */
  public static void write(Path file, JWK jwk) {
    Objects.requireNonNull(file, "file must not be null");
    Objects.requireNonNull(jwk, "jwk must not be null");
    byte[] bytes = (jwk.toJSONString() + "\n").getBytes(StandardCharsets.UTF_8);
    boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
    FileAttribute<?>[] attrs =
        posix
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
            : new FileAttribute<?>[0];
    try (SeekableByteChannel out =
        Files.newByteChannel(
            file, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attrs)) {
      if (posix) {
        // The creation mode is masked by the umask; set it explicitly as well, before any key byte.
        Files.setPosixFilePermissions(file, OWNER_ONLY);
      }
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        out.write(buf);
      }
    } catch (FileAlreadyExistsException e) {
      throw new ReceiptKeyException(file, "already exists; refusing to overwrite a key file", e);
    } catch (NoSuchFileException e) {
      throw new ReceiptKeyException(file, "cannot be created: its directory does not exist", e);
    } catch (AccessDeniedException e) {
      throw new ReceiptKeyException(file, "cannot be created: permission denied", e);
    } catch (IOException e) {
      throw new ReceiptKeyException(file, "cannot be written: " + e, e);
    }
  }

  /**
   * The public half of {@code jwk}, as a JWK set for verifiers.
   *
   * @param jwk a key pair or a public key
   * @return a set of one key, with no private part: safe to publish
   * @throws IllegalArgumentException if {@code jwk} has no public part (a symmetric key)
   */
  public static JWKSet publicJwkSet(JWK jwk) {
    Objects.requireNonNull(jwk, "jwk must not be null");
    JWK pub = jwk.toPublicJWK();
    if (pub == null) {
      throw new IllegalArgumentException("a " + jwk.getKeyType() + " key has no public part");
    }
    return new JWKSet(pub);
  }

  /** Checks that {@code jwk} can sign receipts; the message says what is wrong. */
  static ECKey checkSigningKey(JWK jwk) {
    Objects.requireNonNull(jwk, "signing key must not be null");
    ECKey ec = checkEs256Key(jwk, "signing key");
    if (!ec.isPrivate()) {
      throw new IllegalArgumentException(
          "signing key "
              + ec.getKeyID()
              + " has no private part; signing needs the private JWK (the file written by keygen),"
              + " verifying needs only the public one");
    }
    return ec;
  }

  /** Checks that {@code jwk} is an ES256 key with a kid; returns it as an EC key. */
  static ECKey checkEs256Key(JWK jwk, String role) {
    if (jwk instanceof OctetKeyPair) {
      throw new IllegalArgumentException(
          role
              + " is an OKP (EdDSA) key: EdDSA receipts are not"
              + " offered, because Nimbus JOSE+JWT implements Ed25519 with Google Tink, which"
              + " patguard does not depend on; use an ES256 (P-256 EC) key");
    }
    if (!(jwk instanceof ECKey ec)) {
      throw new IllegalArgumentException(
          role
              + " is a "
              + jwk.getKeyType()
              + " key; receipts are signed with ES256 and need a P-256 EC key");
    }
    if (!Curve.P_256.equals(ec.getCurve())) {
      throw new IllegalArgumentException(
          role + " is on curve " + ec.getCurve() + "; ES256 needs P-256");
    }
    if (ec.getKeyID() == null || ec.getKeyID().isBlank()) {
      throw new IllegalArgumentException(role + " has no kid; receipts name their key by kid");
    }
    if (ec.getAlgorithm() != null && !JWSAlgorithm.ES256.equals(ec.getAlgorithm())) {
      throw new IllegalArgumentException(
          role + " " + ec.getKeyID() + " is for algorithm " + ec.getAlgorithm() + ", not ES256");
    }
    if (ec.getKeyUse() != null && !KeyUse.SIGNATURE.equals(ec.getKeyUse())) {
      throw new IllegalArgumentException(
          role + " " + ec.getKeyID() + " has use " + ec.getKeyUse().identifier() + ", not sig");
    }
    return ec;
  }

  private static Map<String, Object> readJsonObject(Path file) {
    Objects.requireNonNull(file, "file must not be null");
    String text;
    try {
      if (Files.isDirectory(file)) {
        throw new ReceiptKeyException(file, "is a directory, not a JWK file");
      }
      if (Files.size(file) > MAX_FILE_SIZE) {
        throw new ReceiptKeyException(
            file, "is larger than " + MAX_FILE_SIZE + " bytes; not a JWK");
      }
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
              .toString();
    } catch (NoSuchFileException e) {
      throw new ReceiptKeyException(file, "not found", e);
    } catch (AccessDeniedException e) {
      throw new ReceiptKeyException(file, "cannot be read: permission denied", e);
    } catch (CharacterCodingException e) {
      throw new ReceiptKeyException(file, "is not JSON (not UTF-8 text)", e);
    } catch (IOException e) {
      throw new ReceiptKeyException(file, "cannot be read: " + e, e);
    }
    try {
      return JSONObjectUtils.parse(text);
    } catch (ParseException e) {
      // The parser's message may quote the file's content (key material): leave it out.
      throw new ReceiptKeyException(
          file, "is not JSON (expected a JWK object such as" + " {\"kty\":\"EC\",...})");
    }
  }

  private static JWK parseJwk(Path file, Map<String, Object> json) {
    try {
      return JWK.parse(json);
    } catch (ParseException e) {
      throw new ReceiptKeyException(file, "is not a JWK: " + e.getMessage());
    }
  }

  private static JWKSet parseSet(Path file, Map<String, Object> json) {
    try {
      return JWKSet.parse(json);
    } catch (ParseException e) {
      throw new ReceiptKeyException(file, "is not a JWK set: " + e.getMessage());
    }
  }
}
