package com.example.readme;

// snippet:start class
import dev.patguard.junit.FakeBrmsServer;
import dev.patguard.junit.FakeBrmsUrl;
import dev.patguard.junit.WithFakeBrms;
import java.net.URI;
import org.junit.jupiter.api.Test;

@WithFakeBrms                              // one fake BRMS per class, reset before each test (per test on a method)
class DeployEndpointTest {
  @Test
  void deployWhenTokenMayDeployThenAccepted(FakeBrmsServer brms, @FakeBrmsUrl URI brmsUrl) {
    String secret = brms.mint(t -> t.permissions("releases:deploy").projects("web-shop")).secret();
    // point the app at brmsUrl (also the system property patguard.brms.url); call it with the secret
  }
}
// snippet:end class
