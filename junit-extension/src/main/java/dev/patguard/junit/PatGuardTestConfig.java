package dev.patguard.junit;

/**
 * The names of every setting the patguard JUnit extension reads.
 *
 * <p>Each setting can be given as a JUnit configuration parameter (in {@code
 * junit-platform.properties}, as a {@code -D} system property, or through {@code EngineTestKit}) or
 * as an environment variable; the configuration parameter wins. Any environment variable {@code
 * NAME} the extension reads can also be supplied as the configuration parameter {@code
 * patguard.env.NAME}, which again wins over the real variable: that is how tests (and {@link
 * FakeBrmsServer#mintAs}) provide secrets without touching the process environment. Do not put real
 * secrets into {@code junit-platform.properties}.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>configuration parameter</th><th>environment variable</th><th>default</th></tr>
 *   <tr><td>BRMS base URL</td><td>{@code patguard.brms.url}</td><td>{@code PATGUARD_BRMS_URL}</td><td>required</td></tr>
 *   <tr><td>lookup strategy: {@code self} or {@code by-id}</td><td>{@code patguard.lookup}</td>
 *       <td>{@code PATGUARD_LOOKUP}</td><td>{@code self}</td></tr>
 *   <tr><td>the token's secret ({@code self})</td><td>{@code patguard.env.TOKEN}</td><td>{@code TOKEN}</td><td>required</td></tr>
 *   <tr><td>the owner's user id ({@code by-id})</td><td>{@code patguard.env.TOKEN_USER_ID}</td>
 *       <td>{@code TOKEN_USER_ID}</td><td>required</td></tr>
 *   <tr><td>the token id ({@code by-id})</td><td>{@code patguard.env.TOKEN_PAT_ID}</td>
 *       <td>{@code TOKEN_PAT_ID}</td><td>required</td></tr>
 *   <tr><td>name of the variable holding the admin credential ({@code by-id})</td>
 *       <td>{@code patguard.admin-credential-env}</td><td>{@code PATGUARD_ADMIN_CREDENTIAL_ENV}</td>
 *       <td>{@code BRMS_ADMIN_TOKEN}</td></tr>
 *   <tr><td>a fixed "now" for expiry checks (tests)</td><td>{@code patguard.now}</td><td>-</td>
 *       <td>the system clock</td></tr>
 * </table>
 *
 * {@code TOKEN} is the name given in {@link LeastPrivilege#token()} or {@link Token#value()}, such
 * as {@code DEPLOY_TOKEN}.
 */
public final class PatGuardTestConfig {
  /**
   * Configuration parameter with the BRMS base URL; also the system property {@link WithFakeBrms}
   * sets.
   */
  public static final String BRMS_URL = "patguard.brms.url";

  /** Environment variable with the BRMS base URL. */
  public static final String BRMS_URL_ENV = "PATGUARD_BRMS_URL";

  /** Configuration parameter naming the lookup strategy: {@code self} or {@code by-id}. */
  public static final String LOOKUP = "patguard.lookup";

  /** Environment variable naming the lookup strategy. */
  public static final String LOOKUP_ENV = "PATGUARD_LOOKUP";

  /** Configuration parameter naming the environment variable that holds the admin credential. */
  public static final String ADMIN_CREDENTIAL_ENV = "patguard.admin-credential-env";

  /** Environment variable naming the environment variable that holds the admin credential. */
  public static final String ADMIN_CREDENTIAL_ENV_ENV = "PATGUARD_ADMIN_CREDENTIAL_ENV";

  /** The admin credential's variable when none is configured. */
  public static final String DEFAULT_ADMIN_CREDENTIAL_ENV = "BRMS_ADMIN_TOKEN";

  /** Prefix of configuration parameters that stand in for environment variables. */
  public static final String ENV_PREFIX = "patguard.env.";

  /** Configuration parameter with a fixed ISO-8601 instant used as "now" (for tests). */
  public static final String NOW = "patguard.now";

  /** Suffix of the variable holding the owner's user id in the {@code by-id} lookup. */
  public static final String USER_ID_SUFFIX = "_USER_ID";

  /** Suffix of the variable holding the token id in the {@code by-id} lookup. */
  public static final String PAT_ID_SUFFIX = "_PAT_ID";

  private PatGuardTestConfig() {}
}
