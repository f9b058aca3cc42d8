package dev.patguard.consumertests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
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
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * The readme consumer build (src/it/readme) uses exactly the coordinates of README.md's "Install"
 * section: its BOM import, its dependencies, and every artifact of its table through the BOM but
 * the Spring Boot starter, which the spring consumer build (src/it/spring) uses with the same BOM
 * import and the starter README's "Set up" dependencies; the Gradle block says the same as the
 * Maven one; the table is the BOM; and this module depends on every artifact of the table, so that
 * invoker:install puts each into the consumers' repository.
 */
class InstallSectionTest {
  static final Path ROOT = ReadmeSnippetsTest.ROOT;
  static final String VERSION = System.getProperty("patguard.version");

  /** The table's artifacts that only the spring consumer uses (a Spring Boot app of its own). */
  static final Set<String> SPRING = Set.of("patguard-spring-boot-starter");

  /**
   * Build plugins: a BOM cannot manage them, so their README snippet names the version, and the
   * plugin's own ITs build that snippet as written (maven-plugin's MavenPluginIT).
   */
  static final Set<String> PLUGINS = Set.of("patguard-maven-plugin");

  /** A dependency as a POM or the README writes it; absent elements are null. */
  record Dep(String groupId, String artifactId, String version, String type, String scope) {
    String key() {
      return groupId + ":" + artifactId + ":" + (scope == null ? "compile" : scope);
    }
  }

  static String section() throws IOException {
    return section("README.md", "Install");
  }

  static String section(String readmeFile, String heading) throws IOException {
    String readme = Files.readString(ROOT.resolve(readmeFile), StandardCharsets.UTF_8);
    int start = readme.indexOf("\n## " + heading + "\n");
    assertTrue(start >= 0, readmeFile + " has no \"## " + heading + "\" section");
    int end = readme.indexOf("\n## ", start + 1);
    return readme.substring(start, end < 0 ? readme.length() : end);
  }

  static String block(String language) throws IOException {
    return block(section(), language);
  }

  static String block(String s, String language) {
    int start = s.indexOf("```" + language + "\n");
    assertTrue(start >= 0, "the section has no ```" + language + " block");
    start += language.length() + 4;
    return s.substring(start, s.indexOf("\n```", start));
  }

  static Element parse(String xml) throws Exception {
    Document d =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(new InputSource(new StringReader(xml)));
    return d.getDocumentElement();
  }

  /** The dependencies under {@code <dependencyManagement>} (managed) or directly (not). */
  static List<Dep> deps(Element root, boolean managed) {
    List<Dep> deps = new ArrayList<>();
    NodeList all = root.getElementsByTagName("dependency");
    for (int i = 0; i < all.getLength(); i++) {
      Element e = (Element) all.item(i);
      Node list = e.getParentNode();
      boolean underManagement =
          list.getParentNode() != null
              && "dependencyManagement".equals(list.getParentNode().getNodeName());
      if (underManagement == managed) {
        deps.add(
            new Dep(
                text(e, "groupId"),
                text(e, "artifactId"),
                text(e, "version"),
                text(e, "type"),
                text(e, "scope")));
      }
    }
    return deps;
  }

  private static String text(Element e, String child) {
    NodeList l = e.getElementsByTagName(child);
    return l.getLength() == 0 ? null : l.item(0).getTextContent().strip();
  }

  static Element readmeMaven() throws Exception {
    return parse("<install>" + block("xml") + "</install>");
  }

  static Element consumerPom() throws Exception {
    return consumerPom("readme");
  }

  static Element consumerPom(String build) throws Exception {
    return parse(Files.readString(ROOT.resolve("consumer-tests/src/it/" + build + "/pom.xml")));
  }

  static Set<String> table() throws IOException {
    Matcher m = Pattern.compile("(?m)^\\| `(patguard-[a-z-]+)` \\|").matcher(section());
    Set<String> artifacts = new TreeSet<>();
    while (m.find()) {
      artifacts.add(m.group(1));
    }
    return artifacts;
  }

