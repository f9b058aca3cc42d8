package dev.patguard.spring;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The module's lines: the Spring Security part works without Spring Boot, the observation part
 * needs only Micrometer, only the Boot part registers the servlet filter (its public API), and
 * nothing reaches into core's or the servlet filter's internals.
 */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.patguard.spring");

  @Test
  void securityWhenCheckedThenDoesNotNeedSpringBoot() {
    noClasses()
        .that()
        .resideInAPackage("dev.patguard.spring.security..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.springframework.boot..", "dev.patguard.spring.boot..")
        .check(CLASSES);
  }

  @Test
  void observationWhenCheckedThenNeedsNeitherSpringNorServlets() {
    noClasses()
        .that()
        .resideInAPackage("dev.patguard.spring.observation..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.springframework..", "jakarta.servlet..")
        .check(CLASSES);
  }

  @Test
  void moduleWhenCheckedThenUsesOnlyPublicApi() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.patguard.internal..", "dev.patguard.servlet.internal..")
        .check(CLASSES);
  }

  @Test
  void servletFilterWhenCheckedThenOnlyTheBootPartRegistersIt() {
    // Spring Security answers through its own entry point and handlers, never the filter's.
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.patguard.spring.boot..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.patguard.servlet..")
        .check(CLASSES);
  }
}
