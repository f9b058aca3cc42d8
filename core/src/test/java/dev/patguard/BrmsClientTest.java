package dev.patguard;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patguard.fakebrms.Endpoint;
import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.FakeUser;
import dev.patguard.fakebrms.Fault;
import dev.patguard.fakebrms.MintedToken;
import dev.patguard.fakebrms.MutableClock;
import dev.patguard.token.PersonalAccessToken;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class BrmsClientTest {
  private final MutableClock clock = MutableClock.at("2026-11-29T12:00:00Z");
  private FakeBrms brms;
  private FakeUser admin;
  private MintedToken adminToken;
  private FakeUser deployer;
  private MintedToken deployToken;
  private BrmsClient client;

  @BeforeEach
  void start() {
    brms = FakeBrms.builder().clock(clock).start();
    admin = brms.createUser(u -> u.email("admin@acme.test").admin());
    adminToken = brms.mint(t -> t.owner(admin).permissions("owner").allProjects(true));
    deployer = brms.createUser(u -> u.email("deployer@acme.test").serviceAccount());
    deployToken =
        brms.mint(
            t ->
                t.owner(deployer)
                    .note("ci deploy")
                    .permissions("releases:deploy")
                    .projects("web-shop")
                    .expiresIn(Duration.ofDays(30)));
    client = clientBuilder().build();
  }

  private BrmsClient.Builder clientBuilder() {
    return BrmsClient.builder()
        .baseUrl(brms.baseUrl())
        .requestTimeout(Duration.ofSeconds(5))
        .adminCredential(adminToken::secret);
  }

  /**
   * Clients a test builds besides {@code client}: each starts its own pool, closed after the test.
   */
  private final List<BrmsClient> extraClients = new ArrayList<>();

  private BrmsClient track(BrmsClient c) {
    extraClients.add(c);
    return c;
  }

  @AfterEach
  void stop() {
    extraClients.forEach(BrmsClient::close);
    brms.close();
  }

  private static <T> Throwable failure(CompletableFuture<T> future) throws Exception {
    try {
      future.get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected the call to fail");
  }

  @Test
  void listOwnTokensWhenTokenLiveThenParsesTheOwnersTokens() throws Exception {
    MintedToken second =
        brms.mint(t -> t.owner(deployer).permissions("releases:manage").projects("docs"));

    List<PersonalAccessToken> tokens =
        client.listOwnTokens(deployToken.secret()).get(10, TimeUnit.SECONDS);

    assertEquals(
        java.util.Set.of(deployToken.id(), second.id()),
        tokens.stream().map(PersonalAccessToken::id).collect(java.util.stream.Collectors.toSet()));
    PersonalAccessToken deploy =
        tokens.stream().filter(t -> t.id().equals(deployToken.id())).findFirst().orElseThrow();
    assertEquals("ci deploy", deploy.note());
    assertEquals(List.of("releases:deploy"), deploy.permissions());
    assertFalse(deploy.allProjects());
    assertEquals(List.of("web-shop"), deploy.projects().stream().map(p -> p.key()).toList());
    assertEquals(deployer.id(), deploy.user().id());
    assertEquals("deployer@acme.test", deploy.user().email());
    assertEquals(clock.instant().plus(Duration.ofDays(30)), deploy.expiresAt());
    assertEquals(1, brms.requestCount(Endpoint.SELF_LIST));
  }

  @Test
  void listOwnTokensWhenSecretUnknownThenTokenRejected() throws Exception {
    assertInstanceOf(
        TokenRejectedException.class, failure(client.listOwnTokens("not-a-real-token")));
  }

  @Test
  void listOwnTokensWhenTokenRevokedThenTokenRejected() throws Exception {
    brms.revoke(deployToken.id());
    assertInstanceOf(
        TokenRejectedException.class, failure(client.listOwnTokens(deployToken.secret())));
  }

  @Test
  void listOwnTokensWhenTokenMayNotReadOwnFactsThenLookupForbidden() throws Exception {
    MintedToken mute =
        brms.mint(t -> t.owner(deployer).permissions("releases:deploy").canReadOwnTokens(false));
    assertInstanceOf(LookupForbiddenException.class, failure(client.listOwnTokens(mute.secret())));
  }

  @Test
  void listOwnTokensWhenSecretHasControlCharactersThenRejectedWithoutRequest() throws Exception {
    assertInstanceOf(
        TokenRejectedException.class, failure(client.listOwnTokens("abc\r\nX-Evil: 1")));
    assertEquals(0, brms.totalRequests());
  }

  @Test
  void getServiceUserTokenWhenAdminThenParsesTheSeedShape() throws Exception {
    PersonalAccessToken token =
        client
            .getServiceUserToken(deployer.id().toString(), deployToken.id().toString())
            .get(10, TimeUnit.SECONDS);

    assertEquals(deployToken.id(), token.id());
    assertTrue(token.user().isService());
    assertEquals("active", token.user().status());
    assertEquals(1, token.projects().size());
    assertEquals("web-shop", token.projects().get(0).key());
    assertEquals(brms.organisationId(), token.projects().get(0).organisationId());
    assertEquals(1, brms.requestCount(Endpoint.SERVICE_GET));
  }

  @Test
  void listServiceUserTokensWhenAdminThenParsesAll() throws Exception {
    brms.mint(t -> t.owner(deployer).permissions("releases:manage"));
    List<PersonalAccessToken> tokens =
        client.listServiceUserTokens(deployer.id().toString()).get(10, TimeUnit.SECONDS);
    assertEquals(2, tokens.size());
  }

  @Test
  void serviceEndpointsWhenCredentialIsNotAnAdminsThenCredentialException() throws Exception {
    BrmsClient notAdmin = track(clientBuilder().adminCredential(deployToken::secret).build());

    Throwable get =
        failure(
            notAdmin.getServiceUserToken(deployer.id().toString(), deployToken.id().toString()));
    Throwable list = failure(notAdmin.listServiceUserTokens(deployer.id().toString()));

    assertInstanceOf(BrmsCredentialException.class, get);
    assertTrue(get.getMessage().contains("admin credential"), get.getMessage());
    assertInstanceOf(BrmsCredentialException.class, list);
    assertFalse(get.getMessage().contains(deployToken.secret()));
  }

  @Test
  void serviceEndpointsWhenNoCredentialConfiguredThenCredentialExceptionWithoutRequest()
      throws Exception {
    BrmsClient none = track(BrmsClient.builder().baseUrl(brms.baseUrl()).build());
    Throwable failure = failure(none.listServiceUserTokens(deployer.id().toString()));
    assertInstanceOf(BrmsCredentialException.class, failure);
    assertTrue(failure.getMessage().contains("no admin credential"), failure.getMessage());
    assertEquals(0, brms.totalRequests());
  }

  @Test
  void adminCredentialWhenSupplierRotatesThenEachRequestReadsIt() throws Exception {
    AtomicInteger reads = new AtomicInteger();
    BrmsClient rotating =
        track(
            clientBuilder()
                .adminCredential(
                    () -> {
                      reads.incrementAndGet();
                      return adminToken.secret();
                    })
                .build());
    rotating.listServiceUserTokens(deployer.id().toString()).get(10, TimeUnit.SECONDS);
    rotating.listServiceUserTokens(deployer.id().toString()).get(10, TimeUnit.SECONDS);
    assertEquals(2, reads.get());
  }

  @Test
  void getServiceUserTokenWhenUnknownTokenThenNotFound() throws Exception {
    assertInstanceOf(
        NotFoundException.class,
        failure(
            client.getServiceUserToken(
                deployer.id().toString(), "3c90c3cc-0d44-4b50-8888-8dd25736052a")));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "../admin",
        "a%2Fb",
        "?x=1",
        "",
        " ",
        "3c90c3cc-0d44-4b50-8888-8dd25736052a/../x",
        "3c90c3cc-0d44-4b50-8888-8dd25736052a?x=1",
        "3c90c3cc-0d44-4b50-8888-8dd25736052",
        "1-1-1-1-1",
        "3c90c3cc%2D0d44-4b50-8888-8dd25736052a",
        "3c90c3cc-0d44-4b50-8888-8dd25736052a\n"
      })
  void idsWhenNotUuidsThenRejectedBeforeAnyRequest(String id) {
    String valid = deployToken.id().toString();
    assertAll(
        () ->
            assertThrows(
                IllegalArgumentException.class, () -> client.getServiceUserToken(id, valid)),
        () ->
            assertThrows(
                IllegalArgumentException.class, () -> client.getServiceUserToken(valid, id)),
        () -> assertThrows(IllegalArgumentException.class, () -> client.listServiceUserTokens(id)));
    assertEquals(0, brms.totalRequests());
  }

  @Test
  void idsWhenRejectedThenMessageNamesParameterAndQuotesValue() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> client.getServiceUserToken(deployer.id().toString(), "../admin"));
    assertEquals("patId must be a UUID, got \"../admin\"", e.getMessage());
  }

  static Stream<Arguments> faults() {
    return Stream.of(
        Arguments.of("503", Fault.status(503), BrmsUnavailableException.Kind.SERVER_ERROR, 3),
        Arguments.of("500", Fault.status(500), BrmsUnavailableException.Kind.SERVER_ERROR, 3),
        Arguments.of("429", Fault.status(429), BrmsUnavailableException.Kind.SERVER_ERROR, 3),
        Arguments.of("408", Fault.status(408), BrmsUnavailableException.Kind.SERVER_ERROR, 3),
        Arguments.of(
            "reset", Fault.connectionReset(), BrmsUnavailableException.Kind.UNREACHABLE, 3),
        Arguments.of(
            "malformed JSON",
            Fault.malformedJson(),
            BrmsUnavailableException.Kind.MALFORMED_RESPONSE,
            1),
        Arguments.of(
            "10 000-deep nesting",
            Fault.deepNesting(10_000),
            BrmsUnavailableException.Kind.MALFORMED_RESPONSE,
            1),
        Arguments.of(
            "50 MiB body",
            Fault.oversizedBody(50L * 1024 * 1024),
            BrmsUnavailableException.Kind.MALFORMED_RESPONSE,
            1),
        // What shows that no BRMS API is at the base URL is a misconfiguration, never retried.
        Arguments.of(
            "HTML 200", Fault.wrongContentType(), BrmsUnavailableException.Kind.MISCONFIGURED, 1),
        Arguments.of(
            "redirect to another host",
            Fault.redirect(URI.create("http://evil.example/api/x")),
            BrmsUnavailableException.Kind.MISCONFIGURED,
            1),
        Arguments.of(
            "404 on the lookup path",
            Fault.status(404),
            BrmsUnavailableException.Kind.MISCONFIGURED,
            1),
        Arguments.of(
            "200 with JSON of another shape",
            Fault.status(200),
            BrmsUnavailableException.Kind.MISCONFIGURED,
            1),
        Arguments.of(
            "unexpected 418",
            Fault.status(418),
            BrmsUnavailableException.Kind.MALFORMED_RESPONSE,
            1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("faults")
  void listOwnTokensWhenFaultThenUnavailableOfKindAfterBoundedAttempts(
      String name, Fault fault, BrmsUnavailableException.Kind kind, int expectedRequests)
      throws Exception {
    brms.inject(Endpoint.SELF_LIST, fault);
    long start = System.nanoTime();

    Throwable failure = failure(client.listOwnTokens(deployToken.secret()));

    assertEquals(
        kind,
        assertInstanceOf(BrmsUnavailableException.class, failure).kind(),
        failure.getMessage());
    assertTrue(
        failure.getMessage().startsWith("GET /api/personal-access-tokens"), failure.getMessage());
    assertFalse(failure.getMessage().contains(deployToken.secret()));
    assertEquals(expectedRequests, brms.requestCount(Endpoint.SELF_LIST));
    assertTrue(
        System.nanoTime() - start < Duration.ofSeconds(7).toNanos(), "bounded by the 5 s deadline");
  }

  @Test
  void listOwnTokensWhenSlowerThanTheDeadlineThenTimeoutWithinTheDeadline() throws Exception {
    BrmsClient impatient = track(clientBuilder().requestTimeout(Duration.ofMillis(400)).build());
    brms.inject(Endpoint.SELF_LIST, Fault.latency(Duration.ofSeconds(5)));
    long start = System.nanoTime();

    Throwable failure = failure(impatient.listOwnTokens(deployToken.secret()));

    assertEquals(
        BrmsUnavailableException.Kind.TIMEOUT,
        assertInstanceOf(BrmsUnavailableException.class, failure).kind());
    assertTrue(
        System.nanoTime() - start < Duration.ofMillis(1500).toNanos(),
        "bounded by the 400 ms deadline");
  }

  @Test
  void listOwnTokensWhenBodyStallsPastTheDeadlineThenTimeoutNotAHang() throws Exception {
    // The JDK's request timeout is only specified up to the headers (JDK-8208693); whichever of it
    // and the client's own body deadline fires first, a stalled body must end the call in time.
    BrmsClient impatient = track(clientBuilder().requestTimeout(Duration.ofMillis(500)).build());
    brms.inject(Endpoint.SELF_LIST, Fault.stalledBody(Duration.ofMinutes(5)));

    Throwable failure = failure(impatient.listOwnTokens(deployToken.secret()));

    BrmsUnavailableException unavailable =
        assertInstanceOf(BrmsUnavailableException.class, failure);
    assertEquals(BrmsUnavailableException.Kind.TIMEOUT, unavailable.kind(), failure.getMessage());
    assertFalse(failure.getMessage().contains(deployToken.secret()));
  }

  @Test
  void listOwnTokensWhenBodyStallsBrieflyWithinTheDeadlineThenParsed() throws Exception {
    brms.inject(Endpoint.SELF_LIST, Fault.stalledBody(Duration.ofMillis(200)), 1);

    assertEquals(1, client.listOwnTokens(deployToken.secret()).get(10, TimeUnit.SECONDS).size());
    assertEquals(1, brms.requestCount(Endpoint.SELF_LIST));
  }

  @Test
  void listOwnTokensWhenOne503ThenRetriedAndSucceeds() throws Exception {
    brms.inject(Endpoint.SELF_LIST, Fault.status(503), 1);
    assertEquals(1, client.listOwnTokens(deployToken.secret()).get(10, TimeUnit.SECONDS).size());
    assertEquals(2, brms.requestCount(Endpoint.SELF_LIST));
  }

  @Test
  void listOwnTokensWhenRetryAfterBeyondDeadlineThenFailsAtOnce() throws Exception {
    brms.inject(Endpoint.SELF_LIST, Fault.status(429).withHeader("Retry-After", "120"));
    long start = System.nanoTime();
    Throwable failure = failure(client.listOwnTokens(deployToken.secret()));
    assertInstanceOf(BrmsUnavailableException.class, failure);
    assertEquals(1, brms.requestCount(Endpoint.SELF_LIST));
    assertTrue(
        System.nanoTime() - start < Duration.ofSeconds(1).toNanos(),
        "no waiting past the deadline");
  }

  @Test
  void listOwnTokensWhenRetriesOffThenOneAttempt() throws Exception {
    BrmsClient once = track(clientBuilder().maxRetries(0).build());
    brms.inject(Endpoint.SELF_LIST, Fault.status(503));
    assertInstanceOf(
        BrmsUnavailableException.class, failure(once.listOwnTokens(deployToken.secret())));
    assertEquals(1, brms.requestCount(Endpoint.SELF_LIST));
  }

  @Test
  void builderWhenBaseUrlInvalidThenNamesIt() {
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> BrmsClient.builder().baseUrl("ftp://brms.example"))
            .getMessage()
            .contains("ftp://brms.example"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> BrmsClient.builder().baseUrl("https://brms.example/?x=1"))
            .getMessage()
            .contains("query"));
    assertEquals(
        "requestTimeout must be positive, got PT0S",
        assertThrows(
                IllegalArgumentException.class,
                () -> BrmsClient.builder().requestTimeout(Duration.ZERO))
            .getMessage());
    assertEquals(
        "maxRetries must be between 0 and 10, got -1",
        assertThrows(IllegalArgumentException.class, () -> BrmsClient.builder().maxRetries(-1))
            .getMessage());
  }
}
