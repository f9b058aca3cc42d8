package dev.patguard;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.NullMarked;
import org.junit.jupiter.api.Test;

/** The lines core must hold (DESIGN.md: modules, observability, conventions). */
@AnalyzeClasses(
    packages = "dev.patguard",
    importOptions = {ImportOption.DoNotIncludeTests.class, ArchitectureTest.CoreOnly.class})
class ArchitectureTest {

  /** fake-brms shares the dev.patguard prefix and is on core's test classpath; it is not core. */
  static final class CoreOnly implements ImportOption {
    @Override
    public boolean includes(com.tngtech.archunit.core.importer.Location location) {
      return !location.contains("/dev/patguard/fakebrms/");
    }
  }

  @ArchTest
  static final ArchRule coreDependsOnNoEnforcementPointOrTestCode =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "jakarta.servlet..",
              "org.junit..",
              "picocli..",
              "org.opentest4j..",
              "dev.patguard.fakebrms..",
              "io.lettuce..",
              "redis..",
              "dev.patguard.redis..")
          .because(
              "core is used by the filter, the JUnit extension, the CLI and the Redis fleet cache"
                  + " (through its SharedTokenCache SPI), never the other way round");

  @ArchTest
  static final ArchRule httpSemanticsNeedNoServerType =
      noClasses()
          .that()
          .resideInAPackage("dev.patguard.http..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("jakarta..", "javax.servlet..", "org.springframework..", "io.netty..")
          .because(
              "any enforcement point (servlet, Spring, a future WebFlux or Netty one) reuses it");

  @ArchTest
  static final ArchRule noClassWritesToSystemOut =
      noClasses()
          .should()
          .accessField(System.class, "out")
          .because("core logs through System.Logger only");

  @ArchTest
  static final ArchRule noClassWritesToSystemErr =
      noClasses()
          .should()
          .accessField(System.class, "err")
          .because("core logs through System.Logger only");

  @ArchTest
  static final ArchRule noClassPrintsStackTraces =
      noClasses()
          // By name on any Throwable: the call's owner in bytecode is the static type (Exception,
          // …).
          .should()
          .callMethodWhere(
              target(name("printStackTrace")).and(target(owner(assignableTo(Throwable.class)))))
          .because("stack traces go to the logger, never to a stream a caller may see");

  /**
   * Each package its own slice, the root package included (a "dev.patguard.(*).." pattern leaves it
   * out).
   */
  static final SliceAssignment BY_PACKAGE =
      new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
          return SliceIdentifier.of(javaClass.getPackageName());
        }

        @Override
        public String getDescription() {
          return "every package of core, the root package included";
        }
      };

  @ArchTest
  static final ArchRule packagesAreFreeOfCycles =
      slices().assignedFrom(BY_PACKAGE).should().beFreeOfCycles();

  @ArchTest
  static final ArchRule valuePackagesDoNotDependOnTheDoor =
      noClasses()
          .that()
          .resideInAnyPackage(
              "dev.patguard.decision..",
              "dev.patguard.http..",
              "dev.patguard.token..",
              "dev.patguard.internal..",
              "dev.patguard.spi..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.patguard")
          .because(
              "the root package holds the door and its machinery; values must not reach back into it");

  @Test
  void moduleWhenLoadedThenExportsOnlyTheApiPackages() {
    Module core = PatGuard.class.getModule();
    assertTrue(core.isNamed(), "tests run on the module path, patched into dev.patguard.core");
    Set<String> exported = new TreeSet<>();
    core.getDescriptor()
        .exports()
        .forEach(
            e -> {
              assertFalse(e.isQualified(), e::toString);
              exported.add(e.source());
            });
    assertEquals(
        new TreeSet<>(
            Set.of(
                "dev.patguard",
                "dev.patguard.decision",
                "dev.patguard.http",
                "dev.patguard.spi",
                "dev.patguard.token")),
        exported);
  }

  @Test
  void everyPackageWhenImportedThenHasPackageInfoAnnotatedNullMarked() {
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(new ImportOption.DoNotIncludeTests())
            .withImportOption(new CoreOnly())
            .importPackages("dev.patguard");
    Map<String, Class<?>> onePerPackage = new TreeMap<>();
    for (JavaClass c : classes) {
      onePerPackage.putIfAbsent(c.getPackageName(), c.reflect());
    }
    assertFalse(onePerPackage.isEmpty(), "no classes imported");
    assertTrue(
        onePerPackage
            .keySet()
            .containsAll(
                List.of("dev.patguard.decision", "dev.patguard.internal", "dev.patguard.token")),
        onePerPackage.keySet()::toString);

    List<String> unmarked = new ArrayList<>();
    for (Map.Entry<String, Class<?>> e : onePerPackage.entrySet()) {
      Package p = e.getValue().getPackage();
      if (p.getAnnotation(NullMarked.class) == null) {
        unmarked.add(e.getKey());
      }
    }
    assertEquals(List.of(), unmarked, "packages without a @NullMarked package-info");
  }
}
