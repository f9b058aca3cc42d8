package dev.patguard.bench;

import dev.patguard.PatGuard;
import dev.patguard.decision.Decision;
import dev.patguard.decision.Requirement;
import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.MintedToken;
import java.time.Duration;

/** A fake BRMS on loopback holding one typical token (3 permissions, 2 projects). */
final class Loopback implements AutoCloseable {
  static final Requirement PERMIT = Requirement.parse("releases:deploy@" + Fixtures.projectKey(1));

  final FakeBrms brms;
  final MintedToken token;

  Loopback() {
    brms = startBrms();
    token = mintTypical(brms);
  }

  /** Starts a fake BRMS on an ephemeral port (fake-brms turns Nagle's algorithm off itself). */
  static FakeBrms startBrms() {
    return FakeBrms.builder().port(0).start();
  }

  static MintedToken mintTypical(FakeBrms brms) {
    return brms.mint(
        s ->
            s.note("ci deploy")
                .permissions(Fixtures.THREE)
                .projects(Fixtures.projectKey(0), Fixtures.projectKey(1))
                .allProjects(false)
                .expiresIn(Duration.ofDays(30)));
  }

  /**
   * A guard on this BRMS whose cache outlives any benchmark run (one hour, the token lives 30
   * days).
   */
  PatGuard guard() {
    return PatGuard.builder().baseUrl(brms.baseUrl()).cacheTtl(Duration.ofHours(1)).build();
  }

  /**
   * A guard whose cache already holds the typical token, checked to permit {@link #PERMIT}, so that
   * what is measured afterwards is a cache hit on the permit path.
   */
  PatGuard warmGuard() {
    PatGuard guard = guard();
    Decision warm = guard.decide(token.secret(), PERMIT).join();
    if (!warm.isPermit()) {
      guard.close();
      throw new IllegalStateException("warm-up decision is not a permit: " + warm);
    }
    return guard;
  }

  @Override
  public void close() {
    brms.close();
  }
}
