package dev.patguard.spring.security;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads a parameter from the raw query string only, never the body ({@code getParameter} would read
 * a form body): {@code +} is a space, escapes are UTF-8. The filter's rules.
 */
final class QueryValues {
  private QueryValues() {}

  /**
   * Every value of {@code name}, in order.
   *
   * @throws IllegalArgumentException for a malformed escape or invalid UTF-8 (never quoting it)
   */
  static List<String> of(@Nullable String query, String name) {
    List<String> out = new ArrayList<>();
    if (query == null || query.isEmpty()) {
      return out;
    }
    for (String pair : query.split("&", -1)) {
      int eq = pair.indexOf('=');
      String n = decode(eq < 0 ? pair : pair.substring(0, eq));
      if (n.equals(name)) {
        out.add(eq < 0 ? "" : decode(pair.substring(eq + 1)));
      }
    }
    return out;
  }

  private static String decode(String s) {
    if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
      return s;
    }
    ByteArrayOutputStream b = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '+') {
        b.write(' ');
      } else if (c == '%') {
        int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
        int lo = i + 2 < s.length() ? Character.digit(s.charAt(i + 2), 16) : -1;
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException("malformed %-escape in the query string");
        }
        b.write(hi * 16 + lo);
        i += 2;
      } else {
        byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        b.write(utf8, 0, utf8.length);
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
