package dev.patguard.junit;

import dev.patguard.decision.Grant;
import dev.patguard.decision.PermissionModel;
import dev.patguard.token.PersonalAccessToken;
import java.util.Objects;

/**
 * Entry point of the fluent token assertions.
 *
 * <pre>{@code
 * assertThatToken(token)
 *     .grantsOnly("releases:deploy")
 *     .onlyOnProjects("web-shop")
 *     .isNotOwner()
 *     .expiresWithin(Duration.ofDays(90));
 * }</pre>
 *
 * <p>Each assertion throws an {@link org.opentest4j.AssertionFailedError} (with expected and actual
 * set) at the first failure. To collect every failure of one chain, call {@link
 * TokenAssert#softly()} first and {@link TokenAssert#assertAll()} last: the failures are reported
 * together as one {@link org.opentest4j.MultipleFailuresError}.
 *
 * <pre>{@code
 * assertThatToken(token).softly()
 *     .isNotOwner()
 *     .isNotAllProjects()
 *     .expires()
 *     .assertAll();
 * }</pre>
 *
 * <p>Messages name the token by the fingerprint of its secret (when known: a {@link Grant} looked
 * up by secret carries it), its id and its note; never by the secret.
 */
public final class TokenAssertions {
  private TokenAssertions() {}

  /**
   * Assertions on a token's facts, compiled under the strict permission model.
   *
   * @param token the token as BRMS sent it (no fingerprint: messages name it by id and note)
   * @return new hard assertions, reading the system UTC clock
   */
  public static TokenAssert assertThatToken(PersonalAccessToken token) {
    Objects.requireNonNull(token, "token must not be null");
    return new TokenAssert(Grant.compile(token, PermissionModel.strict()));
  }

  /**
   * Assertions on a compiled grant (its permission model and fingerprint are used).
   *
   * @param grant the grant, such as a {@link Token} parameter or {@link FakeBrmsServer#grantOf}
   * @return new hard assertions, reading the system UTC clock
   */
  public static TokenAssert assertThatToken(Grant grant) {
    return new TokenAssert(Objects.requireNonNull(grant, "grant must not be null"));
  }
}
