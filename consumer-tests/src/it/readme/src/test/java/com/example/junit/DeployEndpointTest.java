package com.example.junit;

// snippet:start class
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.patguard.PatGuard;
import dev.patguard.decision.Decision;
import dev.patguard.decision.Requirement;
import dev.patguard.fakebrms.Endpoint;
import dev.patguard.fakebrms.Fault;
import dev.patguard.junit.FakeBrmsServer;
import dev.patguard.junit.FakeBrmsUrl;
import dev.patguard.junit.WithFakeBrms;
import java.net.URI;
import org.junit.jupiter.api.Test;

@WithFakeBrms                               // one server per class, reset before each test; on a method: one per test
class DeployEndpointTest {
  @Test
  void deployWhenTokenMayDeployThenAccepted(FakeBrmsServer brms, @FakeBrmsUrl URI brmsUrl) {
    String secret = brms.mint(t -> t.permissions("releases:deploy").projects("web-shop")).secret();
    // start the app against brmsUrl (also in System property patguard.brms.url) and call it
    // with "Authorization: Bearer " + secret; here a PatGuard stands in for the app
    try (PatGuard app = PatGuard.builder().baseUrl(brmsUrl).build()) {
      Decision d = app.decideBlocking(secret, Requirement.parse("releases:deploy@web-shop"));
      assertInstanceOf(Decision.Permit.class, d);         // the app answers 200
    }
  }

  @Test
  void deployWhenBrmsIsDownThenServiceUnavailable(FakeBrmsServer brms, @FakeBrmsUrl URI brmsUrl) {
    String secret = brms.mint(t -> t.permissions("releases:deploy").projects("web-shop")).secret();
    brms.inject(Endpoint.SELF_LIST, Fault.status(503));   // this test only: undone before the next
    try (PatGuard app = PatGuard.builder().baseUrl(brmsUrl).build()) {
      Decision d = app.decideBlocking(secret, Requirement.parse("releases:deploy@web-shop"));
      assertInstanceOf(Decision.Indeterminate.class, d);  // the app answers 503
    }
  }
}
// snippet:end class
