package com.example.junit;

// snippet:start chain
import static dev.patguard.junit.TokenAssertions.assertThatToken;

import dev.patguard.decision.Requirement;
import java.time.Duration;
// snippet:end chain
import dev.patguard.decision.Grant;
import dev.patguard.fakebrms.MintedToken;
import dev.patguard.junit.FakeBrmsServer;
import dev.patguard.junit.WithFakeBrms;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** junit-extension/README.md, "Assertions": the chain and soft mode on a token a fake BRMS minted. */
@WithFakeBrms
class TokenAssertionsExampleTest {
  @Test
  void chainWhenTokenIsLeastPrivilegeThenEveryAssertionHolds(FakeBrmsServer brms) {
    MintedToken minted = brms.mint(t -> t.permissions("releases:deploy").projects("web-shop")
        .expiresIn(Duration.ofDays(30)));
    Grant token = brms.grantOf(minted);
    Clock clock = brms.clock();
    // snippet:start chain
    assertThatToken(token)                      // Grant, or PersonalAccessToken (compiled, strict model)
        .at(clock)                              // "now" for expiry and decisions; default system UTC
        .grants("releases:deploy")              // holds, directly or by implication
        .grantsOnly("releases:deploy")          // and nothing else
        .onProject("web-shop").onlyOnProjects("web-shop").isNotAllProjects()
        .isNotOwner().ownerIsActive()
        .expires().expiresWithin(Duration.ofDays(90))
        .isLeastPrivilegeFor(Requirement.parse("releases:deploy@web-shop"))   // or the text form
        .permits("releases:deploy@web-shop").denies("releases:delete@web-shop");
    // snippet:end chain
  }

  @Test
  void softlyWhenTokenIsLeastPrivilegeThenNoFailure(FakeBrmsServer brms) {
    Grant token = brms.grantOf(brms.mint(t -> t.permissions("releases:deploy")
        .projects("web-shop").expiresIn(Duration.ofDays(30))));
    // snippet:start softly
    assertThatToken(token).softly().isNotOwner().isNotAllProjects().expires().assertAll();
    // snippet:end softly
  }
}
