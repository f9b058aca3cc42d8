package dev.patguard.junit;

import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** A variable a token check needs is not set; the message names it (never a value). */
final class MissingVariableException extends ExtensionConfigurationException {
  private static final long serialVersionUID = 1L;

  private final String variable;

  MissingVariableException(String who, String variable, String what) {
    super(
        who
            + ": "
            + what
            + " is not set: set the environment variable "
            + variable
            + " (or the configuration parameter "
            + PatGuardTestConfig.ENV_PREFIX
            + variable
            + "), or use onMissing = SKIP to skip this check where it is absent");
    this.variable = variable;
  }

  MissingVariableException(String who, String variable, String key, String what) {
    super(
        who
            + ": "
            + what
            + " is not set: set the environment variable "
            + variable
            + " or the configuration parameter "
            + key
            + ", or use onMissing = SKIP to skip this check where it is absent");
    this.variable = variable;
  }

  String variable() {
    return variable;
  }
}
