package com.example.readme;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patguard.PatGuard;
import dev.patguard.decision.Decision;
import dev.patguard.decision.Requirement;
import dev.patguard.junit.FakeBrmsServer;
import dev.patguard.junit.FakeBrmsUrl;
import dev.patguard.junit.WithFakeBrms;
import dev.patguard.receipt.VerifiedReceipt;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** Runs the receipts snippet on a real permit from a fake BRMS. */
@WithFakeBrms
class SignedReceiptsTest {
  @Test
  void signAndVerifyWhenPermitThenTheReceiptSaysPermit(FakeBrmsServer brms, @FakeBrmsUrl URI url)
      throws Exception {
    String secret = brms.mint(t -> t.permissions("releases:deploy").projects("web-shop")).secret();
    Requirement requirement = Requirement.parse("releases:deploy@web-shop");
    try (PatGuard guard = PatGuard.builder().baseUrl(url).build()) {
      Decision decision = guard.decideBlocking(secret, requirement);
      assertTrue(decision instanceof Decision.Permit, decision.explain());
      VerifiedReceipt receipt = SignedReceipts.signAndVerify(decision, requirement);
      assertTrue(receipt.describe().contains("PERMIT"), receipt.describe());
    }
  }
}
