package dev.patguard.decision;

/**
 * A requirement's text (CLI argument, policy file, annotation) cannot be read; the message quotes
 * it.
 */
public final class RequirementFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** The text that could not be read, as given. */
  private final String input;

  RequirementFormatException(String input, String problem) {
    super("invalid requirement \"" + input + "\": " + problem);
    this.input = input;
  }

  /**
   * The text that could not be read.
   *
   * @return the text as given, white space included
   */
  public String input() {
    return input;
  }
}
