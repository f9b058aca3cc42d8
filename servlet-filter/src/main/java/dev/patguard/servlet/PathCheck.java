package dev.patguard.servlet;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Refuses request paths that are not in normal form, so that the path the filter matches is the
 * path the container dispatches: {@code .} and {@code ..} segments, {@code //}, {@code ;} path
 * parameters, backslashes, control characters, malformed escapes, and encoded {@code /}, {@code \},
 * {@code .}, {@code %} or control characters.
 *
 * <p>A path without {@code %} is checked character by character and is its own decoded form (every
 * character it may hold is printable ASCII), so it costs no allocation; a path with {@code %} is
 * decoded as UTF-8 and checked again once decoded. Both give the same answer for every input
 * ({@code PathCheckTest} holds them to it).
 */
final class PathCheck {
  private static final String NOT_ABSOLUTE = "the path must start with '/'";
  private static final String BAD_CHARACTER =
      "the path contains a control, space or non-ASCII character";
  private static final String PATH_PARAMETER =
      "the path contains ';' (path parameters are refused)";
  private static final String BACKSLASH = "the path contains a backslash";
  private static final String EMPTY_SEGMENT = "the path contains an empty segment (\"//\")";
  private static final String DOT_SEGMENT = "the path contains a '.' or '..' segment";

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
      return refuse(NOT_ABSOLUTE);
    }
    if (raw.indexOf('%') >= 0) {
      return checkDecoding(raw);
    }
    // No escapes: the same checks as checkDecoding, and the decoded path is raw itself.
    int segmentStart = 1;
    for (int i = 0; i < raw.length(); i++) {
      String problem = rawProblem(raw, i, segmentStart);
      if (problem != null) {
        return refuse(problem);
      }
      if (raw.charAt(i) == '/') {
        segmentStart = i + 1;
      }
    }
    if (isDotSegment(raw, segmentStart, raw.length())) {
      return refuse(DOT_SEGMENT);
    }
    return new Result(raw, null);
  }

  /**
   * The general check: decodes every escape, then refuses what the decoded text may not hold.
   * {@link #check} takes this path for every path holding a {@code %}; tests compare the two on the
   * others.
   */
  static Result checkDecoding(String raw) {
    if (raw.isEmpty() || raw.charAt(0) != '/') {
      return refuse(NOT_ABSOLUTE);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    int segmentStart = 1;
    for (int i = 0; i < raw.length(); i++) {
      String problem = rawProblem(raw, i, segmentStart);
      if (problem != null) {
        return refuse(problem);
      }
      char c = raw.charAt(i);
      if (c == '/') {
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
          return refuse(
              "the path contains an encoded '/', '\\', '.', '%', ';' or control character");
        }
        bytes.write(b);
        i += 2;
        continue;
      }
      bytes.write(c);
    }
    if (isDotSegment(raw, segmentStart, raw.length())) {
      return refuse(DOT_SEGMENT);
    }
    try {
      String decoded =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes.toByteArray()))
              .toString();
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

  /**
   * What is wrong with raw character {@code i} as such (both checks ask this of every character),
   * or null; {@code segmentStart} is where the segment a {@code '/'} at {@code i} would end began.
   */
  private static @Nullable String rawProblem(String raw, int i, int segmentStart) {
    char c = raw.charAt(i);
    if (c < 0x21 || c >= 0x7F) {
      return BAD_CHARACTER;
    }
    if (c == ';') {
      return PATH_PARAMETER;
    }
    if (c == '\\') {
      return BACKSLASH;
    }
    if (c == '/' && i > 0) {
      if (raw.charAt(i - 1) == '/') {
        return EMPTY_SEGMENT;
      }
      if (isDotSegment(raw, segmentStart, i)) {
        return DOT_SEGMENT;
      }
    }
    return null;
  }

  /** Whether {@code raw[start, end)} is {@code .} or {@code ..}. */
  private static boolean isDotSegment(String raw, int start, int end) {
    int n = end - start;
    return (n == 1 || n == 2) && raw.charAt(start) == '.' && raw.charAt(end - 1) == '.';
  }

  private static Result refuse(String why) {
    return new Result(null, why);
  }
}
