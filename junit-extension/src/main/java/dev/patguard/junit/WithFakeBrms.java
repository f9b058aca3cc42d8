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
 * server for all its tests, started before {@code @BeforeAll} methods) or a test method (one server
 * for that test; it shadows a class-level one). The server is kept in JUnit's extension store,
 * which closes it when the class or method is done. The name mirrors Spring Security's
 * {@code @WithMockUser} and stays clear of fake-brms's own {@code FakeBrms} server class.
 *
 * <p><b>Each test starts from the class's setup.</b> A class-level server is shared, but before
 * each test it is put back as it stood when the class's {@code @BeforeAll} methods had finished:
 *
 * <ul>
 *   <li>tokens, users and projects created in {@code @BeforeAll} are there, as they were then;
 *       those a previous test minted or created are gone (their secrets get 401), and tokens it
 *       revoked, expired or regenerated, owners whose status it changed and deployments it made are
 *       back as they were;
 *   <li>faults injected in {@code @BeforeAll} apply again (a counted one with the requests it had
 *       left), those a previous test injected are gone;
 *   <li>the {@linkplain FakeBrmsServer#clock() clock} stands where it stood (the server's start,
 *       unless {@code @BeforeAll} moved it);
 *   <li>the request counters are zero, so a test counts only its own requests;
 *   <li>the {@link FakeBrmsServer#mintAs mintAs} properties a previous test set are removed.
 * </ul>
 *
 * {@code @BeforeEach} methods run after this, so what they do applies to each test. A
 * {@code @Nested} class without its own {@code @WithFakeBrms} shares the enclosing server: its
 * {@code @BeforeAll} builds on the enclosing class's setup, and its tests start from both. A
 * method-level server is new for each test anyway. What the app under test caches (such as a {@code
 * PatGuard}'s grants) is the app's: the reset cannot reach it.
 *
 * <p><b>Parallel execution.</b> When JUnit runs a class's tests concurrently ({@code
 * junit.jupiter.execution.parallel.enabled} and a {@code CONCURRENT} execution mode for the tests),
 * there is no moment between tests: a reset would pull tokens and faults from under tests still
 * running. The tests then share the server as {@code @BeforeAll} left it plus what they add
 * themselves, counters included; the server, the tokens checked by {@link LeastPrivilege} and
 * injected by {@link Token}, and {@link FakeBrmsServer#grantOf} are safe to use from them all. Run
 * the methods in one thread ({@code @Execution(SAME_THREAD)} on the class, or {@code
 * junit.jupiter.execution.parallel.mode.default=same_thread} with classes concurrent) to keep the
 * reset.
 *
 * <p>While it runs, its base URL is the system property {@code patguard.brms.url} ({@link
 * PatGuardTestConfig#BRMS_URL}); the value found before is put back when it closes. Parameters of
 * type {@link FakeBrmsServer} receive the server (to mint tokens and inject faults), and parameters
 * of type {@link java.net.URI} or {@link String} annotated {@link FakeBrmsUrl} its base URL. System
 * properties are one per JVM: while servers of classes or methods running in parallel overlap, the
 * property names the latest one started, so such tests should take the URL from their parameters.
 * When the last of them closes, the value found before the first is back.
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
