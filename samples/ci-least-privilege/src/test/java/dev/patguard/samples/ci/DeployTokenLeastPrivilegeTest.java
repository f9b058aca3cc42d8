package dev.patguard.samples.ci;

import static dev.patguard.junit.TokenAssertions.assertThatToken;

import dev.patguard.decision.Grant;
import dev.patguard.junit.FakeBrmsServer;
import dev.patguard.junit.LeastPrivilege;
import dev.patguard.junit.Token;
import dev.patguard.junit.WithFakeBrms;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Ready to copy: "the deploy token may deploy web-shop and nothing else, is not allProjects, is not
 * owner, and expires within 90 days".
 *
 * <p>In your CI, delete {@code @WithFakeBrms} and {@code @BeforeAll}: set {@code PATGUARD_BRMS_URL}
 * and {@code DEPLOY_TOKEN} (a masked secret) instead, and add {@code onMissing = OnMissing.SKIP} if
 * local runs without the secret should skip. Here the fake BRMS stands in for the real one and
 * {@code mintAs} plays the CI secret.
 */
@WithFakeBrms
@LeastPrivilege(
    token = "DEPLOY_TOKEN",
    permissions = "releases:deploy",
    projects = "web-shop",
    maxLifetime = "P90D")
class DeployTokenLeastPrivilegeTest {

  @BeforeAll
  static void issueTheDeployToken(FakeBrmsServer brms) {
    brms.mintAs(
        "DEPLOY_TOKEN",
        t ->
            t.note("ci deploy")
                .permissions("releases:deploy")
                .projects("web-shop")
                .expiresIn(Duration.ofDays(30)));
  }

  @Test
  void deployTokenIsLeastPrivilege() {
    // @LeastPrivilege has checked the token before this test; nothing else to do.
  }

  @Test
  void deployTokenMayDeployWebShopOnly(@Token("DEPLOY_TOKEN") Grant token) {
    assertThatToken(token)
        .softly()
        .permits("releases:deploy@web-shop")
        .denies("releases:deploy@shop-admin")
        .denies("releases:delete@web-shop")
        .isNotOwner()
        .expiresWithin(Duration.ofDays(90))
        .assertAll();
  }
}
