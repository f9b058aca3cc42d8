package dev.patguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BaseUrlDiagnosisTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "https://acme.us1.gorules.io | is https://acme.us1.gorules.io the BRMS base URL? patguard"
            + " adds /api/… itself",
        "https://acme.us1.gorules.io/ | is https://acme.us1.gorules.io the BRMS base URL? patguard"
            + " adds /api/… itself",
        "https://acme.us1.gorules.io/api | is https://acme.us1.gorules.io/api the BRMS base URL?"
            + " patguard adds /api/… itself (try https://acme.us1.gorules.io)",
        "https://acme.example:8443/brms/api/personal-access-tokens | is"
            + " https://acme.example:8443/brms/api/personal-access-tokens the BRMS base URL?"
            + " patguard adds /api/… itself (try https://acme.example:8443/brms)",
        "http://127.0.0.1:8080/apiary | is http://127.0.0.1:8080/apiary the BRMS base URL? patguard"
            + " adds /api/… itself",
      })
  void questionNamesTheUrlAndSuggestsOneWithoutApi(String url, String expected) {
    assertEquals(expected, new BaseUrlDiagnosis(URI.create(url)).question());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "https://acme.us1.gorules.io | 0",
        "http://127.0.0.1:8080 | 0",
        "http://localhost:8080 | 0",
        "http://[::1]:8080 | 0",
        "https://acme.us1.gorules.io/api | 1",
        "http://brms.internal:8080 | 1",
        "http://brms.internal:8080/api/ | 2",
      })
  void startupWarningsWhenTheUrlAloneShowsAProblem(String url, int warnings) {
    assertEquals(warnings, new BaseUrlDiagnosis(URI.create(url)).startupWarnings().size(), url);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"UNRESOLVED", "TLS", "REFUSED"})
  void connectFailureWhenConfigurationIsAtFaultThenMisconfiguredNamingTheHost(String kind) {
    BaseUrlDiagnosis remote = new BaseUrlDiagnosis(URI.create("https://192.0.2.1:9"));
    IOException failure =
        switch (kind) {
          case "UNRESOLVED" -> wrapped(new UnresolvedAddressException());
          case "TLS" -> wrapped(new SSLHandshakeException("Remote host terminated the handshake"));
          default -> new ConnectException();
        };

    BrmsUnavailableException e = remote.connectFailure("GET /x", failure);

    assertEquals(BrmsUnavailableException.Kind.MISCONFIGURED, e.kind());
    assertEquals(true, e.getMessage().contains("192.0.2.1"), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"http://127.0.0.1:9", "http://localhost:9", "http://[::1]:9"})
  void refusalByThisMachineThenAnOutageNotAMisconfiguration(String url) {
    assertNull(
        new BaseUrlDiagnosis(URI.create(url)).connectFailure("GET /x", new ConnectException()));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"http://192.0.2.1:9", "https://127.0.0.1:9"})
  void connectTimeoutWithoutPlainHttpBehindThenAnOutage(String url) {
    // Nothing listens on port 9 of this machine: the probe finds no plain HTTP and the timeout
    // stays a timeout; plain http is never probed.
    assertNull(
        new BaseUrlDiagnosis(URI.create(url))
            .connectFailure("GET /x", new HttpConnectTimeoutException("HTTP connect timed out")));
  }

  private static IOException wrapped(Throwable cause) {
    ConnectException e = new ConnectException();
    e.initCause(cause);
    return e;
  }
}
