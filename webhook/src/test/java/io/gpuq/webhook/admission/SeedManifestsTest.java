package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.gpuq.api.crd.Project;
import io.gpuq.webhook.ClusterView;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed tutorial's manifests as the RunaiJob controller turns them into pods: the fractional
 * inference job, the 4-worker FSDP gang, and node pools.
 */
class SeedManifestsTest {

    private final InMemoryClusterView cluster = new InMemoryClusterView()
            .optIn("team-training").optIn("team-inference")
            .project(seedProject("project-team-training.yaml"))
            .project(seedProject("project-team-inference.yaml"))
            .pool("default", 81920, "NVIDIA-H100-80GB-HBM3")
            .pool("inference-pool", 81920, "NVIDIA-H100-80GB-HBM3")
            .gang("team-training", "RunaiJob", "fsdp-training", new ClusterView.Gang("fsdp-training", 4));
    private final AdmissionService service = Reviews.service(cluster);

    @Test
    void fractionalInferencePodIsRewrittenIntoTheRunaiForm() {
        ObjectNode pod = podFrom("runaijob-small-inference.yaml", "/spec/template", "small-inference-0");

        AdmissionOutcome outcome = service.review(AdmissionEndpoint.MUTATE_POD, Reviews.create(pod, "team-inference"));
        ArrayNode patch = Reviews.patch(outcome);
        ObjectNode mutated = MutationChecks.mutateChecked(service, Reviews.create(pod, "team-inference"));

        assertThat(patch.toString()).contains("{\"op\":\"remove\",\"path\":\"/spec/containers/0/resources/limits/nvidia.com~1gpu\"}");
        JsonNode annotations = mutated.path("metadata").path("annotations");
        assertThat(annotations.path("gpu-fraction").asText()).isEqualTo("0.5");
        assertThat(annotations.path("runai/gpu-fraction").asText()).isEqualTo("0.5");
        assertThat(annotations.has("gpu-fraction-container-name")).isFalse();
        JsonNode container = mutated.path("spec").path("containers").get(0);
        assertThat(container.path("resources").path("limits").has("nvidia.com/gpu")).isFalse();
        assertThat(container.path("env").toString())
                .contains("{\"name\":\"NVIDIA_VISIBLE_DEVICES\",\"valueFrom\":{\"fieldRef\":{\"apiVersion\":\"v1\","
                        + "\"fieldPath\":\"metadata.annotations['runai/gpu-devices']\"}}}")
                .contains("{\"name\":\"RUNAI_GPU_FRACTION\",\"value\":\"0.5\"}")
                .doesNotContain("CUDA_MPS");
        assertThat(mutated.path("spec").path("schedulerName").asText()).isEqualTo("runai-scheduler");
        assertThat(mutated.path("metadata").path("labels").path("runai/queue").asText()).isEqualTo("team-inference");
        assertThat(mutated.path("spec").path("priorityClassName").asText()).isEqualTo("train");
        assertThat(mutated.path("metadata").path("labels").path("runai/preemptible").asText()).isEqualTo("true");
        assertThat(nodeSelectorTerms(mutated).toString()).isEqualTo(
                "[{\"matchExpressions\":[{\"key\":\"runai/node-pool\",\"operator\":\"In\",\"values\":[\"inference-pool\"]}]}]");

        AdmissionOutcome validated = service.review(AdmissionEndpoint.VALIDATE_POD, Reviews.create(mutated, "team-inference"));
        assertThat(validated.allowed()).as(Reviews.message(validated)).isTrue();
    }

    @Test
    void everyFsdpWorkerJoinsTheGangOfFourAndKeepsItsWholeGpus() {
        ObjectNode worker = podFrom("runaijob-fsdp-training.yaml", "/spec/distributedTraining/workers/template",
                "fsdp-training-2");

        ObjectNode mutated = MutationChecks.mutateChecked(service, Reviews.create(worker, "team-training"));

        JsonNode annotations = mutated.path("metadata").path("annotations");
        assertThat(annotations.path("pod-group-name").asText()).isEqualTo("fsdp-training");
        assertThat(annotations.path("runai/pod-group-min-member").asText()).isEqualTo("4");
        assertThat(annotations.has("gpu-fraction")).isFalse();
        assertThat(mutated.at("/spec/containers/0/resources/limits/nvidia.com~1gpu").asText()).isEqualTo("8");
        assertThat(mutated.at("/spec/containers/0/env").isMissingNode()).isTrue();
        assertThat(nodeSelectorTerms(mutated).toString()).isEqualTo(
                "[{\"matchExpressions\":[{\"key\":\"runai/node-pool\",\"operator\":\"DoesNotExist\"}]}]");
        assertThat(mutated.path("metadata").path("labels").path("runai/queue").asText()).isEqualTo("team-training");
        assertThat(annotations.path("runai/quota-status").asText()).isEqualTo("within-quota");

        AdmissionOutcome validated = service.review(AdmissionEndpoint.VALIDATE_POD, Reviews.create(mutated, "team-training"));
        assertThat(validated.allowed()).as(Reviews.message(validated)).isTrue();
    }

    @Test
    void aTeamInferencePodAskingForAPoolItsProjectLacksIsDeniedWithTheAllowedPools() {
        ObjectNode pod = podFrom("runaijob-small-inference.yaml", "/spec/template", "small-inference-0");
        ((ObjectNode) pod.get("metadata")).putObject("labels").put("runai/node-pool", "training-pool");

        ObjectNode mutated = MutationChecks.mutateChecked(service, Reviews.create(pod, "team-inference"));
        AdmissionOutcome outcome = service.review(AdmissionEndpoint.VALIDATE_POD, Reviews.create(mutated, "team-inference"));

        assertThat(outcome.allowed()).isFalse();
        assertThat(Reviews.message(outcome)).isEqualTo("pod label runai/node-pool \"training-pool\" names a node pool"
                + " that project \"team-inference\" does not have; allowed pools: inference-pool (remove the label or"
                + " pick one of these)");
    }

    private static Project seedProject(String resource) {
        return new KubernetesSerialization().unmarshal(read(resource), Project.class);
    }

    private static String read(String resource) {
        try (InputStream in = SeedManifestsTest.class.getResourceAsStream("/seed/" + resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The pod the controller creates from a RunaiJob template: owned by the job, named after it. */
    static ObjectNode podFrom(String resource, String templatePointer, String podName) {
        JsonNode job = Reviews.yaml(read(resource));
        ObjectNode pod = Reviews.JSON.createObjectNode();
        pod.put("apiVersion", "v1");
        pod.put("kind", "Pod");
        ObjectNode metadata = pod.putObject("metadata");
        metadata.put("name", podName);
        metadata.put("namespace", job.at("/metadata/namespace").asText());
        ObjectNode owner = metadata.putArray("ownerReferences").addObject();
        owner.put("apiVersion", job.path("apiVersion").asText());
        owner.put("kind", job.path("kind").asText());
        owner.put("name", job.at("/metadata/name").asText());
        owner.put("uid", "0b5e6a1c-7d3e-4c1b-9a51-000000000001");
        owner.put("controller", true);
        pod.set("spec", job.at(templatePointer + "/spec").deepCopy());
        return pod;
    }

    static JsonNode nodeSelectorTerms(JsonNode pod) {
        return pod.at("/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms");
    }
}
