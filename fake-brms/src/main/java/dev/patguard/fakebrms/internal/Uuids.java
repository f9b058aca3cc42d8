package dev.patguard.fakebrms.internal;

import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Strict UUID parsing: {@link UUID#fromString} accepts odd forms such as {@code 1-1-1-1-1}. */
final class Uuids {

  private static final Pattern CANONICAL =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private Uuids() {}

  static @Nullable UUID parse(String text) {
    return CANONICAL.matcher(text).matches() ? UUID.fromString(text) : null;
  }
}
