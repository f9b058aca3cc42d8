package dev.patguard.servlet;

import dev.patguard.decision.Requirement;
import dev.patguard.servlet.internal.PathTemplate;
import dev.patguard.servlet.internal.PolicyReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Which requests need which permissions: an ordered list of {@link RouteRule}s (the first rule
 * whose methods and template match wins) and what to do with requests none matches.
 *
 * <pre>{@code
 * RoutePolicy policy = RoutePolicy.builder()
 *     .rule("POST", "/api/projects/{projectId}/releases/deploy", "releases:deploy", ProjectSource.path("projectId"))
 *     .publicRoute("GET", "/health")
 *     .unmatched(Unmatched.DENY)
 *     .build();
 * }</pre>
 *
 * Or from a JSON or YAML file with {@link #load(Path)} (see the module README for the format).
 * Instances are immutable.
 */
public final class RoutePolicy {
  /** The formats of policy files. */
  public enum Format {
    /** JSON, from a {@code .json} file. */
    JSON,
    /** YAML, from a {@code .yaml} or {@code .yml} file. */
    YAML;

    /**
     * {@code .json} is JSON; {@code .yaml} and {@code .yml} are YAML.
     *
     * @param name a file name; the ending is compared in any case
     * @return the format its ending names
     * @throws PolicyException if the name has none of those endings
     */
    public static Format ofFileName(String name) {
      String n = name.toLowerCase(Locale.ROOT);
      if (n.endsWith(".json")) {
        return JSON;
      }
      if (n.endsWith(".yaml") || n.endsWith(".yml")) {
        return YAML;
      }
      throw new PolicyException(
          "policy " + name + ": the file name must end in .json, .yaml or .yml");
    }
  }

  private final List<RouteRule> rules;
  private final PathTemplate[] templates;

  /**
   * One bit (0-62) for each method some rule names (at most 63 of them; else null and each rule's
   * {@link RouteRule#appliesTo} is asked), and for each rule the bits of its methods; a rule of
   * every method has all 64 bits, and bit 63 stands for any method no rule names. One map lookup a
   * request instead of a string comparison a rule.
   */
  private final @Nullable Map<String, Long> methodBits;

  private final long[] methodMasks;
  private final Unmatched unmatched;

  private RoutePolicy(List<RouteRule> rules, Unmatched unmatched) {
    this.rules = List.copyOf(rules);
    this.templates = new PathTemplate[this.rules.size()];
    Map<String, Long> bits = new HashMap<>();
    for (int i = 0; i < templates.length; i++) {
      RouteRule r = this.rules.get(i);
      templates[i] = PathTemplate.compile(r.path());
      for (String m : r.methods()) {
        bits.putIfAbsent(m, 1L << Math.min(bits.size(), 62));
      }
    }
    this.methodBits = bits.size() <= 63 ? Map.copyOf(bits) : null;
    this.methodMasks = new long[templates.length];
    for (int i = 0; i < templates.length; i++) {
      long mask = this.rules.get(i).methods().isEmpty() ? -1L : 0L;
      for (String m : this.rules.get(i).methods()) {
        mask |= bits.get(m);
      }
      methodMasks[i] = mask;
    }
    this.unmatched = unmatched;
  }

  /**
   * Starts an empty policy (unmatched requests denied).
   *
   * @return a new builder without rules
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads a policy file ({@code .json}, {@code .yaml} or {@code .yml}).
   *
   * @param file the policy file; its name's ending gives the format
   * @return the policy, every rule checked
   * @throws NullPointerException if {@code file} is null
   * @throws PolicyException naming the rule and field, or the I/O problem
   */
  public static RoutePolicy load(Path file) {
    Objects.requireNonNull(file, "file must not be null");
    Format format = Format.ofFileName(file.getFileName().toString());
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, format, file.toString());
    } catch (IOException e) {
      throw new PolicyException("policy " + file + ": cannot read it: " + e.getMessage(), e);
    }
  }

  /**
   * Reads a policy from a stream.
   *
   * @param in the policy text
   * @param format how to read it
   * @param source how messages name it (such as the file name)
   * @return the policy, every rule checked
   * @throws NullPointerException if any argument is null
   * @throws PolicyException naming the rule and field
   */
  public static RoutePolicy read(InputStream in, Format format, String source) {
    Objects.requireNonNull(in, "in must not be null");
    Objects.requireNonNull(format, "format must not be null");
    Objects.requireNonNull(source, "source must not be null");
    return PolicyReader.read(in, format == Format.YAML, source);
  }

  /**
   * The rules, in matching order.
   *
   * @return the rules, unmodifiable
   */
  public List<RouteRule> rules() {
    return rules;
  }

  /**
   * What happens to requests no rule matches.
   *
   * @return the setting; {@link Unmatched#DENY} unless set
   */
  public Unmatched unmatched() {
    return unmatched;
  }

  /**
   * The same rules with another {@link Unmatched} setting.
   *
   * @param unmatched what to do with requests no rule matches; not null
   * @return a new policy; this one is unchanged
   * @throws NullPointerException if {@code unmatched} is null
   */
  public RoutePolicy withUnmatched(Unmatched unmatched) {
    return new RoutePolicy(rules, Objects.requireNonNull(unmatched, "unmatched must not be null"));
  }

  /**
   * The first rule matching {@code method} and {@code path} (decoded, normalised, context path
   * stripped); when none does, a match without a rule whose requirement follows {@link
   * #unmatched()} ({@code authenticated()} for {@link Unmatched#AUTHENTICATED}), or empty for
   * {@link Unmatched#DENY}.
   *
   * @param method the request method, such as {@code GET}
   * @param path the request path, starting with {@code /}
   * @return the match; empty when no rule matched and unmatched requests are denied
   * @throws IllegalArgumentException if {@code path} is empty
   */
  public Optional<RouteMatch> match(String method, String path) {
    return Optional.ofNullable(find(method, path));
  }

  /** {@link #match} without the {@code Optional}: null where it is empty (for the filter). */
  @Nullable RouteMatch find(String method, String path) {
    PathTemplate.Segments segments = PathTemplate.Segments.of(path);
    Map<String, Long> bits = methodBits;
    long bit = 0;
    if (bits != null) {
      Long b = method == null ? null : bits.get(method);
      bit =
          b == null
              ? Long.MIN_VALUE
              : b; // bit 63: a method no rule names, so only rules of every method apply
    }
    for (int i = 0; i < templates.length; i++) {
      RouteRule rule = rules.get(i);
      if (bits != null ? (methodMasks[i] & bit) == 0 : !rule.appliesTo(method)) {
        continue;
      }
      Map<String, String> vars = templates[i].match(segments);
      if (vars != null) {
        return new RouteMatch(rule, vars, rule.requirement());
      }
    }
    return switch (unmatched) {
      case DENY -> null;
      case AUTHENTICATED -> new RouteMatch(null, Map.of(), Requirement.authenticated());
      case ALLOW -> new RouteMatch(null, Map.of(), null);
    };
  }

  @Override
  public String toString() {
    return "RoutePolicy[" + rules.size() + " rules, unmatched=" + unmatched + "]";
  }

  /** Assembles a policy; each rule is checked as it is added, and messages name its index. */
  public static final class Builder {
    private final List<RouteRule> rules = new ArrayList<>();
    private Unmatched unmatched = Unmatched.DENY;

    private Builder() {}

    /**
     * Adds a rule, after those already added.
     *
     * @param rule the rule; not null
     * @return this builder
     * @throws NullPointerException if {@code rule} is null
     */
    public Builder rule(RouteRule rule) {
      rules.add(Objects.requireNonNull(rule, "rule must not be null"));
      return this;
    }

    /**
     * Adds a rule: {@code methods} such as {@code "POST"} or {@code "GET,HEAD"} ({@code "*"} for
     * all), a path template, a requirement in text form ({@code releases:deploy}) and where the
     * project comes from (null when the requirement names none, or a fixed {@code @project}).
     *
     * @param methods comma-separated upper-case method names, or {@code "*"} for all
     * @param path the path template, starting with {@code /}
     * @param requirement the requirement in the form {@link Requirement#parse} reads
     * @param project where the project comes from, or null
     * @return this builder
     * @throws PolicyException naming the rule and what is wrong
     */
    public Builder rule(
        String methods, String path, String requirement, @Nullable ProjectSource project) {
      try {
        return rule(RouteRule.of(methods, path, requirement, project));
      } catch (IllegalArgumentException e) {
        throw new PolicyException(prefix(methods, path) + e.getMessage(), e);
      }
    }

    /**
     * Adds a rule for which no token is needed.
     *
     * @param methods comma-separated upper-case method names, or {@code "*"} for all
     * @param path the path template, starting with {@code /}
     * @return this builder
     * @throws PolicyException naming the rule and what is wrong
     */
    public Builder publicRoute(String methods, String path) {
      try {
        return rule(RouteRule.publicRoute(methods, path));
      } catch (IllegalArgumentException e) {
        throw new PolicyException(prefix(methods, path) + e.getMessage(), e);
      }
    }

    private String prefix(String methods, String path) {
      return "policy rule #" + (rules.size() + 1) + " (" + methods + " " + path + "): ";
    }

    /**
     * What happens to requests no rule matches (default {@link Unmatched#DENY}).
     *
     * @param unmatched the setting; not null
     * @return this builder
     * @throws NullPointerException if {@code unmatched} is null
     */
    public Builder unmatched(Unmatched unmatched) {
      this.unmatched = Objects.requireNonNull(unmatched, "unmatched must not be null");
      return this;
    }

    /**
     * Builds the policy; rules match in the order they were added.
     *
     * @return a new, immutable policy, which later changes to this builder do not affect
     */
    public RoutePolicy build() {
      return new RoutePolicy(rules, unmatched);
    }
  }
}
