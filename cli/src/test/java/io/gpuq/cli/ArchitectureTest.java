package io.gpuq.cli;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The walls between modules and the purity of the engine, checked on the compiled classes. */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.gpuq");
    }

    @Test
    void engineImportsNoKubernetesClientOrVertx() {
        noClasses().that().resideInAPackage("io.gpuq.scheduler.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("io.fabric8..", "io.vertx..")
                .because("the engine takes a snapshot and returns decisions; adapters talk to the cluster")
                .check(classes);
    }

    @Test
    void engineDoesNotReachIntoTheAdaptersOrTheSimulator() {
        noClasses().that().resideInAPackage("io.gpuq.scheduler.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("io.gpuq.scheduler.sim..",
                        "io.gpuq.scheduler.packing..", "io.gpuq.cli..")
                .check(classes);
    }

    @Test
    void apiImportsNoOtherGpuqModule() {
        noClasses().that().resideInAPackage("io.gpuq.api..")
                .should().dependOnClassesThat().resideInAnyPackage("io.gpuq.webhook..", "io.gpuq.scheduler..",
                        "io.gpuq.cli..")
                .check(classes);
    }

    @Test
    void webhookAndSchedulerDoNotImportEachOther() {
        noClasses().that().resideInAPackage("io.gpuq.webhook..")
                .should().dependOnClassesThat().resideInAnyPackage("io.gpuq.scheduler..", "io.gpuq.cli..")
                .allowEmptyShould(true)
                .check(classes);
        noClasses().that().resideInAPackage("io.gpuq.scheduler..")
                .should().dependOnClassesThat().resideInAnyPackage("io.gpuq.webhook..", "io.gpuq.cli..")
                .check(classes);
    }
}
