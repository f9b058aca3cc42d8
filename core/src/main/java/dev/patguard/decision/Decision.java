package dev.patguard.decision;

import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * The answer to "may this token do this thing?": {@link Permit}, {@link Deny} or {@link
 * Indeterminate}.
 *
 * <p>{@code Indeterminate} means "could not decide" (BRMS down, a timeout, a malformed answer). It
 * is neither a permit nor a deny of the token, and every enforcement point fails closed on it: the
 * filter answers 503, the CLI exits 2, a test fails. Only {@link #isPermit()} may open a door.
 *
 * <p>Every decision carries its {@linkplain #subject() subject} (fingerprint, token id, owner —
 * never the secret) and its {@linkplain #warnings() warnings}. Render one with {@link
 * DecisionJson}.
 */
public sealed interface Decision permits Decision.Permit, Decision.Deny, Decision.Indeterminate {

  /**
   * Who the decision is about.
   *
   * @return the subject; {@link TokenSubject#unknown()} when not even a fingerprint is known
   */
  TokenSubject subject();

  /**
   * Things the caller should know that did not change the outcome.
   *
   * @return the warnings, unmodifiable; empty when there are none
   */
  List<Warning> warnings();

  /**
   * Whether the action may proceed. The only question an enforcement point should ask.
   *
   * @return true for a {@link Permit} only; false for {@link Deny} and {@link Indeterminate}
   */
  default boolean isPermit() {
    return this instanceof Permit;
  }

  /**
   * One line for people, such as {@code DENY token 3f2a9c1b: PERMISSION_MISSING releases:deploy}.
   *
   * @return the outcome, the subject's label, the reasons or cause, and any warnings; never the
   *     secret
   */
  String explain();

  /**
   * The action may proceed.
   *
   * @param subject who the decision is about
   * @param warnings things the caller should know; copied
   * @return the permit
   * @throws NullPointerException if an argument is null or a warning is null
   */
  static Permit permit(TokenSubject subject, List<Warning> warnings) {
    return new Permit(subject, warnings);
  }

  /**
   * The token may not do this, for every reason given.
   *
   * @param subject who the decision is about
   * @param reasons every reason that applies, at least one; copied
   * @param warnings things the caller should know; copied
   * @return the deny
   * @throws IllegalArgumentException if {@code reasons} is empty
   * @throws NullPointerException if an argument or an element is null
   */
  static Deny deny(TokenSubject subject, List<DenyReason> reasons, List<Warning> warnings) {
    return new Deny(subject, reasons, warnings);
  }

  /**
   * The token may not do this.
   *
   * @param subject who the decision is about
   * @param reason the one reason
   * @return the deny, without warnings
   * @throws NullPointerException if an argument is null
   */
  static Deny deny(TokenSubject subject, DenyReason reason) {
    return new Deny(subject, List.of(reason), List.of());
  }

  /**
   * No decision could be reached; enforcement points must fail closed.
   *
   * @param subject who the decision would have been about
   * @param cause why not
   * @param detail a one-line description for operators (no secret, no stack trace)
   * @return the indeterminate decision, without warnings
   * @throws NullPointerException if an argument is null
   */
  static Indeterminate indeterminate(
      TokenSubject subject, IndeterminateCause cause, String detail) {
    return new Indeterminate(subject, cause, detail, List.of());
  }

  /**
   * The action may proceed.
   *
   * @param subject who the decision is about
   * @param warnings things the caller should know
   */
  record Permit(TokenSubject subject, List<Warning> warnings) implements Decision {
    /**
     * Checks the subject and copies the warnings.
     *
     * @param subject who the decision is about
     * @param warnings things the caller should know; copied
     * @throws NullPointerException if an argument or a warning is null
     */
    public Permit {
      Objects.requireNonNull(subject, "subject must not be null");
      warnings = List.copyOf(warnings);
    }

    @Override
    public String explain() {
      return withWarnings("PERMIT " + subject.label(), warnings);
    }
  }

  /**
   * The token may not do this.
   *
   * @param subject who the decision is about
   * @param reasons every reason that applies; never empty
   * @param warnings things the caller should know
   */
  record Deny(TokenSubject subject, List<DenyReason> reasons, List<Warning> warnings)
      implements Decision {
    /**
     * Checks the subject and copies the lists.
     *
     * @param subject who the decision is about
     * @param reasons every reason that applies, at least one; copied
     * @param warnings things the caller should know; copied
     * @throws IllegalArgumentException if {@code reasons} is empty
     * @throws NullPointerException if an argument or an element is null
     */
    public Deny {
      Objects.requireNonNull(subject, "subject must not be null");
      reasons = List.copyOf(reasons);
      if (reasons.isEmpty()) {
        throw new IllegalArgumentException("a deny needs at least one reason");
      }
      warnings = List.copyOf(warnings);
    }

    /**
     * Whether any reason has this code.
     *
     * @param code the code to look for
     * @return true if at least one reason has {@code code}
     */
    public boolean hasReason(DenyReason.Code code) {
      for (DenyReason r : reasons) {
        if (r.code() == code) {
          return true;
        }
      }
      return false;
    }

    /**
     * Whether the token itself is unusable (invalid, expired, owner inactive) rather than lacking a
     * permission or project for this action: a filter answers 401 rather than 403.
     *
     * @return true if any reason is about the token itself, false if every reason is about this
     *     action
     */
    public boolean isTokenUnusable() {
      for (DenyReason r : reasons) {
        if (r.code().isAboutTheToken()) {
          return true;
        }
      }
      return false;
    }

    @Override
    public String explain() {
      StringJoiner j = new StringJoiner("; ", "DENY " + subject.label() + ": ", "");
      reasons.forEach(r -> j.add(r.toString()));
      return withWarnings(j.toString(), warnings);
    }
  }

  /**
   * No decision could be reached.
   *
   * @param subject who the decision would have been about
   * @param cause why not
   * @param detail a one-line description for operators (no secret, no stack trace)
   * @param warnings things the caller should know
   */
  record Indeterminate(
      TokenSubject subject, IndeterminateCause cause, String detail, List<Warning> warnings)
      implements Decision {
    /**
     * Checks the components and copies the warnings.
     *
     * @param subject who the decision would have been about
     * @param cause why not
     * @param detail a one-line description for operators (no secret, no stack trace)
     * @param warnings things the caller should know; copied
     * @throws NullPointerException if an argument or a warning is null
     */
    public Indeterminate {
      Objects.requireNonNull(subject, "subject must not be null");
      Objects.requireNonNull(cause, "cause must not be null");
      Objects.requireNonNull(detail, "detail must not be null");
      warnings = List.copyOf(warnings);
    }

    @Override
    public String explain() {
      return withWarnings(
          "INDETERMINATE " + subject.label() + ": " + cause + " (" + detail + ")", warnings);
    }
  }

  private static String withWarnings(String line, List<Warning> warnings) {
    if (warnings.isEmpty()) {
      return line;
    }
    StringJoiner j = new StringJoiner(", ", line + " [warnings: ", "]");
    warnings.forEach(w -> j.add(w.toString()));
    return j.toString();
  }
}
