package dev.patguard.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.patguard.cli.internal.Output;
import org.junit.jupiter.api.Test;

/**
 * The CLI's lines: no core internals, no servlet container or demo cast; one class writes to the
 * terminal.
 */
class ArchitectureTest {
  private static final JavaClasses CLI =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.patguard.cli");

  @Test
  void cliWhenCompiledThenDoesNotUseCoreInternals() {
    noClasses()
        .that()
        .resideInAPackage("dev.patguard.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.patguard.internal..")
        .check(CLI);
  }

  @Test
  void cliWhenCompiledThenUsesNoServletContainerSampleDemoOrFakeBrms() {
    noClasses()
        .that()
        .resideInAPackage("dev.patguard.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.eclipse.jetty..",
            "jakarta.servlet..",
            "dev.patguard.servlet..",
            "dev.patguard.samples..",
            "dev.patguard.demo..",
            "dev.patguard.fakebrms..")
        .because(
            "the gate is lean: the demo and its cast live in demo/, nothing published imports samples")
        .check(CLI);
  }

  @Test
  void cliWhenCompiledThenOnlyOutputTouchesSystemOutAndErr() {
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName(Output.class.getName())
        .should()
        .accessField(System.class, "out")
        .orShould()
        .accessField(System.class, "err")
        .orShould()
        .callMethod(Throwable.class, "printStackTrace")
        .check(CLI);
  }
}
