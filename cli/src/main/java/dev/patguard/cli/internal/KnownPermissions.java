package dev.patguard.cli.internal;

import dev.patguard.decision.Permission;
import dev.patguard.decision.Requirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Refuses a {@code --require} naming a permission BRMS does not know: a typo is not a deny. */
final class KnownPermissions {
  private static final int MAX_DISTANCE = 2;
  private static final Pattern NAME =
      Pattern.compile("[A-Za-z][A-Za-z_-]{0,39}(:[A-Za-z][A-Za-z_-]{0,39})?");

  private KnownPermissions() {}

  /**
   * A usage error for the first unknown permission in {@code requirements}, unless allowed; a name
   * that looks like a secret is refused, unshown, even when unknown names are allowed.
   */
  static void check(List<Requirement> requirements, boolean allowUnknown) {
    for (int i = 0; i < requirements.size(); i++) {
      Requirement r = requirements.get(i);
      for (String name : r.permissions()) {
        if (!isKnown(name) && !looksLikeAName(name)) {
          // A secret pasted into the wrong option: never echo it, nor the --require holding it.
          // Refused even with --allow-unknown-permission, or the deny would print it.
          throw CliException.usage(
              "--require #"
                  + (i + 1)
                  + " names an unknown permission that is not shown: it looks like a secret, not a"
                  + " permission name such as releases:deploy (an unknown permission must be"
                  + " letters, '-', '_' and at most one ':')");
        }
        if (!isKnown(name) && !allowUnknown) {
          List<String> suggestions = suggestions(name);
          throw CliException.usage(
              "unknown permission \""
                  + name
                  + "\" in --require "
                  + r
                  + "; "
                  + (suggestions.isEmpty()
                      ? "it is not a BRMS permission"
                      : "did you mean " + String.join(" or ", suggestions) + "?")
                  + " (--allow-unknown-permission if it is deliberate)");
        }
      }
    }
  }

  /**
   * Whether {@code name} may be printed: letters, {@code -} and {@code _}, with a {@code :} or at
   * most 16 characters. A token secret is long and has digits; it is never shown.
   */
  static boolean looksLikeAName(String name) {
    return NAME.matcher(name).matches() && (name.indexOf(':') >= 0 || name.length() <= 16);
  }

  static boolean isKnown(String name) {
    return Permission.known().stream().anyMatch(p -> p.name().equals(name));
  }

  /**
   * The known names {@code name} is most likely a typo of: the case-insensitive match, else those
   * within {@value #MAX_DISTANCE} edits, else the closest ones.
   */
  static List<String> suggestions(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    List<String> best = new ArrayList<>();
    int bestDistance = Integer.MAX_VALUE;
    List<String> near = new ArrayList<>();
    for (Permission p : Permission.known()) {
      String known = p.name();
      if (known.toLowerCase(Locale.ROOT).equals(lower)) {
        return List.of(known);
      }
      int d = levenshtein(lower, known.toLowerCase(Locale.ROOT));
      if (d <= MAX_DISTANCE) {
        near.add(known);
      }
      if (d < bestDistance) {
        bestDistance = d;
        best.clear();
        best.add(known);
      } else if (d == bestDistance) {
        best.add(known);
      }
    }
    if (!near.isEmpty()) {
      near.sort(
          (a, b) ->
              Integer.compare(
                  levenshtein(lower, a.toLowerCase(Locale.ROOT)),
                  levenshtein(lower, b.toLowerCase(Locale.ROOT))));
      return near;
    }
    return best;
  }

  static int levenshtein(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
