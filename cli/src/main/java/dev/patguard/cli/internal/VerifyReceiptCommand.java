package dev.patguard.cli.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWKSet;
import dev.patguard.cli.PatGuardCli;
import dev.patguard.decision.DenyReason;
import dev.patguard.decision.Warning;
import dev.patguard.receipt.DecisionReceipts;
import dev.patguard.receipt.ReceiptKeyException;
import dev.patguard.receipt.ReceiptKeys;
import dev.patguard.receipt.ReceiptVerificationException;
import dev.patguard.receipt.ReceiptVerifier;
import dev.patguard.receipt.VerifiedReceipt;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code patguard verify-receipt}: checks a receipt written by {@code check --receipt}. */
@Command(
    name = "verify-receipt",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Checks a decision receipt's signature and validity period; prints the decision it attests.",
      "Exit 0 valid (whatever the decision it attests), 1 rejected (the reason is printed), 64 usage error."
    })
final class VerifyReceiptCommand extends ContextCommand {

  @Parameters(index = "0", paramLabel = "FILE", description = "The receipt (a compact JWS).")
  @SuppressWarnings("NullAway.Init")
  Path file;

  @Option(
      names = "--jwks",
      paramLabel = "FILE",
      required = true,
      description =
          "The public JWK set of the signing keys (keygen writes it beside the private key).")
  @SuppressWarnings("NullAway.Init")
  Path jwks;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "text or json (default: ${DEFAULT-VALUE}).")
  Formats.TextOrJson format = Formats.TextOrJson.TEXT;

  VerifyReceiptCommand(Context ctx) {
    super(ctx);
  }

  @Override
  public Integer call() {
    JWKSet keys;
    ReceiptVerifier verifier;
    try {
      keys = ReceiptKeys.readJwkSet(jwks);
      verifier = DecisionReceipts.verifier(keys, ctx.clock());
    } catch (ReceiptKeyException e) {
      throw CliException.usage(e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("JWK set " + jwks + ": " + e.getMessage(), e);
    }
    String jws = read(file);
    Output out = ctx.output();
    try {
      VerifiedReceipt r = verifier.verify(jws);
      if (format == Formats.TextOrJson.JSON) {
        out.json(toJson(r));
      } else {
        out.line("VALID receipt: " + r.describe());
      }
      return PatGuardCli.PERMIT;
    } catch (ReceiptVerificationException e) {
      if (format == Formats.TextOrJson.JSON) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("valid", false);
        o.put("reason", e.reason().name());
        o.put("message", e.getMessage());
        o.put("exitCode", PatGuardCli.DENY);
        out.json(o);
      } else {
        out.line("REJECTED " + e.getMessage());
      }
      return PatGuardCli.DENY;
    }
  }

  private static String read(Path file) {
    try {
      if (Files.isDirectory(file)) {
        throw CliException.usage("receipt file " + file + ": is a directory");
      }
      if (Files.size(file) > 4L * ReceiptVerifier.MAX_RECEIPT_LENGTH) {
        throw CliException.usage("receipt file " + file + ": too large to be a receipt");
      }
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw CliException.usage("receipt file " + file + ": not found", e);
    } catch (IOException e) {
      throw CliException.usage("receipt file " + file + ": cannot be read: " + e, e);
    }
  }

  private static ObjectNode toJson(VerifiedReceipt r) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("valid", true);
    o.put("decision", r.outcome().name());
    ArrayNode reasons = o.putArray("reasons");
    for (DenyReason x : r.reasons()) {
      reasons.addObject().put("code", x.code().name()).put("detail", x.detail());
    }
    if (r.cause() != null) {
      o.put("cause", r.cause().name());
      o.put("detail", r.detail());
    }
    ArrayNode warnings = o.putArray("warnings");
    for (Warning w : r.warnings()) {
      warnings.addObject().put("code", w.code().name()).put("detail", w.detail());
    }
    ArrayNode reqs = o.putArray("requirements");
    r.requirements().forEach(reqs::add);
    ObjectNode token = o.putObject("token");
    token.put("fingerprint", r.fingerprint());
    token.put("id", r.tokenId() == null ? null : r.tokenId().toString());
    token.put("ownerId", r.ownerId() == null ? null : r.ownerId().toString());
    o.put("issuer", r.issuer());
    o.put("issuedAt", r.issuedAt().toString());
    o.put("expiresAt", r.expiresAt().toString());
    o.put("receiptId", r.id());
    o.put("keyId", r.keyId());
    o.put("explanation", r.describe());
    o.put("exitCode", PatGuardCli.PERMIT);
    return o;
  }
}
