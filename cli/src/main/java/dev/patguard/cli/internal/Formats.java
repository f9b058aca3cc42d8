package dev.patguard.cli.internal;

import dev.patguard.decision.Decision;
import dev.patguard.decision.Requirement;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Output formats. */
final class Formats {
  private Formats() {}

  /** For {@code verify-receipt}. */
  enum TextOrJson {
    TEXT,
    JSON
  }

  /** For {@code check} and {@code explain}. */
  enum Report {
    TEXT,
    JSON,
    SARIF,
    GITHUB;

    /** Whether the output names a repository file ({@code --sarif-artifact}). */
    boolean locatesFindings() {
      return this == SARIF || this == GITHUB;
    }

    /**
     * Prints the findings of {@code check} or {@code explain} as SARIF or as GitHub annotations
     * (with the step summary); the one place both commands choose between the two.
     */
    void printFindings(
        Context ctx,
        String command,
        ArtifactOptions artifact,
        String headline,
        String outcome,
        int exit,
        Decision decision,
        List<Requirement> requirements,
        List<Finding> findings,
        @Nullable String failure) {
      if (this == SARIF) {
        Sarif.print(ctx, command, artifact, findings, exit, failure);
      } else if (this == GITHUB) {
        GitHub.print(
            ctx,
            command,
            artifact,
            headline,
            outcome,
            exit,
            decision,
            requirements,
            findings,
            failure);
      } else {
        throw new IllegalStateException(this + " does not locate findings");
      }
    }
  }
}
