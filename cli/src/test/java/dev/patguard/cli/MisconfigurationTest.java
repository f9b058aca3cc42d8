package dev.patguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.patguard.fakebrms.Endpoint;
import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.Fault;
import dev.patguard.fakebrms.MintedToken;
import dev.patguard.fakebrms.MutableClock;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A BRMS URL that does not lead to BRMS exits 64 with one line naming the host and what to check; a
 * BRMS that is reachable but failing stays exit 2. Through the real entry point, against fake-brms
 * and against plain HTTP servers that are not BRMS.
 */
class MisconfigurationTest {
  private static final String[] COMMANDS = {"check", "explain"};

  private final MutableClock clock = MutableClock.at("2026-11-29T12:00:00Z");
  private final CliHarness cli = new CliHarness(clock);
  private FakeBrms brms;
  private MintedToken deployer;
  private CannedHttpServer notBrms;

  @BeforeEach
  void start() {
    brms = FakeBrms.builder().clock(clock).start();
    deployer =
        brms.mint(
            s ->
                s.permissions("releases:deploy")
                    .projects("web-shop")
                    .expiresIn(Duration.ofDays(30)));
    cli.env("PATGUARD_TOKEN", cli.secret(deployer.secret()));
  }

  @AfterEach
  void stop() throws IOException {
    brms.close();
    if (notBrms != null) {
      notBrms.close();
    }
  }

  private CliHarness.Result run(String command, String url, String... more) {
    String[] args =
        Stream.concat(
                Stream.of(command, "--brms-url", url, "--require", "releases:deploy@web-shop"),
                Stream.of(more))
            .toArray(String[]::new);
    return cli.run(args);
  }

  /**
   * Exit 64, nothing on stdout, and one error line on stderr (after any progress lines) that says
   * {@code expected}.
   */
  private static void assertMisconfigured(CliHarness.Result r, String... expected) {
    assertEquals(64, r.code(), r::toString);
    assertEquals("", r.stdout(), r::toString);
    assertEquals(
        1,
        r.stderr().lines().filter(l -> !l.startsWith("patguard: still waiting for BRMS")).count(),
        r::toString);
    for (String e : expected) {
      assertTrue(r.stderr().contains(e), () -> "expected \"" + e + "\" in\n" + r);
    }
  }

  private String plainServer(int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String head =
        "HTTP/1.1 "
            + status
            + " Canned\r\nContent-Type: "
            + contentType
            + "\r\nContent-Length: "
            + bytes.length
            + (status >= 300 && status < 400 ? "\r\nLocation: https://login.example/sso" : "")
            + "\r\nConnection: close\r\n\r\n";
    notBrms = new CannedHttpServer(head + body);
    return "http://127.0.0.1:" + notBrms.port();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commands")
  void baseUrlWithApiSuffixThenExit64SuggestingTheBaseUrl(String command) {
    String base = brms.baseUrl().toString().replaceAll("/$", "");

    CliHarness.Result r = run(command, base + "/api");

    assertMisconfigured(
        r,
        "misconfigured BRMS URL: GET /api/personal-access-tokens answered 404",
        "is " + base + "/api the BRMS base URL? patguard adds /api/… itself (try " + base + ")");
  }

  static Stream<Arguments> notBrmsAnswers() {
    return Stream.of(
        Arguments.of("HTML page", 200, "text/html; charset=utf-8", "<html>Welcome</html>"),
        Arguments.of("other JSON API", 200, "application/json", "{\"status\":\"ok\"}"),
        Arguments.of("JSON string", 200, "application/json", "\"hello\""),
        Arguments.of("404 page", 404, "text/html", "<h1>Not Found</h1>"),
        Arguments.of("redirect to a login", 302, "text/html", ""));
  }

  static Stream<Arguments> commands() {
    return Stream.of(COMMANDS).map(Arguments::of);
  }

  static Stream<Arguments> notBrmsAnswersForEachCommand() {
    return notBrmsAnswers()
        .flatMap(
            a ->
                Stream.of(COMMANDS)
                    .map(
                        c -> {
                          Object[] args = a.get();
                          return Arguments.of(c, args[0], args[1], args[2], args[3]);
                        }));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("notBrmsAnswersForEachCommand")
  void serverThatIsNotBrmsThenExit64NamingTheHost(
      String command, String name, int status, String contentType, String body) throws IOException {
    String url = plainServer(status, contentType, body);

    CliHarness.Result r = run(command, url);

    assertMisconfigured(
        r,
        "GET /api/personal-access-tokens answered",
        "is " + url + " the BRMS base URL? patguard adds /api/… itself");
  }

  @Test
  void httpsAgainstAPlainHttpPortThatWaitsThenExit64SayingUseHttp() {
    String authority = brms.baseUrl().getRawAuthority();

    CliHarness.Result r = run("check", "https://" + authority, "--timeout", "1s");

    assertMisconfigured(
        r, "https://" + authority + " answers plain HTTP, not TLS: use http://" + authority);
  }

  @Test
  void httpsAgainstAPlainHttpPortThatAnswersAtOnceThenExit64NamingTheTlsFailure()
      throws IOException {
    // Answers whatever arrives with a plain-HTTP 400 at once, as Jetty and Tomcat do.
    try (CannedHttpServer server =
        new CannedHttpServer(
            "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")) {
      CliHarness.Result r = run("explain", "https://127.0.0.1:" + server.port(), "--timeout", "1s");

      assertMisconfigured(
          r, "TLS with 127.0.0.1:" + server.port() + " failed", "check that the port serves TLS");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commands")
  void unknownHostThenExit64NamingIt(String command) {
    CliHarness.Result r = run(command, "https://patguard-no-such-host.invalid");

    assertMisconfigured(
        r,
        "cannot resolve host patguard-no-such-host.invalid: check the host name",
        "is https://patguard-no-such-host.invalid the BRMS base URL?");
  }

  @Test
  void refusedByAnotherHostThenExit64NamingHostAndPort() throws IOException {
    Optional<InetAddress> address = nonLoopbackAddress();
    assumeTrue(address.isPresent(), "this machine has no non-loopback IPv4 address");
    String host = address.get().getHostAddress();
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, address.get())) {
      port = s.getLocalPort();
    }

    CliHarness.Result r = run("check", "http://" + host + ":" + port);

    assertMisconfigured(
        r, "nothing accepted a connection at " + host + ":" + port + ": check the host and port");
  }

  @Test
  void refusedByThisMachineThenStillAnOutageExit2() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }

    CliHarness.Result r = run("check", "http://127.0.0.1:" + port);

    assertEquals(2, r.code(), r::toString);
    assertTrue(r.stdout().contains("BRMS_UNAVAILABLE"), r::toString);
  }

