package dev.patguard.servlet;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.GeneralCodingRules;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.patguard.servlet");

  @Test
  void mainCodeWhenImportedThenUsesNeitherCoreInternalsNorFakeBrms() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.patguard.internal..", "dev.patguard.fakebrms..")
        .check(MAIN);
  }

  @Test
  void mainCodeWhenImportedThenNeverWritesToSystemOutOrErr() {
    GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS.check(MAIN);
  }

  @Test
  void apiWhenImportedThenDoesNotExposeServletInternalsToCore() {
    noClasses().that().resideInAPackage("dev.patguard.servlet.internal..")
        .should().dependOnClassesThat().haveSimpleName("PatGuardFilter").check(MAIN);
  }
}
