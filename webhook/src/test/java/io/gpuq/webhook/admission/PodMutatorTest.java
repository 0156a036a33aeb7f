package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuq.api.WorkloadType;
import io.gpuq.webhook.ClusterView;
import io.gpuq.webhook.WebhookSettings;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** DESIGN §3.3 steps 1–6, one behaviour at a time; every case also passes the mutation contract. */
class PodMutatorTest {

    private final InMemoryClusterView cluster = TestQuotas.seedCluster();
    private AdmissionService service = Reviews.service(cluster);

    private ObjectNode mutate(TestPods pod, String namespace) {
        return MutationChecks.mutateChecked(service, Reviews.create(pod.json(), namespace));
    }

    private AdmissionOutcome outcome(TestPods pod, String namespace) {
        return service.review(AdmissionEndpoint.MUTATE_POD, Reviews.create(pod.json(), namespace));
    }

    private static WebhookSettings settings(boolean enforce, WorkloadType defaultType, Set<String> mpsPools) {
        WebhookSettings d = WebhookSettings.defaults();
        return new WebhookSettings(d.optInLabelKey(), d.optInLabelValue(), d.schedulerName(), enforce, defaultType,
                mpsPools, d.systemNamespace(), d.schedulerUsers());
    }

    @Nested
    class SchedulerRouting {

        @Test
        void enforcedRoutingTakesOverAnotherSchedulerAndSaysSo() {
            AdmissionOutcome outcome = outcome(TestPods.pod().spec("schedulerName", "volcano"), "team-training");
            ObjectNode pod = mutate(TestPods.pod().spec("schedulerName", "volcano"), "team-training");

            assertThat(pod.at("/spec/schedulerName").asText()).isEqualTo("runai-scheduler");
            assertThat(Reviews.warnings(outcome)).containsExactly("spec.schedulerName \"volcano\" was replaced by"
                    + " \"runai-scheduler\": every pod of namespace \"team-training\" is scheduled by gpuq so that GPU"
                    + " quotas hold");
        }

        @Test
        void withoutEnforcementOnlyDefaultSchedulerPodsAreRouted() {
            service = Reviews.service(cluster, () -> settings(false, WorkloadType.TRAIN, Set.of()));

            assertThat(Reviews.patch(outcome(TestPods.pod().spec("schedulerName", "volcano"), "team-training"))).isEmpty();
            assertThat(mutate(TestPods.pod().spec("schedulerName", "default-scheduler"), "team-training")
                    .at("/spec/schedulerName").asText()).isEqualTo("runai-scheduler");
            assertThat(mutate(TestPods.pod(), "team-training").at("/spec/schedulerName").asText())
                    .isEqualTo("runai-scheduler");
        }

        @Test
        void settingsAreReadAtEachReviewSoAReloadAppliesAtOnce() {
            List<WebhookSettings> current = new ArrayList<>(List.of(settings(true, WorkloadType.TRAIN, Set.of())));
            service = Reviews.service(cluster, () -> current.get(0));
            assertThat(mutate(TestPods.pod(), "team-training").at("/spec/priorityClassName").asText()).isEqualTo("train");

            current.set(0, settings(true, WorkloadType.BUILD, Set.of()));

            assertThat(mutate(TestPods.pod(), "team-training").at("/spec/priorityClassName").asText()).isEqualTo("build");
        }
    }

    @Nested
    class Projects {

        @Test
        void thePodsQueueLabelIsKept() {
            ObjectNode pod = mutate(TestPods.pod().label("runai/queue", "team-research"), "team-training");
            assertThat(pod.at("/metadata/labels/runai~1queue").asText()).isEqualTo("team-research");
        }

        @Test
        void theNamespacesQueueLabelNamesTheProject() {
            cluster.namespace("shared", Map.of("runai-job", "true", "runai/queue", "team-research"));
            assertThat(mutate(TestPods.pod(), "shared").at("/metadata/labels/runai~1queue").asText())
                    .isEqualTo("team-research");
        }

