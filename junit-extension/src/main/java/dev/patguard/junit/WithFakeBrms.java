package dev.patguard.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Starts a fake BRMS server (see {@code patguard-fake-brms}) on loopback for a test class (one
 * server for all its tests, started before {@code @BeforeAll} methods) or a test method (one
 * server for that test; it shadows a class-level one). The server is closed afterwards.
 *
 * <p><b>Each test starts from the class's setup.</b> A class-level server is shared, but before
 * each test it is put back as it stood when the class's {@code @BeforeAll} methods had finished:
 * <ul>
 *   <li>tokens, users and projects created in {@code @BeforeAll} are there, as they were then;
 *       those a previous test minted or created are gone (their secrets get 401), and tokens it
 *       revoked, expired or regenerated, owners whose status it changed and deployments it made
 *       are back as they were;</li>
 *   <li>faults injected in {@code @BeforeAll} apply again (a counted one with the requests it had
 *       left), those a previous test injected are gone;</li>
 *   <li>the {@linkplain FakeBrmsServer#clock() clock} stands where it stood (the server's start,
 *       unless {@code @BeforeAll} moved it);</li>
 *   <li>the request counters are zero, so a test counts only its own requests;</li>
 *   <li>the {@link FakeBrmsServer#mintAs mintAs} properties a previous test set are removed.</li>
 * </ul>
 * {@code @BeforeEach} methods run after this, so what they do applies to each test. A
 * {@code @Nested} class without its own {@code @WithFakeBrms} shares the enclosing server: its
 * {@code @BeforeAll} builds on the enclosing class's setup, and its tests start from both. A
 * method-level server is new for each test anyway. What the app under test caches (such as a
 * {@code PatGuard}'s grants) is the app's: the reset cannot reach it.
 *
 * <p>While it runs, its base URL is the system property {@code patguard.brms.url}
 * ({@link PatGuardTestConfig#BRMS_URL}); the previous value is restored when it closes. Parameters
 * of type {@link FakeBrmsServer} receive the server (to mint tokens and inject faults), and
 * parameters of type {@link java.net.URI} or {@link String} annotated {@link FakeBrmsUrl} its
 * base URL. System properties are global: do not run tests using {@code @WithFakeBrms} in parallel.
 *
 * <pre>{@code
 * @WithFakeBrms
 * class DeployEndpointTest {
 *   @Test
 *   void deployWhenTokenMayDeployThenAccepted(FakeBrmsServer brms) {
 *     String secret = brms.mint(t -> t.permissions("releases:deploy").projects("web-shop")).secret();
 *     // start the app with brms.baseUrl() and call it with "Authorization: Bearer " + secret
 *   }
 * }
 * }</pre>
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(FakeBrmsExtension.class)
public @interface WithFakeBrms {}
