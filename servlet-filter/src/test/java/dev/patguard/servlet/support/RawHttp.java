package dev.patguard.servlet.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Sends bytes the JDK client refuses to send (CR, LF, NUL, duplicate credentials, odd paths) over a
 * socket.
 */
public final class RawHttp {
  private RawHttp() {}

  /** A raw response: the whole text (status line, headers, body) and the status. */
  public record Response(int status, String text) {}

  /** Sends {@code head} (request line and headers, without the blank line) and reads the answer. */
  public static Response send(int port, String head) throws IOException {
    return send(port, head, "");
  }

  /**
   * Sends {@code head}, the blank line and {@code body} (whose Content-Length the head must give).
   */
  public static Response send(int port, String head, String body) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      out.write((head + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      byte[] b = new byte[8192];
      try {
        for (int n; (n = in.read(b)) >= 0; ) {
          buf.write(b, 0, n);
        }
      } catch (java.net.SocketException e) {
        // a container may reset after answering a malformed request: keep what arrived
      }
      String text = buf.toString(StandardCharsets.ISO_8859_1);
      int status = -1;
      if (text.startsWith("HTTP/1.")) {
        status = Integer.parseInt(text.substring(9, 12));
      }
      return new Response(status, text);
    }
  }
}