        @Test
        void aProjectWithAnotherNamespaceIsFoundBySpecNamespace() {
            cluster.optIn("vision").project(TestQuotas.forNamespace(TestQuotas.project("cv-team", 2), "vision"));
            assertThat(mutate(TestPods.pod(), "vision").at("/metadata/labels/runai~1queue").asText()).isEqualTo("cv-team");
        }

        @Test
        void aPodWithoutNamespaceInTheRequestUsesItsOwn() {
            ObjectNode json = TestPods.pod().json();
            ((ObjectNode) json.get("metadata")).put("namespace", "team-research");
            ObjectNode pod = MutationChecks.mutateChecked(service, Reviews.create(json, null));
            assertThat(pod.at("/metadata/labels/runai~1queue").asText()).isEqualTo("team-research");
        }

        @Test
        void withoutAProjectThePodIsStillRoutedButGetsNoQueueOrPools() {
            cluster.optIn("sandbox");
            ObjectNode pod = mutate(TestPods.pod(), "sandbox");
            assertThat(pod.at("/spec/schedulerName").asText()).isEqualTo("runai-scheduler");
            assertThat(pod.at("/metadata/labels/runai~1queue").isMissingNode()).isTrue();
            assertThat(pod.at("/spec/affinity").isMissingNode()).isTrue();
        }
    }

    @Nested
    class Fractions {

        @Test
        void theSeedFormInASecondContainerNamesThatContainer() {
            TestPods pods = TestPods.pod().container("model", "vllm/vllm-openai:v0.8.5")
                    .limit("model", "nvidia.com/gpu", "250m").limit("model", "cpu", "2");
            ObjectNode json = pods.json();
            ((ObjectNode) json.at("/spec/containers/1/resources")).putObject("requests").put("nvidia.com/gpu", "0.25");

            ObjectNode pod = MutationChecks.mutateChecked(service, Reviews.create(json, "team-training"));

            assertThat(pod.at("/metadata/annotations/gpu-fraction").asText()).isEqualTo("0.25");
            assertThat(pod.at("/metadata/annotations/gpu-fraction-container-name").asText()).isEqualTo("model");
            assertThat(pod.at("/spec/containers/1/resources").toString()).isEqualTo("{\"limits\":{\"cpu\":\"2\"},\"requests\":{}}");
            assertThat(pod.at("/spec/containers/0/env").isMissingNode()).isTrue();
            assertThat(names(pod.at("/spec/containers/1/env"))).containsExactly("NVIDIA_VISIBLE_DEVICES", "RUNAI_GPU_FRACTION");
        }

        @Test
        void envTheUserSetIsKeptAndTheWiringAppended() {
            ObjectNode pod = mutate(TestPods.pod().annotation("gpu-fraction", "0.5").env("main", "HF_HOME", "/cache")
                    .env("main", "RUNAI_GPU_FRACTION", "0.5"), "team-training");

            assertThat(names(pod.at("/spec/containers/0/env")))
                    .containsExactly("HF_HOME", "RUNAI_GPU_FRACTION", "NVIDIA_VISIBLE_DEVICES");
            assertThat(pod.at("/metadata/annotations/runai~1gpu-fraction").asText()).isEqualTo("0.5");
        }

        @Test
        void aGpuMemoryRequestSeesItsDevicesButHasNoFractionOfItsOwn() {
            ObjectNode pod = mutate(TestPods.pod().annotation("gpu-memory", "20Gi"), "team-training");

            assertThat(names(pod.at("/spec/containers/0/env"))).containsExactly("NVIDIA_VISIBLE_DEVICES");
            assertThat(pod.at("/metadata/annotations/runai~1gpu-fraction").isMissingNode()).isTrue();
        }

