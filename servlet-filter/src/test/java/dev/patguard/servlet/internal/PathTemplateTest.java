package dev.patguard.servlet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * {@link PathTemplate#match} walks the path in place; these hold it to the split-based matching it
 * replaced ({@code path.substring(1).split("/", -1)}, then segment by segment).
 */
class PathTemplateTest {
  /** The former matching, kept as the oracle. */
  private static @Nullable Map<String, String> splitMatch(String template, String path) {
    String[] segs = template.equals("/") ? new String[0] : template.substring(1).split("/", -1);
    boolean tail = segs.length > 0 && segs[segs.length - 1].equals("**");
    int n = tail ? segs.length - 1 : segs.length;
    String[] parts = path.equals("/") ? new String[0] : path.substring(1).split("/", -1);
    if (tail ? parts.length < n : parts.length != n) {
      return null;
    }
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < n; i++) {
      boolean var = segs[i].startsWith("{");
      if (var ? parts[i].isEmpty() : !segs[i].equals(parts[i])) {
        return null;
      }
      if (var) {
        values.put(segs[i].substring(1, segs[i].length() - 1), parts[i]);
      }
    }
    return Map.copyOf(values);
  }

  @Test
  void matchWhenExamplesThenAsBefore() {
    PathTemplate deploy = PathTemplate.compile("/api/projects/{projectId}/releases/deploy");
    assertEquals(
        Map.of("projectId", "proj-1"), deploy.match("/api/projects/proj-1/releases/deploy"));
    assertNull(deploy.match("/api/projects/proj-1/releases/deploy/"));
    assertNull(deploy.match("/api/projects//releases/deploy"));
    assertNull(deploy.match("/api/projects/proj-1/releases"));
    assertNull(deploy.match("/api/projects/proj-1/releases/deployx"));
    assertNull(deploy.match("/api/projects/proj-1/Releases/deploy"));
    assertNull(deploy.match("/"));
    PathTemplate two = PathTemplate.compile("/a/{x}/b/{y}/**");
    assertEquals(Map.of("x", "1", "y", "2"), two.match("/a/1/b/2"));
    assertEquals(Map.of("x", "1", "y", "2"), two.match("/a/1/b/2/c/d"));
    assertNull(two.match("/a/1/b"));
    assertEquals(Map.of(), PathTemplate.compile("/").match("/"));
    assertNull(PathTemplate.compile("/").match("/a"));
    assertEquals(Map.of(), PathTemplate.compile("/**").match("/"));
    assertEquals(Map.of(), PathTemplate.compile("/**").match("/a/b"));
    assertEquals(PathTemplate.keyOf("abcde", 0, 5), PathTemplate.keyOf("/axcye", 1, 6));
    assertNull(PathTemplate.compile("/abcde/{x}").match("/axcye/1"), "same key, other literal");
    assertEquals(Map.of("x", "1"), PathTemplate.compile("/abcde/{x}").match("/abcde/1"));
  }

  @Provide
  Arbitrary<String> templates() {
    Arbitrary<String> segment =
        Arbitraries.of("api", "projects", "x", "releases", "{a}", "{b}", "{c}", "abcde", "a_bc");
    return Combinators.combine(segment.list().ofMaxSize(5), Arbitraries.of(true, false))
        .as(
            (segs, tail) -> {
              StringBuilder b = new StringBuilder();
              List<String> used = new java.util.ArrayList<>();
              for (String s : segs) {
                if (s.startsWith("{") && used.contains(s)) {
                  continue; // a variable appears once
                }
                used.add(s);
                b.append('/').append(s);
              }
              if (tail) {
                b.append("/**");
              }
              return b.length() == 0 ? "/" : b.toString();
            });
  }

  @Provide
  Arbitrary<String> paths() {
    // "abcde" and "axcye" have the same key (length, first, middle and last characters), as have
    // "a_bc" and "a-bc": literals told apart by their text only.
    Arbitrary<String> segment =
        Arbitraries.of(
            "api",
            "projects",
            "x",
            "releases",
            "",
            "proj-1",
            "ap",
            "apix",
            "**",
            "abcde",
            "axcye",
            "a_bc",
            "a-bc",
            "caf\u00e9",
            "\u0100");
    return segment.list().ofMaxSize(7).map(l -> l.isEmpty() ? "/" : "/" + String.join("/", l));
  }

  @Property(tries = 5000)
  void matchWhenGeneratedThenAsTheSplitMatching(
      @ForAll("templates") String template, @ForAll("paths") String path) {
    assertEquals(
        splitMatch(template, path),
        PathTemplate.compile(template).match(path),
        template + " on " + path);
  }
}
