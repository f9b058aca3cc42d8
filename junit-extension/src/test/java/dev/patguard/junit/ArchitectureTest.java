package dev.patguard.junit;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.lang.conditions.ArchConditions.be;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
  private static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.patguard.junit");
  }

  @Test
  void mainCodeWhenCheckedThenUsesOnlyCoresPublicDoorAndValuePackages() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.patguard.brms..",
            "dev.patguard.cache..",
            "dev.patguard.lookup..",
            "dev.patguard.internal..")
        .because(
            "a sibling module reads tokens through dev.patguard.PatGuard and the value packages"
                + " dev.patguard.decision and dev.patguard.token, never through core's client, cache or lookups")
        .check(main);
  }

  @Test
  void apiWhenCheckedThenOnlyAnnotationsAssertionsAndTheServerArePublic() {
    classes()
        .that()
        .arePublic()
        .should(
            be(
                belongToAnyOf(
                    WithFakeBrms.class,
                    FakeBrmsServer.class,
                    FakeBrmsUrl.class,
                    LeastPrivilege.class,
                    OnMissing.class,
                    PatGuardTestConfig.class,
                    Token.class,
                    TokenAssert.class,
                    TokenAssertions.class)))
        .because("the extensions and their helpers are package-private beside their annotations")
        .check(main);
  }

  @Test
  void annotationsWhenCheckedThenShareNoSimpleNameWithAFakeBrmsOrCoreType() {
    JavaClasses others =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.patguard.fakebrms", "dev.patguard");
    Set<String> taken = new TreeSet<>();
    for (JavaClass c : others) {
      if (c.getModifiers().contains(JavaModifier.PUBLIC)
          && !c.getPackageName().startsWith("dev.patguard.junit")) {
        taken.add(c.getSimpleName());
      }
    }
    classes()
        .that()
        .areAnnotations()
        .should(
            new ArchCondition<JavaClass>(
                "share no simple name with a type" + " users import from fake-brms or core") {
              @Override
              public void check(JavaClass annotation, ConditionEvents events) {
                if (taken.contains(annotation.getSimpleName())) {
                  events.add(
                      SimpleConditionEvent.violated(
                          annotation,
                          "@"
                              + annotation.getSimpleName()
                              + " has the simple name of a public fake-brms or core type"));
                }
              }
            })
        .check(main);
  }

  @Test
  void mainCodeWhenCheckedThenNeverWritesToStandardStreams() {
    NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS.check(main);
  }

  @Test
  void apiWhenCheckedThenDoesNotDependOnServletOrCli() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("jakarta.servlet..", "picocli..", "dev.patguard.cli..")
        .check(main);
  }

  @Test
  void moduleDescriptorWhenReadThenExportsOnlyTheApiPackageAndOpensItToJunit() {
    // The tests run on the class path; read the descriptor the build compiled.
    ModuleDescriptor d =
        ModuleFinder.of(Path.of("target", "classes"))
            .find("dev.patguard.junit")
            .orElseThrow(() -> new AssertionError("no module-info.class in target/classes"))
            .descriptor();
    assertEquals(
        Set.of("dev.patguard.junit"),
        d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
    assertEquals(
        Set.of("org.junit.platform.commons"),
        d.opens().stream().flatMap(o -> o.targets().stream()).collect(Collectors.toSet()));
  }
}
