package dev.patguard.junit;

import dev.patguard.junit.internal.FakeBrmsExtension;
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
 * <p>While it runs, its base URL is the system property {@code patguard.brms.url}
 * ({@link PatGuardTestConfig#BRMS_URL}); the previous value is restored when it closes. Parameters
 * of type {@link FakeBrmsServer} receive the server (to mint tokens and inject faults), and
 * parameters of type {@link java.net.URI} or {@link String} annotated {@link FakeBrmsUrl} its
 * base URL. System properties are global: do not run tests using {@code @FakeBrms} in parallel.
 *
 * <pre>{@code
 * @FakeBrms
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
public @interface FakeBrms {}
