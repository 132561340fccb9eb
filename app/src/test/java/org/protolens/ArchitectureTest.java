package org.protolens;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The core stays free of any user interface, so that the command line and tests run it headless. */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.protolens");

    @Test
    void coreImportsNoJavaFxNorTheUiOrCli() {
        assertTrue(CLASSES.stream().anyMatch(c -> c.getPackageName().startsWith("org.protolens.core")), "core classes were imported");
        noClasses().that().resideInAPackage("org.protolens.core..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.protolens.ui..", "org.protolens.cli..")
                .check(CLASSES);
    }

    @Test
    void commandLineImportsNoJavaFx() {
        noClasses().that().resideInAPackage("org.protolens.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.protolens.ui..")
                .check(CLASSES);
    }
}
