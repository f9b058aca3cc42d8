package dev.patguard.bench;

import dev.patguard.PatGuard;
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

  /**
   * Starts a fake BRMS with Nagle's algorithm off. The JDK {@code HttpServer} under fake-brms
   * writes a response's headers and body separately; with Nagle on, the body waits for the
   * client's delayed ACK, about 40 ms per request on Linux loopback, which would swamp every
   * figure here. {@code sun.net.httpserver.nodelay} is read once per JVM, when the first server
   * starts, so the forks also get it on the command line ({@link #NODELAY}).
   */
  static FakeBrms startBrms() {
    System.setProperty("sun.net.httpserver.nodelay", "true");
    return FakeBrms.builder().port(0).start();
  }

  /** The JVM flag the loopback benchmarks' forks run with. */
  static final String NODELAY = "-Dsun.net.httpserver.nodelay=true";

  static MintedToken mintTypical(FakeBrms brms) {
    return brms.mint(s -> s.note("ci deploy")
        .permissions(Fixtures.THREE)
        .projects(Fixtures.projectKey(0), Fixtures.projectKey(1))
        .allProjects(false)
        .expiresIn(Duration.ofDays(30)));
  }

  /** A guard on this BRMS whose cache outlives any benchmark run (one hour, the token lives 30 days). */
  PatGuard guard() {
    return PatGuard.builder().baseUrl(brms.baseUrl()).cacheTtl(Duration.ofHours(1)).build();
  }

  @Override
  public void close() {
    brms.close();
  }
}
