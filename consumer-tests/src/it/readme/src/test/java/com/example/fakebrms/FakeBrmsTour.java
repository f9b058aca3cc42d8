package com.example.fakebrms;

// snippet:start tour
import dev.patguard.fakebrms.Endpoint;
import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.FakeProject;
import dev.patguard.fakebrms.FakeUser;
import dev.patguard.fakebrms.Fault;
import dev.patguard.fakebrms.MintedToken;
import java.net.URI;
import java.time.Duration;
// snippet:end tour
import java.time.Clock;

/** fake-brms/README.md, "Java API". */
class FakeBrmsTour {
  static void tour(Clock clock) {
    // snippet:start tour
    try (FakeBrms brms = FakeBrms.builder().clock(clock).port(0).start()) {   // clock: default systemUTC
        URI base = brms.baseUrl();                                               // http://127.0.0.1:PORT
        FakeProject web = brms.createProject("web-shop", "Web shop");            // random id, shared organisationId
        FakeUser svc = brms.createUser(u -> u.email("ci@acme.test").serviceAccount().status("active"));
        FakeUser admin = brms.createUser(u -> u.email("admin@acme.test").admin()); // may call /api/users/service/...
        MintedToken t = brms.mint(s -> s.owner(svc).note("ci deploy").permissions("releases:deploy")
                .projects("web-shop").allProjects(false).expiresIn(Duration.ofDays(30))  // or expiresAt / neverExpires
                .secret("fixed-secret").canReadOwnTokens(true));   // all optional; unknown project keys are created
        t.secret(); t.id(); t.userId();
        brms.expire(t.id()); brms.setOwnerStatus(svc.id(), "inactive"); brms.revoke(t.id());
        brms.token(t.id()); brms.tokensOf(svc.id()); brms.deployments();          // snapshots, never the secret
        brms.inject(Endpoint.SELF_LIST, Fault.status(429).withHeader("Retry-After", "1"));     // until cleared
        brms.inject(Endpoint.SERVICE_GET, Fault.latency(Duration.ofSeconds(3)), 2);            // next 2 requests
        brms.clearFaults();
        brms.requestCount(Endpoint.SELF_LIST); brms.totalRequests(); brms.peakConcurrency(Endpoint.SELF_LIST);
        brms.inFlight(); brms.resetCounters();
        FakeBrms.Snapshot setup = brms.snapshot(); /* ... */ brms.restore(setup);   // see "Snapshots"
    }   // close(): stops at once, interrupts latency sleeps, leaves no thread behind
    // snippet:end tour
  }
}
