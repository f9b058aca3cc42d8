package dev.patguard.consumertests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every {@code ```java} block of every README quotes a marked region of a consumer project's source
 * (under {@code src/it}), which the consumer builds compile and run: a snippet cannot drift from
 * code that compiles. A block is preceded by {@code <!-- snippet: FILE#NAME -->} (FILE from the
 * repository root); the region is every part of FILE between {@code // snippet:start NAME} and
 * {@code // snippet:end NAME}, each part dedented, parts joined by one blank line (imports, then
 * the code they serve).
 */
class ReadmeSnippetsTest {
  static final Path ROOT =
      Path.of(System.getProperty("patguard.root")).toAbsolutePath().normalize();
  static final Path SOURCES = ROOT.resolve("consumer-tests/src/it");
  static final Pattern MARKER = Pattern.compile("<!-- snippet: (\\S+)#(\\S+) -->");
  static final Pattern START = Pattern.compile("\\s*// snippet:start (\\S+)");

  /**
   * A {@code ```java} block: where it is, the FILE#NAME its marker names ("" if none), its text.
   */
  record Block(String where, String ref, String code) {
    boolean marked() {
      return !ref.isEmpty();
    }

    String file() {
      return ref.substring(0, ref.indexOf('#'));
    }

    String name() {
      return ref.substring(ref.indexOf('#') + 1);
    }
  }

  @TestFactory
  Stream<DynamicTest> everyJavaBlockIsTheMarkedRegionOfAConsumerSource() {
    return blocks().stream().map(b -> DynamicTest.dynamicTest(b.where(), () -> check(b)));
  }

  @Test
  void everyReadmeWithJavaIsScanned() {
    Set<String> readmes = new TreeSet<>();
    for (Block b : blocks()) {
      readmes.add(b.where().substring(0, b.where().indexOf(':')));
    }
    assertTrue(
        readmes.containsAll(
            Set.of(
                "README.md",
                "junit-extension/README.md",
                "fake-brms/README.md",
                "servlet-filter/README.md",
                "spring-boot-starter/README.md")),
        "READMEs with Java blocks: " + readmes);
    assertTrue(blocks().size() >= 12, "Java blocks found: " + blocks().size());
  }

  @Test
  void everyMarkedRegionIsQuotedByAReadme() throws IOException {
    Set<String> quoted =
        blocks().stream()
            .filter(Block::marked)
            .map(Block::ref)
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> regions = new TreeSet<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          Matcher m = START.matcher(line);
          if (m.matches()) {
            regions.add(ROOT.relativize(f).toString().replace('\\', '/') + "#" + m.group(1));
          }
        }
      }
    }
    regions.removeAll(quoted);
    assertEquals(Set.of(), regions, "marked regions no README quotes");
  }

  private static void check(Block b) throws IOException {
    if (!b.marked()) {
      fail(
          b.where()
              + ": a ```java block without <!-- snippet: FILE#NAME --> above it; put the code in a"
              + " consumer project under consumer-tests/src/it and quote its marked region");
    }
    Path source = ROOT.resolve(b.file());
    if (!Files.isRegularFile(source)) {
      fail(b.where() + ": no such snippet source " + b.file());
    }
    String region = region(source, b.name());
    if (!region.equals(b.code())) {
      fail(
          b.where()
              + ": differs from "
              + b.ref()
              + ", "
              + firstDifference(region, b.code())
              + " (edit the source, then copy the region into the README)");
    }
  }

  /** The README's first line that is not the source's. */
  private static String firstDifference(String source, String readme) {
    String[] s = source.split("\n", -1);
    String[] r = readme.split("\n", -1);
    for (int i = 0; i < Math.max(s.length, r.length); i++) {
      String si = i < s.length ? s[i] : "(end)";
      String ri = i < r.length ? r[i] : "(end)";
      if (!si.equals(ri)) {
        return "block line " + (i + 1) + ": README has\n  " + ri + "\nthe source has\n  " + si;
      }
    }
    return "no line differs";
  }

  /** The parts of {@code source} marked {@code name}, each dedented, joined by a blank line. */
  static String region(Path source, String name) throws IOException {
    List<List<String>> parts = new ArrayList<>();
    List<String> part = null;
    for (String line : Files.readAllLines(source, StandardCharsets.UTF_8)) {
      String t = line.strip();
      if (t.equals("// snippet:start " + name)) {
        if (part != null) {
          fail(source + ": snippet " + name + " starts twice without an end");
        }
        part = new ArrayList<>();
      } else if (t.equals("// snippet:end " + name)) {
        if (part == null) {
          fail(source + ": snippet " + name + " ends without a start");
        }
        parts.add(dedent(part));
        part = null;
      } else if (part != null) {
        part.add(line);
      }
    }
    if (part != null || parts.isEmpty()) {
      fail(
          source + ": no complete region // snippet:start " + name + " ... // snippet:end " + name);
    }
    return parts.stream().map(p -> String.join("\n", p)).collect(Collectors.joining("\n\n"));
  }

  private static List<String> dedent(List<String> lines) {
    int indent =
        lines.stream()
            .filter(l -> !l.isBlank())
            .mapToInt(l -> l.length() - l.stripLeading().length())
            .min()
            .orElse(0);
    return lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList();
  }

  /** Every {@code ```java} block of every README.md in the repository (build output aside). */
  static List<Block> blocks() {
    List<Block> blocks = new ArrayList<>();
    try (Stream<Path> files = Files.walk(ROOT, 4)) {
      List<Path> readmes =
          files
              .filter(p -> p.getFileName().toString().equals("README.md"))
              .filter(p -> !ROOT.relativize(p).toString().contains("target"))
              .filter(p -> !ROOT.relativize(p).toString().startsWith("."))
              .sorted()
              .toList();
      for (Path readme : readmes) {
        List<String> lines = Files.readAllLines(readme, StandardCharsets.UTF_8);
        String name = ROOT.relativize(readme).toString().replace('\\', '/');
        for (int i = 0; i < lines.size(); i++) {
          if (!lines.get(i).strip().equals("```java")) {
            continue;
          }
          int end = i + 1;
          while (end < lines.size() && !lines.get(end).strip().equals("```")) {
            end++;
          }
          int above = i - 1;
          while (above >= 0 && lines.get(above).isBlank()) {
            above--;
          }
          Matcher marker = MARKER.matcher(above >= 0 ? lines.get(above).strip() : "");
          String ref = marker.matches() ? marker.group(1) + "#" + marker.group(2) : "";
          blocks.add(
              new Block(name + ":" + (i + 1), ref, String.join("\n", lines.subList(i + 1, end))));
          i = end;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return blocks;
  }
}
