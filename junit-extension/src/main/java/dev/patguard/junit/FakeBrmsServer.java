package dev.patguard.junit;

import dev.patguard.fakebrms.Endpoint;
import dev.patguard.fakebrms.Fault;
import dev.patguard.fakebrms.MintedToken;
import dev.patguard.fakebrms.TokenSpec;
import dev.patguard.token.PersonalAccessToken;
import java.net.URI;
import java.util.function.Consumer;

/**
 * The fake BRMS server a {@link FakeBrms} test runs against. Mint tokens with chosen permissions,
 * hand their secrets to the app under test, inject faults; {@link #fake()} gives the whole
 * fake-brms API (users, projects, revocation, counters).
 */
public interface FakeBrmsServer {

  /** The server's base URL, such as {@code http://127.0.0.1:53211}. */
  URI baseUrl();

  /**
   * Mints a token, e.g. {@code brms.mint(t -> t.permissions("releases:deploy").projects("web-shop"))}.
   *
   * @return the token's id, owner id and secret
   */
  MintedToken mint(Consumer<TokenSpec> spec);

  /**
   * Mints a token and exposes it under a variable name for the rest of this server's life, so
   * that {@link LeastPrivilege} and {@link Token} checks find it: the secret as the system
   * property {@code patguard.env.NAME}, and its ids as {@code patguard.env.NAME_USER_ID} and
   * {@code patguard.env.NAME_PAT_ID}. The properties are restored when the server closes.
   *
   * @param variable the token name, such as {@code DEPLOY_TOKEN}
   */
  MintedToken mintAs(String variable, Consumer<TokenSpec> spec);

  /** Reads a minted token's facts the way patguard sees them (the token lists its own tokens). */
  PersonalAccessToken facts(MintedToken token);

  /** Injects a fault on an endpoint until {@link #clearFaults()}. */
  void inject(Endpoint endpoint, Fault fault);

  /** Removes every injected fault. */
  void clearFaults();

  /** The underlying fake-brms server. Do not close it: JUnit does. */
  dev.patguard.fakebrms.FakeBrms fake();
}
