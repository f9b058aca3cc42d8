package dev.patguard.fakebrms;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.lang.module.ModuleDescriptor;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

  private static final JavaClasses FAKE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.patguard.fakebrms");

  @Test
  void fakeBrmsWhenImportedThenNeverDependsOnCore() {
    noClasses().should().dependOnClassesThat().resideInAPackage("dev.patguard.core..").check(FAKE);
  }

  @Test
  void fakeBrmsWhenImportedThenDependsOnJdkJacksonHttpServerAndJspecifyOnly() {
    classes()
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..",
            "com.fasterxml.jackson..",
            "com.sun.net.httpserver..",
            "org.jspecify..",
            "dev.patguard.fakebrms..")
        .check(FAKE);
  }

  @Test
  void apiWhenImportedThenDoesNotExposeHttpServerTypes() {
    noClasses()
        .that()
        .resideInAPackage("dev.patguard.fakebrms")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("com.sun.net.httpserver..")
        .check(FAKE);
  }

  @Test
  void moduleWhenLoadedThenExportsOnlyTheApiPackage() {
    Module module = FakeBrms.class.getModule();
    assertTrue(
        module.isNamed(), "tests run on the module path, patched into dev.patguard.fakebrms");
    assertEquals(
        Set.of("dev.patguard.fakebrms"),
        module.getDescriptor().exports().stream()
            .map(ModuleDescriptor.Exports::source)
            .collect(Collectors.toSet()));
  }
}
