package dev.patguard.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads parameters from the raw query string only, never a body (a servlet's {@code getParameter}
 * would read and consume a form body): {@code +} is a space, {@code %}-escapes are UTF-8.
 */
public final class RawQuery {
  private RawQuery() {}

  /**
   * Every value of parameter {@code name}, in order; a name without {@code =} has the value "".
   *
   * @param rawQuery the query string as received (not decoded), or null for none
   * @param name the decoded parameter name
   * @return the decoded values, empty if none or no query
   * @throws IllegalArgumentException for a malformed {@code %}-escape or decoded bytes that are not
   *     UTF-8; the message never quotes the query (it may hold a token)
   */
  public static List<String> values(@Nullable String rawQuery, String name) {
    List<String> out = new ArrayList<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return out;
    }
    for (String pair : rawQuery.split("&", -1)) {
      int eq = pair.indexOf('=');
      String n = decode(eq < 0 ? pair : pair.substring(0, eq));
      if (n.equals(name)) {
        out.add(eq < 0 ? "" : decode(pair.substring(eq + 1)));
      }
    }
    return out;
  }

  static String decode(String s) {
    if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
      return s;
    }
    ByteArrayOutputStream b = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '+') {
        b.write(' ');
      } else if (c == '%') {
        if (i + 2 >= s.length()) {
          throw new IllegalArgumentException("malformed %-escape in the query string");
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException("malformed %-escape in the query string");
        }
        b.write(hi * 16 + lo);
        i += 2;
      } else if (c > 0x7F) {
        byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        b.write(utf8, 0, utf8.length);
      } else {
        b.write(c);
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("the query string is not valid UTF-8 once decoded");
    }
  }
}
