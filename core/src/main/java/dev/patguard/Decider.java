package dev.patguard;

import dev.patguard.decision.Decision;
import dev.patguard.decision.Requirement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * What an enforcement point needs from patguard: a decision for a presented secret. {@link
 * PatGuard} is the implementation; the servlet filter, the Spring integration and fleet mode depend
 * on this interface only, so that each can be tested, wrapped or decorated without the whole guard.
 *
 * <p>Implementations never throw for outages, timeouts or bugs: those are {@link
 * Decision.Indeterminate} decisions, on which every enforcement point fails closed.
 */
public interface Decider {

  /**
   * Decides {@code requirement} for the token {@code secret}. The future always completes normally,
   * within {@link #decisionTimeout()}.
   *
   * @param secret the presented secret, as sent after {@code Bearer}; a missing (null or empty) one
   *     is a {@code Deny}, not an exception
   * @param requirement what the caller wants to do
   * @return the decision; never completes exceptionally
   * @throws NullPointerException if {@code requirement} is null
   */
  CompletableFuture<Decision> decide(String secret, Requirement requirement);

  /**
   * As {@link #decide}, waiting for the decision on the calling thread, at most the decision
   * timeout.
   *
   * @param secret the presented secret; a missing one is a {@code Deny}
   * @param requirement what the caller wants to do
   * @return the decision: {@code Indeterminate(TIMEOUT)} if none came in time or the thread was
   *     interrupted (the interrupt flag is then set again); never null
   * @throws NullPointerException if {@code requirement} is null
   */
  Decision decideBlocking(String secret, Requirement requirement);

  /**
   * The longest a decision takes before it is {@code Indeterminate(TIMEOUT)}.
   *
   * @return the decision timeout, positive; fixed for the life of the decider
   */
  Duration decisionTimeout();
}