  static Stream<Arguments> failingBrms() {
    return Stream.of(
        Arguments.of("503", Fault.status(503), "BRMS_UNAVAILABLE"),
        Arguments.of("malformed JSON", Fault.malformedJson(), "MALFORMED_RESPONSE"),
        Arguments.of("too slow", Fault.latency(Duration.ofSeconds(5)), "TIMEOUT"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failingBrms")
  void brmsReachableButFailingThenExit2NotAMisconfiguration(
      String name, Fault fault, String cause) {
    brms.inject(Endpoint.SELF_LIST, fault);

    CliHarness.Result r = run("check", brms.baseUrl().toString(), "--timeout", "500ms");

    assertEquals(2, r.code(), r::toString);
    assertTrue(r.stdout().startsWith("INDETERMINATE: could not decide"), r::toString);
    assertTrue(r.stdout().contains(cause), r::toString);
  }

  @Test
  void misconfigurationWithJsonFormatThenExit64AndTheLineOnStderr() {
    String base = brms.baseUrl().toString().replaceAll("/$", "");

    CliHarness.Result r = run("check", base + "/api", "--format", "json");

    assertMisconfigured(r, "is " + base + "/api the BRMS base URL?");
  }

  private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (InetAddress a : Collections.list(nic.getInetAddresses())) {
        if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
          return Optional.of(a);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * A plain HTTP server that is not BRMS: it reads what arrives (up to the end of the request head,
   * or whatever a TLS client sends first) and answers every connection with the same bytes.
   */
  private static final class CannedHttpServer implements AutoCloseable {
    private final ServerSocket server;

    CannedHttpServer(String response) throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      byte[] bytes = response.getBytes(StandardCharsets.UTF_8);
      Thread answering =
          new Thread(
              () -> {
                while (!server.isClosed()) {
                  try (Socket s = server.accept()) {
                    readHead(s.getInputStream());
                    s.getOutputStream().write(bytes);
                  } catch (IOException e) {
                    // closed by the test, or the client gave up: on to the next connection
                  }
                }
              },
              "canned-http");
      answering.setDaemon(true);
      answering.start();
    }

    /** Reads up to a blank line, or whatever a first read brings if that is not HTTP. */
    private static void readHead(InputStream in) throws IOException {
      byte[] buffer = new byte[8192];
      int length = 0;
      while (length < buffer.length) {
        int n = in.read(buffer, length, buffer.length - length);
        if (n < 0) {
          return;
        }
        length += n;
        String text = new String(buffer, 0, length, StandardCharsets.ISO_8859_1);
        if (text.contains("\r\n\r\n") || !text.startsWith("GET") && !text.startsWith("HEAD")) {
          return;
        }
      }
    }

    int port() {
      return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
