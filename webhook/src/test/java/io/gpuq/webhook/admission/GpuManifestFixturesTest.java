package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuq.api.Names;
import io.gpuq.webhook.ClusterView;
import io.gpuq.webhook.WebhookSettings;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pods of every real GPU workload in {@code shared/fixtures/gpu-manifests}, admitted into an
 * opted-in namespace as their controllers would create them: mutation contract, then validation.
 */
class GpuManifestFixturesTest {

    private static final String NAMESPACE = "ml-team";
    /** The one fixture the rules must refuse: it gives a fraction to an init container. */
    private static final String INIT_CONTAINER_FRACTION = "NVIDIA__KAI-Scheduler__gpu-fraction-init-container-pod.yaml";

    @TestFactory
    List<DynamicTest> everyPodTemplateIsAdmittedConsistently() throws IOException {
        Map<String, List<PodTemplates.Template>> byFile = templates();
        List<DynamicTest> tests = new ArrayList<>();
        byFile.forEach((file, templates) -> {
            for (PodTemplates.Template t : templates) {
                tests.add(DynamicTest.dynamicTest(file + t.path(), () -> admit(file, t)));
            }
        });
        return tests;
    }

    @Test
    void templatesAreFoundInEveryKindOfWorkload() throws IOException {
        Map<String, List<PodTemplates.Template>> byFile = templates();
        Map<String, Integer> counts = new LinkedHashMap<>();
        byFile.forEach((file, templates) -> counts.put(file, templates.size()));

        assertThat(counts).containsEntry("NVIDIA__KAI-Scheduler__pytorchjob.yaml", 2)
                .containsEntry("kubernetes-sigs__lws__leaderworkerset-vllm-8gpu.yaml", 2)
                .containsEntry("NVIDIA__KAI-Scheduler__rayjob.yaml", 2)
                .containsEntry("NVIDIA__KAI-Scheduler__two-queue-8gpu-pods.yaml", 2)
                .containsEntry("kubeflow__trainer__clustertrainingruntime-torchtune-2gpu.yaml", 3)
                .containsEntry("volcano-sh__volcano__vcjob-mpi-gpu-workers.yaml", 2)
                .containsEntry("volcano-sh__volcano__argo-vcjob-zero-gpu.yaml", 2)
                .containsEntry("Project-HAMi__HAMi__vllm-tensor-parallel-deployment.yaml", 1)
                // A TrainJob states its GPUs in a CR field, not in a pod template.
                .containsEntry("kubeflow__trainer__trainjob-v2-gpu-requests-limits.yaml", 0);
        assertThat(counts.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(36);
    }

    private static void admit(String file, PodTemplates.Template template) {
        ObjectNode pod = template.pod();
        ObjectNode metadata = (ObjectNode) pod.get("metadata");
        JsonNode workload = template.workload();
        boolean owned = workload != null && !"Pod".equals(workload.path("kind").asText());
        if (owned) {
            ObjectNode owner = metadata.putArray("ownerReferences").addObject();
            owner.put("apiVersion", workload.path("apiVersion").asText());
            owner.put("kind", workload.path("kind").asText());
            owner.put("name", workload.at("/metadata/name").asText("workload"));
            owner.put("uid", "7d2c1e7a-0000-4000-8000-000000000001");
            owner.put("controller", true);
        }
        if (!metadata.has("name")) {
            metadata.put("name", workload.at("/metadata/name").asText("pod") + "-0");
        }
        InMemoryClusterView cluster = new InMemoryClusterView().optIn(NAMESPACE)
                .project(TestQuotas.forNamespace(TestQuotas.project("ml", 16), NAMESPACE))
                .pool(Names.DEFAULT_NODE_POOL, 81920, "NVIDIA-H100-80GB-HBM3");
        int gangSize = gangSize(workload);
        if (owned && gangSize > 1) {
            cluster.gang(NAMESPACE, workload.path("kind").asText(), workload.at("/metadata/name").asText("workload"),
                    new ClusterView.Gang(workload.at("/metadata/name").asText("workload"), gangSize));
        }
        AdmissionService service = Reviews.service(cluster);

        ObjectNode mutated = MutationChecks.mutateChecked(service, Reviews.create(pod, NAMESPACE));

        assertThat(mutated.at("/spec/schedulerName").asText()).isEqualTo("runai-scheduler");
        assertThat(mutated.at("/metadata/labels/runai~1queue").asText()).isEqualTo("ml");
        for (JsonNode c : mutated.at("/spec/containers")) {
            String gpu = c.at("/resources/limits/nvidia.com~1gpu").asText("0");
            assertThat(Double.parseDouble(gpu) % 1).as("no fractional nvidia.com/gpu is left").isZero();
        }
        if (owned && gangSize > 1) {
            assertThat(mutated.at("/metadata/annotations/runai~1pod-group-min-member").asText())
                    .isEqualTo(Integer.toString(gangSize));
        }
        String fraction = mutated.at("/metadata/annotations/gpu-fraction").asText(null);
        if (fraction != null && !file.equals(INIT_CONTAINER_FRACTION)) {
            assertThat(mutated.at("/metadata/annotations/runai~1gpu-fraction").asText()).isEqualTo(fraction);
            assertThat(envOfGpuContainer(mutated)).contains("NVIDIA_VISIBLE_DEVICES", "RUNAI_GPU_FRACTION");
        }

        AdmissionOutcome validated = service.review(AdmissionEndpoint.VALIDATE_POD, Reviews.create(mutated, NAMESPACE));
        if (file.equals(INIT_CONTAINER_FRACTION)) {
            assertThat(validated.allowed()).isFalse();
            assertThat(Reviews.message(validated)).isEqualTo("gpu-fraction-container-name \"gpu-init\" is not allowed:"
                    + " the pod has no regular container of that name; containers: \"main-app\"");
        } else {
            assertThat(validated.allowed()).as(String.valueOf(Reviews.message(validated))).isTrue();
        }
    }

    @Test
    void theMpsExampleGetsMpsLimitsOnAnMpsPool() throws IOException {
        Path file = SharedFixtures.fixtures("gpu-manifests").resolve("NVIDIA__KAI-Scheduler__gpu-fraction-mps-pod.yaml");
        ObjectNode pod = PodTemplates.in(FixtureDocuments.documents(file).get(0)).get(0).pod();
        WebhookSettings defaults = WebhookSettings.defaults();
        WebhookSettings mps = new WebhookSettings(defaults.optInLabelKey(), defaults.optInLabelValue(),
                defaults.schedulerName(), true, defaults.defaultWorkloadType(), Set.of(Names.DEFAULT_NODE_POOL),
                defaults.systemNamespace(), defaults.schedulerUsers());
        InMemoryClusterView cluster = new InMemoryClusterView().optIn(NAMESPACE)
                .project(TestQuotas.forNamespace(TestQuotas.project("ml", 4), NAMESPACE))
                .pool(Names.DEFAULT_NODE_POOL, 81920, "NVIDIA-H100-80GB-HBM3");

        ObjectNode mutated = MutationChecks.mutateChecked(Reviews.service(cluster, () -> mps), Reviews.create(pod, NAMESPACE));

        assertThat(mutated.at("/spec/containers/0/env").toString())
                .contains("{\"name\":\"CUDA_MPS_ACTIVE_THREAD_PERCENTAGE\",\"value\":\"50\"}")
                .contains("{\"name\":\"CUDA_MPS_PINNED_DEVICE_MEM_LIMIT\",\"value\":\"0=40960M\"}");
    }

    private static List<String> envOfGpuContainer(JsonNode pod) {
        String name = pod.at("/metadata/annotations/gpu-fraction-container-name").asText(null);
        List<String> names = new ArrayList<>();
        for (JsonNode c : pod.at("/spec/containers")) {
            if (name == null || name.equals(c.path("name").asText())) {
                c.path("env").forEach(e -> names.add(e.path("name").asText()));
                break;
            }
        }
        return names;
    }

    /** How many pods the workload starts together, as the cluster view would report its gang. */
    private static int gangSize(JsonNode workload) {
        if (workload == null) {
            return 0;
        }
        int parallelism = workload.at("/spec/parallelism").asInt(0);
        if (parallelism > 0) {
            return parallelism;
        }
        int replicas = 0;
        for (JsonNode spec : workload.at("/spec/pytorchReplicaSpecs")) {
            replicas += spec.path("replicas").asInt(0);
        }
        return replicas;
    }

    private static Map<String, List<PodTemplates.Template>> templates() throws IOException {
        Map<String, List<PodTemplates.Template>> out = new LinkedHashMap<>();
        for (Path file : FixtureDocuments.files(SharedFixtures.fixtures("gpu-manifests"))) {
            List<PodTemplates.Template> templates = new ArrayList<>();
            for (JsonNode doc : FixtureDocuments.documents(file)) {
                templates.addAll(PodTemplates.in(doc));
            }
            out.put(file.getFileName().toString(), templates);
        }
        return out;
    }
}