  static Set<String> patguard(List<Dep> deps) {
    return deps.stream()
        .filter(d -> d.groupId().equals("dev.patguard"))
        .map(Dep::artifactId)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void bomImportWhenReadmeThenThisVersionAndTheConsumersImport() throws Exception {
    Dep bom = new Dep("dev.patguard", "patguard-bom", VERSION, "pom", "import");
    assertEquals(List.of(bom), deps(readmeMaven(), true));
    for (String build : List.of("readme", "spring")) {
      Dep consumers =
          deps(consumerPom(build), true).stream()
              .filter(d -> d.artifactId().equals("patguard-bom"))
              .findFirst()
              .orElseThrow();
      // invoker puts the reactor's version in place of @project.version@
      assertEquals(
          new Dep("dev.patguard", "patguard-bom", "@project.version@", "pom", "import"),
          consumers,
          build);
    }
  }

  @Test
  void readmeDependenciesWhenConsumerThenSameScopeAndVersionFromTheBom() throws Exception {
    List<Dep> consumer = deps(consumerPom(), false);
    Set<String> keys = consumer.stream().map(Dep::key).collect(Collectors.toSet());
    List<Dep> readme = deps(readmeMaven(), false);
    assertFalse(readme.isEmpty());
    for (Dep d : readme) {
      assertEquals(
          null, d.version(), d + ": the README's dependencies take their version from the BOM");
      assertTrue(keys.contains(d.key()), "the consumer build lacks README.md's " + d.key());
    }
    List<Dep> spring = deps(consumerPom("spring"), false);
    for (Dep d : concat(consumer, spring)) {
      if (d.groupId().equals("dev.patguard")) {
        assertEquals(null, d.version(), d + ": patguard versions come from the BOM");
      }
    }
    Set<String> rest = new TreeSet<>(table());
    rest.removeAll(SPRING);
    rest.removeAll(PLUGINS);
    assertEquals(rest, patguard(consumer), "the consumer uses every artifact of the table");
    assertTrue(patguard(spring).containsAll(SPRING), "the spring consumer uses " + SPRING);
    assertTrue(table().containsAll(patguard(spring)), "the spring consumer uses only the table's");
  }

  @Test
  void starterSetUpWhenSpringConsumerThenSameDependenciesVersionsFromTheBoms() throws Exception {
    String setUp = block(section("spring-boot-starter/README.md", "Set up"), "xml");
    List<Dep> readme = deps(parse("<set-up>" + setUp + "</set-up>"), false);
    assertTrue(patguard(readme).containsAll(SPRING), setUp);
    Set<String> keys =
        deps(consumerPom("spring"), false).stream().map(Dep::key).collect(Collectors.toSet());
    for (Dep d : readme) {
      assertEquals(null, d.version(), d + ": the starter README's versions come from the BOMs");
      assertTrue(keys.contains(d.key()), "the spring consumer lacks the starter README's " + d);
    }
    String boot =
        text(
            parse(Files.readString(ROOT.resolve("spring-boot-starter/pom.xml"))),
            "spring-boot.version");
    Element parent = (Element) consumerPom("spring").getElementsByTagName("parent").item(0);
    assertEquals("spring-boot-starter-parent", text(parent, "artifactId"));
    assertEquals(boot, text(parent, "version"), "the spring consumer's Boot is the starter's");
  }

  private static List<Dep> concat(List<Dep> a, List<Dep> b) {
    List<Dep> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  @Test
  void tableWhenBomAndThisModuleThenSameArtifacts() throws Exception {
    assertEquals(9, table().size(), "artifacts in README.md's Install table: " + table());
    Element bom = parse(Files.readString(ROOT.resolve("bom/pom.xml")));
    assertEquals(table(), patguard(deps(bom, true)), "bom/pom.xml manages the table's artifacts");
    Set<String> installed =
        patguard(deps(parse(Files.readString(ROOT.resolve("consumer-tests/pom.xml"))), false));
    installed.remove("patguard-bom");
    Set<String> libraries = new TreeSet<>(table());
    libraries.removeAll(PLUGINS);
    assertEquals(libraries, installed, "consumer-tests/pom.xml depends on (and so installs) each");
  }

  @Test
  void pluginSnippetWhenReadThenTheTablesPluginAtThisVersion() throws Exception {
    String xml = block(section("maven-plugin/README.md", "Use it"), "xml");
    Element plugin = parse(xml.substring(xml.indexOf("<plugin>"), xml.indexOf("</plugin>") + 9));
    assertEquals("dev.patguard", text(plugin, "groupId"), xml);
    assertTrue(PLUGINS.contains(text(plugin, "artifactId")), xml);
    assertTrue(table().containsAll(PLUGINS), "the Install table names " + PLUGINS);
    assertEquals(VERSION, text(plugin, "version"), "a BOM cannot manage a plugin's version");
  }

  @Test
  void gradleBlockWhenReadThenTheMavenBlocksCoordinates() throws Exception {
    String kotlin = block("kotlin");
    Matcher platform =
        Pattern.compile(
                "implementation\\(platform\\(\"dev\\.patguard:patguard-bom:([^\"]+)\"\\)\\)")
            .matcher(kotlin);
    assertTrue(platform.find(), kotlin);
    assertEquals(VERSION, platform.group(1));
    Set<String> gradle = new TreeSet<>();
    Matcher m =
        Pattern.compile("(?m)^\\s*(\\w+)\\(\"dev\\.patguard:(patguard-[a-z-]+)\"\\)")
            .matcher(kotlin);
    while (m.find()) {
      gradle.add(
          ("testImplementation".equals(m.group(1)) ? "test" : m.group(1)) + " " + m.group(2));
    }
    Set<String> maven = new TreeSet<>();
    for (Dep d : deps(readmeMaven(), false)) {
      maven.add(("test".equals(d.scope()) ? "test" : "implementation") + " " + d.artifactId());
    }
    assertEquals(maven, gradle);
  }
}
