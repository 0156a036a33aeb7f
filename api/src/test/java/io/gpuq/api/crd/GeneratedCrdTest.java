package io.gpuq.api.crd;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The chart ships the CRDs generated from the model; they must carry what kubectl and the scheduler need. */
class GeneratedCrdTest {

    private static final Path CRD_DIR = Path.of("..", "charts", "gpuq", "crds");

    private static CustomResourceDefinition crd(String plural) throws IOException {
        Path file = CRD_DIR.resolve(plural + ".run.ai-v1.yml");
        assertThat(file).exists();
        return Serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class);
    }

    private static CustomResourceDefinitionVersion v1(CustomResourceDefinition crd) {
        assertThat(crd.getSpec().getGroup()).isEqualTo("run.ai");
        assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
        assertThat(crd.getSpec().getVersions()).hasSize(1);
        CustomResourceDefinitionVersion version = crd.getSpec().getVersions().get(0);
        assertThat(version.getName()).isEqualTo("v1");
        assertThat(version.getServed()).isTrue();
        assertThat(version.getStorage()).isTrue();
        assertThat(version.getSubresources().getStatus()).as("status subresource").isNotNull();
        return version;
    }

    private static Map<String, String> columns(CustomResourceDefinitionVersion version) {
        return version.getAdditionalPrinterColumns().stream()
                .collect(Collectors.toMap(CustomResourceColumnDefinition::getName, CustomResourceColumnDefinition::getJsonPath));
    }

    private static JSONSchemaProps property(CustomResourceDefinitionVersion version, String top) {
        return version.getSchema().getOpenAPIV3Schema().getProperties().get(top);
    }

    @Test
    void projectCrdShowsDeservedFairShareAndAllocated() throws IOException {
        CustomResourceDefinition crd = crd("projects");
        CustomResourceDefinitionVersion version = v1(crd);

        assertThat(crd.getMetadata().getName()).isEqualTo("projects.run.ai");
        assertThat(crd.getSpec().getNames().getKind()).isEqualTo("Project");
        assertThat(columns(version))
                .containsEntry("Deserved", ".spec.deservedGpus")
                .containsEntry("Fair Share", ".status.fairShareGpus")
                .containsEntry("Allocated", ".status.allocatedGpus");
        JSONSchemaProps spec = property(version, "spec");
        assertThat(spec.getProperties()).containsOnlyKeys("deservedGpus", "overQuotaWeight", "maxGpus", "priority",
                "department", "namespace", "nodePools");
        assertThat(spec.getProperties().get("deservedGpus").getType()).isEqualTo("number");
        assertThat(spec.getProperties().get("priority").getType()).isEqualTo("integer");
        assertThat(spec.getProperties().get("nodePools").getItems().getSchema().getProperties())
                .containsOnlyKeys("name", "deservedGpus");
        assertThat(property(version, "status").getProperties()).containsOnlyKeys("fairShareGpus", "allocatedGpus",
                "allocatedNonPreemptibleGpus", "pendingWorkloads", "conditions");
    }

    @Test
    void departmentCrdHasQuotaFieldsAndColumns() throws IOException {
        CustomResourceDefinitionVersion version = v1(crd("departments"));

        assertThat(columns(version)).containsKeys("Deserved", "Max", "Fair Share", "Allocated");
        assertThat(property(version, "spec").getProperties())
                .containsOnlyKeys("deservedGpus", "maxGpus", "overQuotaWeight", "priority");
        assertThat(property(version, "status").getProperties()).containsKeys("fairShareGpus", "allocatedGpus");
    }

    @Test
    void runaiJobCrdKeepsPodTemplatesWholeAndShowsThePhase() throws IOException {
        CustomResourceDefinition crd = crd("runaijobs");
        CustomResourceDefinitionVersion version = v1(crd);

        assertThat(crd.getSpec().getNames().getKind()).isEqualTo("RunaiJob");
        assertThat(columns(version))
                .containsEntry("Phase", ".status.phase")
                .containsEntry("Workers", ".spec.distributedTraining.workers.replicas");
        JSONSchemaProps spec = property(version, "spec");
        assertThat(spec.getProperties()).containsKeys("template", "distributedTraining", "backoffLimit");
        assertThat(spec.getProperties().get("template").getXKubernetesPreserveUnknownFields()).isTrue();
        JSONSchemaProps workers = spec.getProperties().get("distributedTraining").getProperties().get("workers");
        assertThat(workers.getProperties()).containsOnlyKeys("replicas", "template");
        assertThat(workers.getProperties().get("template").getXKubernetesPreserveUnknownFields()).isTrue();
        JSONSchemaProps phase = property(version, "status").getProperties().get("phase");
        assertThat(phase.getEnum()).extracting(Object::toString)
                .containsExactlyInAnyOrder("\"Pending\"", "\"Running\"", "\"Succeeded\"", "\"Failed\"");
    }

    @Test
    void runaiJobCrdStaysSmallEnoughForClientSideApply() throws IOException {
        assertThat(Files.size(CRD_DIR.resolve("runaijobs.run.ai-v1.yml"))).isLessThan(256 * 1024);
    }
}
