package dev.patguard.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Injects a real token into a parameter of type {@link dev.patguard.decision.Grant}: the token's
 * facts compiled under the strict permission model, as patguard's {@code PatGuard} reads them (with
 * the secret's fingerprint when the token was found by its secret). With the {@code by-id} lookup
 * the parameter may also be a {@link dev.patguard.token.PersonalAccessToken}, the facts as BRMS
 * sent them; the {@code self} lookup yields only the grant.
 *
 * <pre>{@code
 * @Test
 * void deployTokenMayOnlyDeploy(@Token("DEPLOY_TOKEN") Grant token) {
 *   assertThatToken(token).grantsOnly("releases:deploy").onlyOnProjects("web-shop");
 * }
 * }</pre>
 *
 * <p>Configured as described in {@link PatGuardTestConfig}; the token is read once per run, however
 * many tests inject or check it. Any other parameter type fails with an {@link
 * org.junit.jupiter.api.extension.ExtensionConfigurationException}.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(LeastPrivilegeExtension.class)
public @interface Token {

  /**
   * The token's name: the environment variable holding its secret, such as {@code DEPLOY_TOKEN}.
   *
   * @return the variable name; {@code patguard.env.<name>} overrides the real variable, and the
   *     {@code by-id} lookup reads {@code <name>_USER_ID} and {@code <name>_PAT_ID} instead
   */
  String value();

  /**
   * What to do when a needed variable is not set.
   *
   * @return {@link OnMissing#FAIL} (the default) or {@link OnMissing#SKIP}
   */
  OnMissing onMissing() default OnMissing.FAIL;
}
