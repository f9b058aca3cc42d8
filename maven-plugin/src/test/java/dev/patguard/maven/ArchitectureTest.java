package dev.patguard.maven;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The plugin's lines: it goes through the CLI's and core's public doors only, and it logs through
 * Maven, never to the terminal itself.
 */
class ArchitectureTest {
  private static final JavaClasses PLUGIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.patguard.maven");

  @Test
  void pluginWhenCompiledThenUsesNoCliOrCoreInternals() {
    noClasses()
        .that()
        .resideInAPackage("dev.patguard.maven..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.patguard.cli.internal..", "dev.patguard.internal..", "dev.patguard.fakebrms..")
        .because("a sibling module uses only the public door")
        .check(PLUGIN);
  }

  @Test
  void pluginWhenCompiledThenNeverWritesToSystemOutOrErr() {
    noClasses()
        .should()
        .accessField(System.class, "out")
        .orShould()
        .accessField(System.class, "err")
        .because("Maven's log is the one place a goal writes to")
        .check(PLUGIN);
  }
}
