package dev.patguard.junit;

import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Where settings and variables come from: JUnit configuration parameters first (which JUnit backs
 * with system properties and {@code junit-platform.properties}), then the process environment. A
 * variable {@code NAME} is looked up as the configuration parameter {@code patguard.env.NAME}
 * before the environment variable, which is the seam tests use. Blank values count as unset.
 */
final class Environment {
  private final Function<String, Optional<String>> parameters;
  private final Function<String, Optional<String>> variables;

  Environment(
      Function<String, Optional<String>> parameters, Function<String, Optional<String>> variables) {
    this.parameters = parameters;
    this.variables = variables;
  }

  static Environment of(ExtensionContext context) {
    return new Environment(
        context::getConfigurationParameter, name -> Optional.ofNullable(System.getenv(name)));
  }

  /** A configuration parameter. */
  Optional<String> parameter(String key) {
    return parameters.apply(key).map(String::strip).filter(v -> !v.isEmpty());
  }

  /** A variable: {@code patguard.env.NAME}, else the environment variable {@code NAME}. */
  Optional<String> variable(String name) {
    return parameter(PatGuardTestConfig.ENV_PREFIX + name)
        .or(() -> variables.apply(name).map(String::strip).filter(v -> !v.isEmpty()));
  }

  /** A setting: the configuration parameter {@code key}, else the variable {@code envName}. */
  Optional<String> setting(String key, String envName) {
    return parameter(key).or(() -> variable(envName));
  }
}
