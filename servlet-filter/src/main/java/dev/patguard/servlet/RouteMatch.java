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
 * @param requirement what the request needs, before the project is resolved; null when it needs
 *     nothing
 */
public record RouteMatch(
    @Nullable RouteRule rule, Map<String, String> variables, @Nullable Requirement requirement) {
  /**
   * Checks and copies the variables.
   *
   * @param rule the rule that matched, or null when {@link Unmatched} applied
   * @param variables the path variables' decoded values; not null, copied
   * @param requirement what the request needs, or null when it needs nothing
   * @throws NullPointerException if {@code variables} is null or holds a null name or value
   */
  public RouteMatch {
    Objects.requireNonNull(variables, "variables must not be null");
    variables = Map.copyOf(variables);
  }

  /**
   * How an {@link EnforcementEvent#route() enforcement event} names the match.
   *
   * @return the rule's {@link RouteRule#label() label}, or {@code unmatched} when no rule matched
   */
  public String label() {
    return rule == null ? "unmatched" : rule.label();
  }
}
