package dev.patguard;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * Tells a base URL that does not lead to BRMS from a BRMS that is down, and says what to check.
 *
 * <p>A wrong URL is an operator's mistake that no retry mends, so it gets its own kind ({@link
 * BrmsUnavailableException.Kind#MISCONFIGURED}) and a message that names the host: "is
 * https://acme.example/api the BRMS base URL? patguard adds /api/… itself".
 */
final class BaseUrlDiagnosis {
  /** How long the plain-HTTP probe after an https connect timeout may take. */
  private static final int PROBE_MILLIS = 1_000;

  private final URI baseUrl;
  private final String shown;

  BaseUrlDiagnosis(URI baseUrl) {
    this.baseUrl = baseUrl;
    String s = baseUrl.toString();
    this.shown = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  /** "is X the BRMS base URL? patguard adds /api/… itself", with a corrected URL when obvious. */
  String question() {
    String path = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath();
    int api = apiSegment();
    String suggestion =
        api >= 0
            ? " (try "
                + baseUrl.getScheme()
                + "://"
                + baseUrl.getRawAuthority()
                + path.substring(0, api)
                + ")"
            : "";
    return "is " + shown + " the BRMS base URL? patguard adds /api/… itself" + suggestion;
  }

  /**
   * What can be told from the URL alone, before any request: a path that already holds {@code
   * /api}, and plain http to another machine, which sends every token in clear text.
   */
  List<String> startupWarnings() {
    List<String> warnings = new ArrayList<>(2);
    if (apiSegment() >= 0) {
      warnings.add(
          "the BRMS base URL "
              + shown
              + " holds /api, and patguard adds /api/… to it itself: "
              + question());
    }
    String host = baseUrl.getHost() == null ? "" : baseUrl.getHost();
    if ("http".equalsIgnoreCase(baseUrl.getScheme()) && !isLoopbackName(host)) {
      warnings.add(
          "the BRMS base URL "
              + shown
              + " is plain http to another machine: every token checked is sent in clear text;"
              + " use https");
    }
    return warnings;
  }

  private int apiSegment() {
    String path = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath();
    int api = path.indexOf("/api");
    while (api >= 0) {
      if (path.length() == api + 4 || path.charAt(api + 4) == '/') {
        return api;
      }
      api = path.indexOf("/api", api + 1);
    }
    return -1;
  }

  /** Loopback by name or literal address, without a DNS lookup. */
  private static boolean isLoopbackName(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost")
        || h.endsWith(".localhost")
        || h.startsWith("127.")
        || h.equals("[::1]")
        || h.equals("::1");
  }

  /** A response that shows no BRMS API is at the base URL (404 on the lookup, HTML, JSON shape). */
  BrmsUnavailableException notBrms(String what, String answered, int status) {
    return new BrmsUnavailableException(
        BrmsUnavailableException.Kind.MISCONFIGURED,
        what + " " + answered + ": " + question(),
        status,
        null);
  }

  /**
   * What a failure to connect says about the configuration, or null if it looks like an outage.
   * Call off the hot path only: a connect timeout on https costs a probe of up to a second.
   */
  @Nullable BrmsUnavailableException connectFailure(String what, Throwable failure) {
    String host = baseUrl.getHost() == null ? String.valueOf(baseUrl) : baseUrl.getHost();
    int port = port();
    if (has(failure, UnresolvedAddressException.class)
        || has(failure, UnknownHostException.class)) {
      return misconfigured(
          what, "cannot resolve host " + host + ": check the host name; " + question(), failure);
    }
    SSLException tls = find(failure, SSLException.class);
    if (tls != null) {
      return misconfigured(
          what,
          "TLS with "
              + host
              + ":"
              + port
              + " failed ("
              + tls.getMessage()
              + "): check that the port serves TLS and that its certificate is trusted; "
              + question(),
          failure);
    }
    if (find(failure, HttpConnectTimeoutException.class) != null) {
      if ("https".equalsIgnoreCase(baseUrl.getScheme()) && speaksPlainHttp(host, port)) {
        return misconfigured(
            what,
            shown
                + " answers plain HTTP, not TLS: use http://"
                + baseUrl.getRawAuthority()
                + " or the port that serves TLS",
            failure);
      }
      return null;
    }
    if (isRefusal(failure) && !isThisMachine(host)) {
      return misconfigured(
          what,
          "nothing accepted a connection at "
              + host
              + ":"
              + port
              + ": check the host and port; "
              + question(),
          failure);
    }
    return null;
  }

  /** Whether connecting failed with the host known and reached but no TLS or timeout involved. */
  static boolean isRefusal(Throwable failure) {
    return find(failure, ConnectException.class) != null
        && !has(failure, UnresolvedAddressException.class)
        && !has(failure, UnknownHostException.class)
        && !has(failure, HttpConnectTimeoutException.class)
        && !has(failure, SSLException.class);
  }

  private static BrmsUnavailableException misconfigured(
      String what, String message, Throwable cause) {
    return new BrmsUnavailableException(
        BrmsUnavailableException.Kind.MISCONFIGURED, what + ": " + message, 0, cause);
  }

  private int port() {
    if (baseUrl.getPort() >= 0) {
      return baseUrl.getPort();
    }
    return "https".equalsIgnoreCase(baseUrl.getScheme()) ? 443 : 80;
  }

  /**
   * A refusal by this machine is likely a BRMS (or fake) that is not up yet, so an outage; by
   * another host, a wrong host or port.
   */
  private static boolean isThisMachine(String host) {
    if ("localhost".equalsIgnoreCase(host)) {
      return true;
    }
    try {
      for (InetAddress a : InetAddress.getAllByName(host)) {
        if (!a.isLoopbackAddress()) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException | SecurityException e) {
      return false;
    }
  }

  /** Whether the port answers a plain-HTTP request with an HTTP status line. */
  private static boolean speaksPlainHttp(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), PROBE_MILLIS);
      socket.setSoTimeout(PROBE_MILLIS);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("HEAD / HTTP/1.0\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] start = in.readNBytes(5);
      return new String(start, StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT).equals("HTTP/");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static boolean has(Throwable t, Class<? extends Throwable> type) {
    return find(t, type) != null;
  }

  private static <T extends Throwable> @Nullable T find(Throwable t, Class<T> type) {
    Throwable c = t;
    for (int depth = 0; c != null && depth < 16; depth++, c = c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }
}
