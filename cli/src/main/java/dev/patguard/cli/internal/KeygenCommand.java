package dev.patguard.cli.internal;

import com.nimbusds.jose.jwk.ECKey;
import dev.patguard.cli.PatGuardCli;
import dev.patguard.receipt.ReceiptKeyException;
import dev.patguard.receipt.ReceiptKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code patguard keygen}: a receipt signing key. */
@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Writes a new ES256 (P-256) private JWK for signing receipts (owner read/write only) and its"
          + " public JWK set for verifiers.",
      "Never overwrites a file. Exit 0 written, 64 usage error."
    })
final class KeygenCommand extends ContextCommand {

  @Option(
      names = "--out",
      paramLabel = "FILE",
      required = true,
      description = "The private JWK file to create.")
  @SuppressWarnings("NullAway.Init")
  Path out;

  @Option(
      names = "--kid",
      paramLabel = "ID",
      description = "The key id (default: patguard-YYYY-MM-DD).")
  @Nullable String kid;

  @Option(
      names = "--public-out",
      paramLabel = "FILE",
      description = "The public JWK set file to create (default: the --out file plus .pub.json).")
  @Nullable Path publicOut;

  KeygenCommand(Context ctx) {
    super(ctx);
  }

  @Override
  public Integer call() {
    Path pub = publicOut != null ? publicOut : out.resolveSibling(out.getFileName() + ".pub.json");
    if (pub.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
      throw CliException.usage("--public-out must differ from --out");
    }
    if (Files.exists(pub)) {
      throw CliException.usage(
          "public key file " + pub + ": already exists; refusing to overwrite it");
    }
    String id =
        kid != null
            ? kid
            : "patguard-" + LocalDate.ofInstant(ctx.clock().instant(), ZoneOffset.UTC);
    ECKey key;
    try {
      key = ReceiptKeys.generateEs256(id);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--kid: " + e.getMessage(), e);
    }
    try {
      ReceiptKeys.write(out, key);
    } catch (ReceiptKeyException e) {
      throw CliException.usage(e.getMessage(), e);
    }
    try {
      Files.writeString(
          pub,
          ReceiptKeys.publicJwkSet(key).toString() + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE);
    } catch (FileAlreadyExistsException e) {
      throw CliException.usage(
          "public key file " + pub + ": already exists; refusing to overwrite it", e);
    } catch (IOException e) {
      throw CliException.usage("public key file " + pub + ": cannot be written: " + e, e);
    }
    Output o = ctx.output();
    o.line(
        "private signing key (kid "
            + id
            + ") written to "
            + out
            + " (owner read/write only):"
            + " use it with 'patguard check --receipt FILE --signing-key "
            + out
            + "'");
    o.line(
        "public JWK set written to "
            + pub
            + ": give it to verifiers ('patguard verify-receipt FILE --jwks "
            + pub
            + "')");
    return PatGuardCli.PERMIT;
  }
}
