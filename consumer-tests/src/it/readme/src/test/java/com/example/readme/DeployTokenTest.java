package com.example.readme;

// snippet:start class
import static dev.patguard.junit.TokenAssertions.assertThatToken;

import dev.patguard.decision.Grant;
import dev.patguard.junit.LeastPrivilege;
import dev.patguard.junit.OnMissing;
import dev.patguard.junit.Token;
import org.junit.jupiter.api.Test;

@LeastPrivilege(token = "DEPLOY_TOKEN", permissions = "releases:deploy", projects = "web-shop",
    maxLifetime = "P90D", onMissing = OnMissing.SKIP)    // SKIP: green locally without the secret
class DeployTokenTest {
  @Test
  void deployTokenIsLeastPrivilege() {}                 // checked before each test

  @Test
  void deployTokenMayDeployWebShopOnly(@Token("DEPLOY_TOKEN") Grant token) {
    assertThatToken(token).permits("releases:deploy@web-shop").denies("releases:delete@web-shop");
  }
}
// snippet:end class
