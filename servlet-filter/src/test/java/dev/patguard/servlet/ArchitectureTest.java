package dev.patguard.servlet;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.GeneralCodingRules;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.patguard.servlet");

  @Test
  void mainCodeWhenImportedThenUsesNeitherCoreInternalsNorFakeBrms() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.patguard.internal..", "dev.patguard.fakebrms..")
        .check(MAIN);
  }

  @Test
  void mainCodeWhenImportedThenNeverDependsOnTheRedisModule() {
    // Fleet mode is found by name (ServiceLoader): users add patguard-redis, the filter never
    // compiles against it.
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.patguard.redis..")
        .check(MAIN);
  }

  @Test
  void mainCodeWhenImportedThenNeverWritesToSystemOutOrErr() {
    GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS.check(MAIN);
  }

  @Test
  void apiWhenImportedThenDoesNotExposeServletInternalsToCore() {
    noClasses()
        .that()
        .resideInAPackage("dev.patguard.servlet.internal..")
        .should()
        .dependOnClassesThat()
        .haveSimpleName("PatGuardFilter")
        .check(MAIN);
  }

  @Test
  void apiWhenImportedThenThePackagesPublicTypesAreExactlyTheApi() {
    // The collaborators (RequestTarget, ProjectResolution, BearerExtractor, AsyncHandOff,
    // InitParams,
    // RefusalWriter, ...) are package-private: the jar's Automatic-Module-Name exports
    // every
    // package, so public is API.
    Set<String> publicTypes =
        MAIN.stream()
            .filter(
                c ->
                    c.getPackageName().equals("dev.patguard.servlet")
                        && c.isTopLevelClass()
                        && c.getModifiers().contains(JavaModifier.PUBLIC))
            .map(JavaClass::getSimpleName)
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(
        new TreeSet<>(
            Set.of(
                "EnforcementEvent",
                "EnforcementListener",
                "PatGuardFilter",
                "PatGuardPrincipal",
                "PolicyException",
                "ProjectSource",
                "RouteMatch",
                "RoutePolicy",
                "RouteRule",
                "Unmatched")),
        publicTypes);
  }

  @Test
  void moduleDescriptorWhenReadThenExportsOnlyTheApiPackage() {
    // The tests run on the class path, inside the containers; read the descriptor the build
    // compiled.
    java.lang.module.ModuleDescriptor d =
        java.lang.module.ModuleFinder.of(java.nio.file.Path.of("target", "classes"))
            .find("dev.patguard.servlet")
            .orElseThrow(() -> new AssertionError("no module-info.class in target/classes"))
            .descriptor();
    assertEquals(
        Set.of("dev.patguard.servlet"),
        d.exports().stream()
            .map(java.lang.module.ModuleDescriptor.Exports::source)
            .collect(Collectors.toSet()));
  }
}
