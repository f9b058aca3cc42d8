package dev.patguard.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one Jackson configuration core reads untrusted JSON with.
 *
 * <p>The limits bound the work a hostile or broken server can cause: BRMS token JSON is a few
 * levels deep and a few kilobytes long, so anything far beyond that is rejected while parsing
 * rather than after building a huge tree (or overflowing the stack on deep nesting).
 */
public final class Json {
  /** Deepest nesting accepted; token JSON needs 4. */
  public static final int MAX_NESTING_DEPTH = 32;

  /** Longest string value accepted. */
  public static final int MAX_STRING_LENGTH = 64 * 1024;

  private static final ObjectMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(MAX_NESTING_DEPTH)
                          .maxStringLength(MAX_STRING_LENGTH)
                          .maxNumberLength(64)
                          .maxNameLength(1024)
                          .build())
                  .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private Json() {}

  /** The shared mapper (thread-safe once configured; never reconfigure it). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }
}
