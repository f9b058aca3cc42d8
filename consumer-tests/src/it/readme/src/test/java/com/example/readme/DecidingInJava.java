package com.example.readme;

// snippet:start decide
import dev.patguard.PatGuard;
import dev.patguard.decision.Decision;
import dev.patguard.decision.DecisionJson;
import dev.patguard.decision.Requirement;
import java.time.Duration;
// snippet:end decide

/** README.md, "Deciding in Java" (compiled only: it names a real BRMS). */
class DecidingInJava {
  /** The user's audit log. */
  interface Audit {
    void log(Decision decision);
  }

  private final Audit audit = decision -> {};

  void decide(String secret) {
    // snippet:start decide
    PatGuard guard = PatGuard.builder()
        .baseUrl("https://acme.us1.gorules.io")
        .cacheTtl(Duration.ofSeconds(30))              // also the revocation window
        .listener(event -> audit.log(event.decision())) // every decision, for audit and metrics
        .build();                                       // build once, share it

    Decision d = guard.decideBlocking(secret, Requirement.parse("releases:deploy@web-shop"));
    switch (DecisionJson.outcome(d)) {
      case "PERMIT" -> deploy();
      case "DENY" -> fail(d.explain());   // DENY token 3f2a9c1b: PERMISSION_MISSING releases:deploy
      default -> retryLater(d.explain()); // INDETERMINATE: BRMS could not be asked; never a permit
    }
    // snippet:end decide
  }

  private void deploy() {}

  private void fail(String why) {}

  private void retryLater(String why) {}
}
