package dev.patguard.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Checks, before each test, that a real token is least privilege: it holds exactly the permissions
 * given (under the strict permission model), only on the projects given, is not {@code
 * allProjects}, does not hold {@code owner}, has an active owner, and expires (within {@link
 * #maxLifetime()} when one is given). A failure is an {@link org.opentest4j.AssertionFailedError}
 * listing required, granted and excess.
 *
 * <pre>{@code
 * @LeastPrivilege(token = "DEPLOY_TOKEN", permissions = "releases:deploy", projects = "web-shop",
 *     maxLifetime = "P90D")
 * class DeployTokenTest {
 *   @Test void deployTokenIsLeastPrivilege() {}
 * }
 * }</pre>
 *
 * <p>Where the token's facts come from is configured as described in {@link PatGuardTestConfig}. On
 * a class it applies to every test of the class; it is repeatable. Bad values (a permission or
 * project name that cannot be read, a bad duration, a bad token name) fail with an {@link
 * org.junit.jupiter.api.extension.ExtensionConfigurationException} quoting the value.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Repeatable(LeastPrivilege.List.class)
@ExtendWith(LeastPrivilegeExtension.class)
public @interface LeastPrivilege {

  /**
   * The token's name: the environment variable holding its secret, such as {@code DEPLOY_TOKEN}.
   *
   * @return the variable name; {@code patguard.env.<name>} overrides the real variable, and the
   *     {@code by-id} lookup reads {@code <name>_USER_ID} and {@code <name>_PAT_ID} instead
   */
  String token();

  /**
   * The permissions the token is for, such as {@code releases:deploy}; at least one.
   *
   * @return the permission names the token must hold, with what they imply, and nothing more
   */
  String[] permissions();

  /**
   * The project keys (or ids) the token is for; empty means the project scope is not checked.
   *
   * @return the projects the token must be scoped to exactly, or none to skip that check
   */
  String[] projects() default {};

  /**
   * The longest the token may still live, as an ISO-8601 duration such as {@code P90D}; empty: any
   * expiry.
   *
   * @return the duration text, or empty: then the token must still expire, at any time
   */
  String maxLifetime() default "";

  /**
   * What to do when a needed variable is not set.
   *
   * @return {@link OnMissing#FAIL} (the default) or {@link OnMissing#SKIP}
   */
  OnMissing onMissing() default OnMissing.FAIL;

  /** Holds repeated {@link LeastPrivilege} annotations. */
  @Target({ElementType.TYPE, ElementType.METHOD})
  @Retention(RetentionPolicy.RUNTIME)
  @Documented
  @Inherited
  @ExtendWith(LeastPrivilegeExtension.class)
  @interface List {
    /**
     * The repeated annotations.
     *
     * @return every {@link LeastPrivilege} on the element, each checked
     */
    LeastPrivilege[] value();
  }
}
