package dev.patguard.decision;

import com.github.benmanes.caffeine.cache.Interner;
import dev.patguard.token.TokenOwner;
import java.util.Locale;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What a grant keeps of its owner: id, email and status (verbatim and folded for comparison).
 * Interned (Caffeine's weak interner), so that the tokens of one owner share one instance and its
 * id and strings; the interner holds its values weakly, so an owner is forgotten once no cached
 * grant refers to it. Interning merges only equal values: two owners that differ in any kept fact
 * stay apart.
 */
record OwnerFacts(
    UUID id, @Nullable String email, @Nullable String status, @Nullable String statusFolded) {
  private static final String ACTIVE = "active";
  private static final Interner<OwnerFacts> INTERNED = Interner.newWeakInterner();

  /** The canonical facts of {@code owner}. */
  static OwnerFacts of(TokenOwner owner) {
    // "active" is by far the most common status: the literal, so that even a first owner shares it.
    String status = ACTIVE.equals(owner.status()) ? ACTIVE : owner.status();
    String folded = status == null ? null : status.toLowerCase(Locale.ROOT);
    return INTERNED.intern(new OwnerFacts(owner.id(), owner.email(), status, folded));
  }
}
