package dev.patguard;

import dev.patguard.decision.Decision;
import dev.patguard.decision.Requirement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * What an enforcement point needs from patguard: a decision for a presented secret. {@link PatGuard}
 * is the implementation; the servlet filter, the Spring integration and fleet mode depend on this
 * interface only, so that each can be tested, wrapped or decorated without the whole guard.
 *
 * <p>Implementations never throw for outages, timeouts or bugs: those are
 * {@link Decision.Indeterminate} decisions, on which every enforcement point fails closed.
 */
public interface Decider {

  /**
   * Decides {@code requirement} for the token {@code secret}. The future always completes
   * normally, within {@link #decisionTimeout()}.
   */
  CompletableFuture<Decision> decide(String secret, Requirement requirement);

  /** As {@link #decide}, waiting for the decision on the calling thread, at most the decision timeout. */
  Decision decideBlocking(String secret, Requirement requirement);

  /** The longest a decision takes before it is {@code Indeterminate(TIMEOUT)}. */
  Duration decisionTimeout();
}
