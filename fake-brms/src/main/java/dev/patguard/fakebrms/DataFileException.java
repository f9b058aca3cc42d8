package dev.patguard.fakebrms;

import java.util.Objects;

/**
 * A fake-brms data file is malformed; the message names the file and the JSON path of the bad
 * value.
 */
public final class DataFileException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /** The file name or other description of the input, as passed to the constructor. */
  private final String source;

  /** The JSON path of the bad value, such as {@code $.users[0].email}. */
  private final String jsonPath;

  /**
   * Creates the exception.
   *
   * @param source the file name or another description of the input
   * @param jsonPath the JSON path of the bad value, such as {@code $.users[0].tokens[1].expiresIn}
   * @param problem what is wrong with it
   */
  public DataFileException(String source, String jsonPath, String problem) {
    super(
        "bad fake-brms data in "
            + Objects.requireNonNull(source, "source must not be null")
            + " at "
            + Objects.requireNonNull(jsonPath, "jsonPath must not be null")
            + ": "
            + Objects.requireNonNull(problem, "problem must not be null"));
    this.source = source;
    this.jsonPath = jsonPath;
  }

  /**
   * Returns the file name or input description.
   *
   * @return the source
   */
  public String source() {
    return source;
  }

  /**
   * Returns the JSON path of the bad value.
   *
   * @return the path, such as {@code $.users[0].email}
   */
  public String jsonPath() {
    return jsonPath;
  }
}
