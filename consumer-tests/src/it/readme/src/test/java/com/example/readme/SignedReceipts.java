package com.example.readme;

// snippet:start sign-and-verify
import com.nimbusds.jose.jwk.ECKey;
import dev.patguard.receipt.DecisionReceipts;
import dev.patguard.receipt.ReceiptKeys;
import dev.patguard.receipt.ReceiptVerifier;
import dev.patguard.receipt.VerifiedReceipt;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
// snippet:end sign-and-verify
import dev.patguard.decision.Decision;
import dev.patguard.decision.Requirement;
import dev.patguard.receipt.ReceiptVerificationException;

/** README.md, "Signed decision receipts". */
class SignedReceipts {
  static VerifiedReceipt signAndVerify(Decision decision, Requirement requirement)
      throws ReceiptVerificationException {
    // snippet:start sign-and-verify
    ECKey key = ReceiptKeys.generateEs256("receipts-2026");           // or ReceiptKeys.readSigningKey(path)
    ReceiptKeys.write(Path.of("receipt-key.jwk"), key);                // private JWK, rw------- on POSIX
    DecisionReceipts receipts = DecisionReceipts.builder()
        .signingKey(key).lifetime(Duration.ofMinutes(15)).issuer("patguard").build();
    String jws = receipts.sign(decision, List.of(requirement));

    ReceiptVerifier verifier = DecisionReceipts.verifier(ReceiptKeys.publicJwkSet(key), Clock.systemUTC())
        .maxClockSkew(Duration.ofSeconds(60));                         // the default
    VerifiedReceipt r = verifier.verify(jws);                          // throws ReceiptVerificationException
    System.out.println(r.describe());
    // snippet:end sign-and-verify
    return r;
  }
}
