package dev.patguard.servlet.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Refuses request paths that are not in normal form, so that the path the filter matches is the
 * path the container dispatches: {@code .} and {@code ..} segments, {@code //}, {@code ;} path
 * parameters, backslashes, control characters, malformed escapes, and encoded {@code /},
 * {@code \}, {@code .}, {@code %} or control characters.
 */
public final class PathCheck {
  private PathCheck() {}

  /** A raw path that passed, decoded; or why it did not. */
  public record Result(@Nullable String decoded, @Nullable String problem) {
    /** Whether the path was refused. */
    public boolean refused() {
      return problem != null;
    }
  }

  /** Checks the raw (still percent-encoded) path and decodes it. */
  public static Result check(String raw) {
    if (raw.isEmpty() || raw.charAt(0) != '/') {
      return refuse("the path must start with '/'");
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    int segmentStart = 1;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c < 0x21 || c >= 0x7F) {
        return refuse("the path contains a control, space or non-ASCII character");
      }
      if (c == ';') {
        return refuse("the path contains ';' (path parameters are refused)");
      }
      if (c == '\\') {
        return refuse("the path contains a backslash");
      }
      if (c == '/') {
        if (i > 0 && raw.charAt(i - 1) == '/') {
          return refuse("the path contains an empty segment (\"//\")");
        }
        if (i > 0) {
          String seg = raw.substring(segmentStart, i);
          if (seg.equals(".") || seg.equals("..")) {
            return refuse("the path contains a '.' or '..' segment");
          }
        }
        segmentStart = i + 1;
        bytes.write('/');
        continue;
      }
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          return refuse("the path contains a malformed %-escape");
        }
        int hi = Character.digit(raw.charAt(i + 1), 16);
        int lo = Character.digit(raw.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return refuse("the path contains a malformed %-escape");
        }
        int b = hi * 16 + lo;
        if (b == '/' || b == '\\' || b == '.' || b == '%' || b == ';' || b < 0x20 || b == 0x7F) {
          return refuse("the path contains an encoded '/', '\\', '.', '%', ';' or control character");
        }
        bytes.write(b);
        i += 2;
        continue;
      }
      bytes.write(c);
    }
    String last = raw.substring(segmentStart);
    if (last.equals(".") || last.equals("..")) {
      return refuse("the path contains a '.' or '..' segment");
    }
    try {
      String decoded = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
      for (int i = 0; i < decoded.length(); i++) {
        char c = decoded.charAt(i);
        if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0)) {
          return refuse("the path contains an encoded control character");
        }
      }
      return new Result(decoded, null);
    } catch (CharacterCodingException e) {
      return refuse("the path is not valid UTF-8 once decoded");
    }
  }

  private static Result refuse(String why) {
    return new Result(null, why);
  }
}
