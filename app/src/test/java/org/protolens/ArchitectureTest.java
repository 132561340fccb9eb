package org.protolens;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.List;
import java.util.Set;
import java.util.Timer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The shape of the code, checked on every build: the core knows nothing of a user interface;
 * in the window, feature packages do not depend on each other, the ground floor (ui.common)
 * depends on no other window package, one task runner starts threads, one command path changes
 * a workspace, and vector maths and backbones stay out of the views.
 */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.protolens");
    private static final List<String> FEATURES = List.of("map", "classes", "inspector", "analysis", "importer", "exporter", "project",
            "probe", "backbones");

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

    @Test
    void featurePackagesDoNotDependOnEachOtherNorOnTheShell() {
        for (String f : FEATURES) {
            String[] others = FEATURES.stream().filter(g -> !g.equals(f)).map(g -> "org.protolens.ui." + g + "..").toArray(String[]::new);
            noClasses().that().resideInAPackage("org.protolens.ui." + f + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(others)
                    .orShould().dependOnClassesThat().resideInAPackage("org.protolens.ui.shell..")
                    .check(CLASSES);
        }
    }

    @Test
    void theGroundFloorDependsOnNoOtherWindowPackage() {
        noClasses().that().resideInAPackage("org.protolens.ui.common..")
                .should().dependOnClassesThat().resideInAnyPackage(FEATURES.stream().map(g -> "org.protolens.ui." + g + "..")
                        .toArray(String[]::new))
                .orShould().dependOnClassesThat().resideInAPackage("org.protolens.ui.shell..")
                .check(CLASSES);
    }

    @Test
    void onlyTheTaskRunnerStartsThreadsInTheWindow() {
        Predicate<JavaAccess<?>> startsThreads = a -> {
            String owner = a.getTargetOwner().getFullName();
            String name = a.getTarget().getName();
            return owner.equals(Thread.class.getName()) && Set.of("<init>", "start", "ofPlatform", "ofVirtual", "startVirtualThread")
                    .contains(name)
                    || owner.equals(Executors.class.getName())
                    || owner.equals(ThreadPoolExecutor.class.getName()) && name.equals("<init>")
                    || owner.equals(CompletableFuture.class.getName()) && name.endsWith("Async")
                    || owner.equals(Timer.class.getName()) && name.equals("<init>");
        };
        classes().that().resideInAPackage("org.protolens.ui..")
                .and().doNotHaveFullyQualifiedName("org.protolens.ui.common.Tasks")
                .should(notAccess("start no threads (only ui.common.Tasks does)", startsThreads))
                .check(CLASSES);
    }

    @Test
    void onlyCommandsChangesAWorkspace() {
        Predicate<JavaAccess<?>> changes = a -> {
            String owner = a.getTargetOwner().getFullName();
            return owner.equals("org.protolens.core.project.Workspace") && !a.getTarget().getName().equals("state")
                    || owner.equals("org.protolens.core.project.History") && Set.of("<init>", "apply", "undo", "redo")
                    .contains(a.getTarget().getName())
                    || owner.equals("org.protolens.core.project.ProjectWriter");
        };
        classes().that().resideInAPackage("org.protolens.ui..")
                .and().doNotHaveFullyQualifiedName("org.protolens.ui.common.Commands")
                .should(notAccess("leave the workspace, its history and its writer to ui.common.Commands", changes))
                .check(CLASSES);
        // views bind: the edits are made by their view models
        noClasses().that().resideInAPackage("org.protolens.ui..").and().haveSimpleNameEndingWith("View")
                .should().dependOnClassesThat().haveFullyQualifiedName("org.protolens.core.project.History")
                .check(CLASSES);
    }

    @Test
    void noVectorMathsNorBackbonesInTheWindow() {
        noClasses().that().resideInAPackage("org.protolens.ui..")
                .should().dependOnClassesThat(DescribedPredicate.describe("do vector maths (core.proto, but the calibration settings)",
                        (JavaClass c) -> c.getPackageName().equals("org.protolens.core.proto")
                                && !List.of("TeenCalibration", "PrototypeHead").contains(c.getSimpleName())))
                .check(CLASSES);
        noClasses().that().resideInAPackage("org.protolens.ui..").and().resideOutsideOfPackage("org.protolens.ui.importer..")
                .should().dependOnClassesThat(DescribedPredicate.describe("load or run backbones (only the importer embeds)",
                        (JavaClass c) -> c.getPackageName().equals("org.protolens.core.embed")
                                && List.of("Backbone", "BackboneLoader", "EmbeddingPipeline", "EmbeddingCache", "ImageDecoder",
                                "DjlBackbone", "BuiltinArchitecture", "BatchTranslator").contains(c.getSimpleName())))
                .check(CLASSES);
    }

    @Test
    void nothingPrintsButTheCommandLineAndTheSmokeMode() {
        noClasses().that().resideOutsideOfPackage("org.protolens.cli..")
                .and().doNotHaveFullyQualifiedName("org.protolens.Main")
                .and().doNotHaveFullyQualifiedName("org.protolens.ui.shell.Screenshot")
                .should().accessField(System.class, "out").orShould().accessField(System.class, "err")
                .check(CLASSES);
    }

    @Test
    void namesSayWhatAThingIs() {
        classes().should().haveSimpleNameNotEndingWith("Manager").andShould().haveSimpleNameNotEndingWith("Helper")
                .andShould().haveSimpleNameNotEndingWith("Util").andShould().haveSimpleNameNotEndingWith("Utils")
                .check(CLASSES);
    }

    private static ArchCondition<JavaClass> notAccess(String what, Predicate<JavaAccess<?>> forbidden) {
        return new ArchCondition<>(what) {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                for (JavaAccess<?> a : c.getAccessesFromSelf()) {
                    if (forbidden.test(a)) {
                        events.add(SimpleConditionEvent.violated(c, a.getDescription()));
                    }
                }
            }
        };
    }
}
