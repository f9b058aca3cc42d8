package dev.patguard.servlet;

import dev.patguard.decision.Requirement;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The rule a request matched, with the values of the template's variables.
 *
 * @param rule the first rule that matched, or null when none did and {@link Unmatched} applied
 * @param variables the path variables' (decoded) values
 * @param requirement what the request needs, before the project is resolved; null when it needs nothing
 */
public record RouteMatch(@Nullable RouteRule rule, Map<String, String> variables, @Nullable Requirement requirement) {
  public RouteMatch {
    Objects.requireNonNull(variables, "variables must not be null");
    variables = Map.copyOf(variables);
  }

  /** The rule's label, or {@code unmatched}. */
  public String label() {
    return rule == null ? "unmatched" : rule.label();
  }
}