        @Test
        void onAnMpsPoolMemoryIsPinnedPerDevice() {
            service = Reviews.service(cluster, () -> settings(true, WorkloadType.TRAIN, Set.of("inference-pool")));
            ObjectNode pod = mutate(TestPods.pod().annotation("gpu-fraction", "0.25")
                    .annotation("gpu-fraction-num-devices", "2"), "team-inference");

            assertThat(pod.at("/spec/containers/0/env").toString())
                    .contains("{\"name\":\"CUDA_MPS_ACTIVE_THREAD_PERCENTAGE\",\"value\":\"25\"}")
                    .contains("{\"name\":\"CUDA_MPS_PINNED_DEVICE_MEM_LIMIT\",\"value\":\"0=20480M,1=20480M\"}");
        }

        @Test
        void wholeGpusAreLeftToTheDevicePlugin() {
            ObjectNode pod = mutate(TestPods.pod().gpus("2"), "team-training");
            assertThat(pod.at("/spec/containers/0/env").isMissingNode()).isTrue();
            assertThat(pod.at("/spec/containers/0/resources/limits/nvidia.com~1gpu").asText()).isEqualTo("2");
        }

        @Test
        void anInvalidRequestIsLeftAsWrittenForTheValidatorToExplain() {
            ObjectNode pod = mutate(TestPods.pod().gpus("1.5"), "team-training");
            assertThat(pod.at("/spec/containers/0/resources/limits/nvidia.com~1gpu").asText()).isEqualTo("1.5");
            assertThat(pod.at("/metadata/annotations/gpu-fraction").isMissingNode()).isTrue();
        }
    }

    @Nested
    class NodePools {

        @Test
        void aProjectWithTheDefaultAndANamedPoolNeedsEachUserTermTwice() {
            cluster.project(TestQuotas.project("team-training", 8, TestQuotas.pool("default", 6), TestQuotas.pool("a100", 2)));
            JsonNode affinity = Reviews.json("{\"nodeAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":"
                    + "{\"nodeSelectorTerms\":[{\"matchExpressions\":[{\"key\":\"zone\",\"operator\":\"In\",\"values\":[\"a\"]}]},"
                    + "{\"matchFields\":[{\"key\":\"metadata.name\",\"operator\":\"In\",\"values\":[\"n1\"]}]}]}}}");

            AdmissionOutcome outcome = outcome(TestPods.pod().spec("affinity", affinity), "team-training");
            ObjectNode pod = mutate(TestPods.pod().spec("affinity", affinity), "team-training");

            String dne = "{\"key\":\"runai/node-pool\",\"operator\":\"DoesNotExist\"}";
            String in = "{\"key\":\"runai/node-pool\",\"operator\":\"In\",\"values\":[\"a100\"]}";
            String zone = "{\"key\":\"zone\",\"operator\":\"In\",\"values\":[\"a\"]}";
            String node = "\"matchFields\":[{\"key\":\"metadata.name\",\"operator\":\"In\",\"values\":[\"n1\"]}]";
            assertThat(SeedManifestsTest.nodeSelectorTerms(pod).toString()).isEqualTo("["
                    + "{\"matchExpressions\":[" + zone + "," + dne + "]},"
                    + "{" + node + ",\"matchExpressions\":[" + dne + "]},"
                    + "{\"matchExpressions\":[" + zone + "," + in + "]},"
                    + "{" + node + ",\"matchExpressions\":[" + in + "]}]");
            String terms = "/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms";
            assertThat(paths(Reviews.patch(outcome))).contains(terms + "/0/matchExpressions/1",
                    terms + "/1/matchExpressions", terms + "/2", terms + "/3");
        }

        @Test
        void aTermThatAlreadyChoosesAPoolIsKept() {
            JsonNode affinity = Reviews.json("{\"nodeAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":"
                    + "{\"nodeSelectorTerms\":[{\"matchExpressions\":[{\"key\":\"runai/node-pool\",\"operator\":\"In\","
                    + "\"values\":[\"inference-pool\"]}]}]}}}");
            AdmissionOutcome outcome = outcome(TestPods.pod().spec("affinity", affinity), "team-inference");
            assertThat(paths(Reviews.patch(outcome))).noneMatch(p -> p.startsWith("/spec/affinity"));
        }

