package dev.patguard.junit;

import dev.patguard.decision.Grant;
import dev.patguard.fakebrms.Endpoint;
import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.Fault;
import dev.patguard.fakebrms.MintedToken;
import dev.patguard.fakebrms.MutableClock;
import dev.patguard.fakebrms.TokenSpec;
import java.net.URI;
import java.util.function.Consumer;

/**
 * The fake BRMS server a {@link WithFakeBrms} test runs against. Mint tokens with chosen
 * permissions, hand their secrets to the app under test, inject faults, move the clock; {@link
 * #grantOf} reads a token as the app would, and {@link #fake()} gives the whole fake-brms API
 * (users, projects, revocation, counters).
 *
 * <p>A class-level server is put back before each test as the class's {@code @BeforeAll} methods
 * left it (see {@link WithFakeBrms}): whatever a test does here is undone before the next test,
 * unless the class's tests run concurrently. Safe to use from tests running in parallel.
 */
public interface FakeBrmsServer {

  /**
   * The server's base URL, such as {@code http://127.0.0.1:53211}.
   *
   * @return the loopback URL, with no trailing path; also in the system property {@link
   *     PatGuardTestConfig#BRMS_URL} while the server runs
   */
  URI baseUrl();

  /**
   * Mints a token, e.g. {@code brms.mint(t ->
   * t.permissions("releases:deploy").projects("web-shop"))}.
   *
   * @param spec sets up the token; without an owner, a new active service user owns it
   * @return the token's id, owner id and secret
   */
  MintedToken mint(Consumer<TokenSpec> spec);

  /**
   * Mints a token and exposes it under a variable name, so that {@link LeastPrivilege} and {@link
   * Token} checks find it: the secret as the system property {@code patguard.env.NAME}, and its ids
   * as {@code patguard.env.NAME_USER_ID} and {@code patguard.env.NAME_PAT_ID}. The properties are
   * restored when the server closes; on a class-level server, those set by a test (not by
   * {@code @BeforeAll}) are restored before the next test, when the token is gone too.
   *
   * @param variable the token name, such as {@code DEPLOY_TOKEN}: letters, digits and {@code _},
   *     not starting with a digit
   * @param spec sets up the token, as for {@link #mint}
   * @return the token's id, owner id and secret
   * @throws IllegalArgumentException if {@code variable} is not such a name
   */
  MintedToken mintAs(String variable, Consumer<TokenSpec> spec);

  /**
   * Reads a minted token's grant the way an app's {@code PatGuard} sees it: through the self
   * lookup, with the token's own secret, compiled under the strict permission model and carrying
   * the secret's fingerprint. When the owner has other live tokens, it is the minted token's own
   * grant, not the conservative one over all of them.
   *
   * <p>Each call makes exactly one request to the self-list endpoint: nothing is cached between
   * calls and nothing is retried, so the request counters see it once and a fault injected on
   * {@code Endpoint.SELF_LIST} (a counted one included) fails the call rather than being retried
   * away.
   *
   * @param token a token minted on this server
   * @return the token's own exact grant, with its secret's fingerprint
   * @throws IllegalStateException if the fake refuses the token (401 for a revoked or expired one,
   *     403) or does not answer as BRMS would (a fault); the message says which, never the secret
   */
  Grant grantOf(MintedToken token);

  /**
   * The fake's clock, for timestamps and expiry. It stands at the instant the server started (to
   * the millisecond) and moves only when a test moves it ({@code advance}, {@code set}); a
   * class-level server's clock is put back before each test. Give it to the code under test, as in
   * {@code PatGuard.builder().clock(brms.clock()).ticker(brms.clock().ticker())}, so that both see
   * the same "now" and the app's cache ages as the test moves the clock.
   *
   * @return the clock, the same one {@link #fake()} uses
   */
  MutableClock clock();

  /**
   * Injects a fault on an endpoint until {@link #clearFaults()} or, on a class-level server, the
   * end of the test (a fault injected in {@code @BeforeAll} applies to every test).
   *
   * @param endpoint the endpoint to fault
   * @param fault what the endpoint answers instead; faults queue per endpoint in injection order,
   *     so one injected earlier still comes first
   */
  void inject(Endpoint endpoint, Fault fault);

  /** Removes every injected fault. */
  void clearFaults();

  /**
   * The underlying fake-brms server. Do not close it: JUnit does.
   *
   * @return the running server, with every fake-brms operation
   */
  FakeBrms fake();
}
