package com.example.junit;

import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.MintedToken;
import java.time.Duration;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Not a README snippet: stands in for the pipeline, so that the READMEs' DeployTokenTest runs for
 * real instead of skipping. Before the tests it starts a fake BRMS holding one least-privilege
 * deploy token and sets what CI would (patguard.brms.url, and patguard.env.DEPLOY_TOKEN in place
 * of the DEPLOY_TOKEN variable) as system properties, which JUnit reads as configuration
 * parameters. Registered in META-INF/services.
 */
public class DeployTokenFromAFakeBrms implements TestExecutionListener {
  private FakeBrms brms;

  @Override
  public void testPlanExecutionStarted(TestPlan testPlan) {
    brms = FakeBrms.builder().port(0).start();
    MintedToken token = brms.mint(t -> t.note("ci deploy").permissions("releases:deploy")
        .projects("web-shop").expiresIn(Duration.ofDays(30)));
    System.setProperty("patguard.brms.url", brms.baseUrl().toString());
    System.setProperty("patguard.env.DEPLOY_TOKEN", token.secret());
  }

  @Override
  public void testPlanExecutionFinished(TestPlan testPlan) {
    System.clearProperty("patguard.brms.url");
    System.clearProperty("patguard.env.DEPLOY_TOKEN");
    brms.close();
  }
}