        @Test
        void thePodsPoolLabelNarrowsToThatPool() {
            cluster.project(TestQuotas.project("team-training", 8, TestQuotas.pool("default", 6), TestQuotas.pool("a100", 2)));
            ObjectNode pod = mutate(TestPods.pod().label("runai/node-pool", "a100"), "team-training");
            assertThat(SeedManifestsTest.nodeSelectorTerms(pod).toString()).isEqualTo(
                    "[{\"matchExpressions\":[{\"key\":\"runai/node-pool\",\"operator\":\"In\",\"values\":[\"a100\"]}]}]");
        }

        @Test
        void otherAffinityKindsAreKept() {
            JsonNode affinity = Reviews.json("{\"podAntiAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":"
                    + "[{\"topologyKey\":\"kubernetes.io/hostname\"}]}}");
            ObjectNode pod = mutate(TestPods.pod().spec("affinity", affinity), "team-training");
            assertThat(pod.at("/spec/affinity/podAntiAffinity")).isEqualTo(affinity.get("podAntiAffinity"));
            assertThat(SeedManifestsTest.nodeSelectorTerms(pod)).hasSize(1);
        }
    }

    @Nested
    class Priorities {

        @Test
        void theWorkloadTypeChoosesTheClass() {
            ObjectNode pod = mutate(TestPods.pod().label("runai/workload-type", "inference"), "team-inference");
            assertThat(pod.at("/spec/priorityClassName").asText()).isEqualTo("inference");
            assertThat(pod.at("/metadata/labels/runai~1preemptible").asText()).isEqualTo("false");
        }

        @Test
        void aGpuqClassIsKeptWithAMatchingPriorityAndAStaleOneRemoved() {
            ObjectNode matching = TestPods.pod().spec("priorityClassName", "build").json();
            ((ObjectNode) matching.get("spec")).put("priority", 25);
            ObjectNode stale = TestPods.pod().spec("priorityClassName", "build").json();
            ((ObjectNode) stale.get("spec")).put("priority", 1000);

            assertThat(MutationChecks.mutateChecked(service, Reviews.create(matching, "team-training"))
                    .at("/spec/priority").asInt()).isEqualTo(25);
            assertThat(MutationChecks.mutateChecked(service, Reviews.create(stale, "team-training"))
                    .at("/spec/priority").isMissingNode()).isTrue();
        }

        @Test
        void aForeignClassIsReplacedWithAWarning() {
            ObjectNode json = TestPods.pod().spec("priorityClassName", "high-priority").json();
            ((ObjectNode) json.get("spec")).put("priority", 1000000);

            AdmissionOutcome outcome = service.review(AdmissionEndpoint.MUTATE_POD, Reviews.create(json, "team-training"));
            ObjectNode pod = MutationChecks.mutateChecked(service, Reviews.create(json, "team-training"));

            assertThat(pod.at("/spec/priorityClassName").asText()).isEqualTo("train");
            assertThat(pod.at("/spec/priority").isMissingNode()).isTrue();
            assertThat(Reviews.warnings(outcome)).containsExactly("priorityClassName \"high-priority\" is not a gpuq"
                    + " class (inference, interactive, interactive-preemptible, train, build) and was replaced by"
                    + " \"train\" from runai/workload-type; name one of the gpuq classes to choose it yourself");
        }

        @Test
        void aUserVolunteeringToBePreemptibleIsKept() {
            ObjectNode pod = mutate(TestPods.pod().spec("priorityClassName", "interactive")
                    .label("runai/preemptible", "true"), "team-training");
            assertThat(pod.at("/metadata/labels/runai~1preemptible").asText()).isEqualTo("true");
        }
    }

    @Nested
    class Gangs {

