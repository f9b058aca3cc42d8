package dev.patguard.receipt;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jspecify.annotations.NullMarked;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lines receipts must hold (DESIGN.md: receipts depend on core's public door and Nimbus only).
 */
class ArchitectureTest {
  private static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.patguard.receipt");
  }

  @Test
  void mainCodeWhenCheckedThenUsesOnlyCoresPublicPackages() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.patguard..internal..")
        .because("a sibling module uses core's public door only")
        .check(main);
  }

  @Test
  void mainCodeWhenCheckedThenDependsOnNoEnforcementPointTestOrSampleCode() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "jakarta.servlet..",
            "org.junit..",
            "org.opentest4j..",
            "picocli..",
            "dev.patguard.servlet..",
            "dev.patguard.junit..",
            "dev.patguard.cli..",
            "dev.patguard.fakebrms..",
            "dev.patguard.samples..",
            "dev.patguard.demo..")
        .because(
            "receipts sit beside core: the filter, the JUnit extension and the CLI use them, never"
                + " the other way round")
        .check(main);
  }

  @Test
  void mainCodeWhenCheckedThenNeverWritesToStandardStreams() {
    NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS.check(main);
  }

  @Test
  void everyPackageWhenImportedThenHasPackageInfoAnnotatedNullMarked() {
    Set<String> packages =
        main.stream().map(JavaClass::getPackageName).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(Set.of("dev.patguard.receipt"), packages);
    for (JavaClass c : main) {
      assertNotNull(c.reflect().getPackage().getAnnotation(NullMarked.class), c.getPackageName());
    }
  }

  @Test
  void moduleDescriptorWhenReadThenExportsOnlyTheReceiptPackageAndRequiresCore()
      throws IOException {
    ModuleDescriptor module;
    try (InputStream in = DecisionReceipts.class.getResourceAsStream("/module-info.class")) {
      assertNotNull(in, "module-info.class beside the receipt classes");
      module = ModuleDescriptor.read(in);
    }
    assertEquals("dev.patguard.receipts", module.name());
    assertEquals(
        Set.of("dev.patguard.receipt"),
        module.exports().stream()
            .map(
                e -> {
                  assertTrue(e.targets().isEmpty(), "no qualified exports: " + e);
                  return e.source();
                })
            .collect(Collectors.toSet()));
    assertEquals(Set.of(), module.opens());
    Set<String> required =
        module.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet());
    assertTrue(
        required.containsAll(Set.of("dev.patguard.core", "com.nimbusds.jose.jwt")),
        required::toString);
  }
}