        @Test
        void podsOfAJobWithParallelismJoinItsGang() {
            cluster.gang("team-training", "Job", "sweep", new ClusterView.Gang("sweep", 3));
            ObjectNode pod = mutate(TestPods.pod().owner("batch/v1", "Job", "sweep"), "team-training");
            assertThat(pod.at("/metadata/annotations/pod-group-name").asText()).isEqualTo("sweep");
            assertThat(pod.at("/metadata/annotations/runai~1pod-group-min-member").asText()).isEqualTo("3");
        }

        @Test
        void aGangTheUserNamedIsKept() {
            cluster.gang("team-training", "PyTorchJob", "bert", new ClusterView.Gang("bert", 3));
            ObjectNode pod = mutate(TestPods.pod().owner("kubeflow.org/v1", "PyTorchJob", "bert")
                    .annotation("pod-group-name", "my-group"), "team-training");
            assertThat(pod.at("/metadata/annotations/pod-group-name").asText()).isEqualTo("my-group");
            assertThat(pod.at("/metadata/annotations/runai~1pod-group-min-member").asText()).isEqualTo("3");
        }

        @Test
        void ownersThatAreNoGangAddNothing() {
            ObjectNode pod = mutate(TestPods.pod().owner("apps/v1", "ReplicaSet", "web-5d9c"), "team-training");
            assertThat(pod.at("/metadata/annotations/pod-group-name").isMissingNode()).isTrue();
        }
    }

    @Nested
    class QuotaStatus {

        @Test
        void aRequestBeyondDeservedIsOverQuota() {
            cluster.project(TestQuotas.allocated(TestQuotas.project("team-training", 8), 7.5));
            assertThat(mutate(TestPods.pod().gpus("1"), "team-training").at("/metadata/annotations/runai~1quota-status")
                    .asText()).isEqualTo("over-quota");
            assertThat(mutate(TestPods.pod().annotation("gpu-fraction", "0.5"), "team-training")
                    .at("/metadata/annotations/runai~1quota-status").asText()).isEqualTo("within-quota");
        }
    }

    @Test
    void aPodThatAlreadyHasEverythingGetsNoPatch() {
        ObjectNode once = mutate(TestPods.pod().annotation("gpu-fraction", "0.5").label("runai/node-pool", "inference-pool"),
                "team-inference");
        AdmissionOutcome again = service.review(AdmissionEndpoint.MUTATE_POD, Reviews.create(once, "team-inference"));

        assertThat(again.patched()).isFalse();
        assertThat(Reviews.response(again).has("patchType")).isFalse();
    }

    @Test
    void keysWithSlashesAndTildesAreEscapedInPaths() {
        ObjectNode pod = TestPods.pod().annotation("a~b/c", "kept").json();
        AdmissionOutcome outcome = service.review(AdmissionEndpoint.MUTATE_POD, Reviews.create(pod, "team-training"));

        assertThat(paths(Reviews.patch(outcome))).contains("/metadata/annotations/runai~1quota-status")
                .noneMatch(p -> p.contains("a~b"));
        assertThat(Reviews.mutated(pod, outcome).at("/metadata/annotations/a~0b~1c").asText()).isEqualTo("kept");
    }

    @Test
    void mirrorPodsAndPodsOutsideOptedInNamespacesAreUntouched() {
        assertThat(Reviews.patch(outcome(TestPods.pod().annotation("kubernetes.io/config.mirror", "x"), "team-training")))
                .isEmpty();
        assertThat(Reviews.patch(outcome(TestPods.pod().gpus("0.5"), "default"))).isEmpty();
        cluster.namespace("labelled-false", Map.of("runai-job", "false"));
        assertThat(Reviews.patch(outcome(TestPods.pod().gpus("0.5"), "labelled-false"))).isEmpty();
    }

    private static List<String> names(JsonNode env) {
        List<String> names = new ArrayList<>();
        env.forEach(e -> names.add(e.path("name").asText()));
        return names;
    }

    private static List<String> paths(ArrayNode patch) {
        List<String> paths = new ArrayList<>();
        patch.forEach(op -> paths.add(op.path("path").asText()));
        return paths;
    }
}
