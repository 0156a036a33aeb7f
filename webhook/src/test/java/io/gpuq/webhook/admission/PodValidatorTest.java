package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuq.webhook.WebhookSettings;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every denial of DESIGN §3.3 for pods, each with the message a user sees, and the warnings. */
class PodValidatorTest {

    private static final String SCHEDULER = WebhookSettings.defaults().schedulerUsers().iterator().next();

    private final InMemoryClusterView cluster = TestQuotas.seedCluster();
    private final AdmissionService service = Reviews.service(cluster);

    private AdmissionOutcome create(TestPods pod, String namespace) {
        ObjectNode review = Reviews.create(pod.json(), namespace);
        AdmissionOutcome outcome = service.review(AdmissionEndpoint.VALIDATE_POD, review);
        MutationChecks.assertWellFormed(review, outcome);
        return outcome;
    }

    private AdmissionOutcome update(TestPods pod, TestPods old, String user) {
        ObjectNode review = Reviews.update(pod.json(), old.json(), "team-training", user);
        AdmissionOutcome outcome = service.review(AdmissionEndpoint.VALIDATE_POD, review);
        MutationChecks.assertWellFormed(review, outcome);
        return outcome;
    }

    private static void assertDenied(AdmissionOutcome outcome, String message) {
        assertThat(outcome.allowed()).as("denied").isFalse();
        assertThat(Reviews.message(outcome)).isEqualTo(message);
    }

    @Nested
    class GpuRequests {

        @Test
        void aFractionOfZeroOrLessIsDenied() {
            assertDenied(create(TestPods.pod().annotation("gpu-fraction", "0"), "team-training"),
                    "gpu-fraction \"0\" is not allowed: a fraction must be greater than 0 and less than 1"
                            + " (use nvidia.com/gpu: \"1\" or more for whole GPUs)");
        }

        @Test
        void aFractionOfOneOrMoreIsDenied() {
            assertDenied(create(TestPods.pod().annotation("gpu-fraction", "1.5"), "team-training"),
                    "gpu-fraction \"1.5\" is not allowed: a fraction must be greater than 0 and less than 1"
                            + " (use nvidia.com/gpu: \"1\" or more for whole GPUs)");
        }

        @Test
        void aFractionBesideWholeGpusIsDenied() {
            assertDenied(create(TestPods.pod().annotation("gpu-fraction", "0.5").gpus("1"), "team-training"),
                    "gpu-fraction \"0.5\" and whole GPUs (nvidia.com/gpu \"1\" in container \"main\") are not allowed"
                            + " together: a pod gets either whole GPUs or a share of GPUs; to share several GPUs use"
                            + " gpu-fraction-num-devices");
        }

        @Test
        void twoGpuFormsAtOnceAreDenied() {
            assertDenied(create(TestPods.pod().annotation("gpu-fraction", "0.5").annotation("gpu-memory", "2000"),
                    "team-training"), "gpu-fraction \"0.5\" and gpu-memory \"2000\" are not allowed together: give"
                    + " exactly one GPU form (gpu-fraction, gpu-memory, or nvidia.com/gpu in one container's limits)");
        }

        @Test
        void gpuMemoryAboveTheLargestGpuOfTheProjectsPoolsIsDeniedNamingIt() {
            assertDenied(create(TestPods.pod().annotation("gpu-memory", "100000"), "team-inference"),
                    "gpu-memory \"100000\" (100000 MiB) is more than any GPU in the pools this pod may use"
                            + " (inference-pool): the largest has 81920 MiB (pool \"inference-pool\","
                            + " NVIDIA-H100-80GB-HBM3); ask for at most 81920 MiB, or request whole GPUs with nvidia.com/gpu");
        }

        @Test
        void gpuMemoryThatFitsIsAllowed() {
            assertThat(create(TestPods.pod().annotation("gpu-memory", "20000"), "team-inference").allowed()).isTrue();
        }

        @Test
        void aWebhookOwnedFractionThatDisagreesWithTheRequestIsDenied() {
            assertDenied(create(TestPods.pod().annotation("gpu-fraction", "0.5")
                            .annotation("runai/gpu-fraction", "0.25"), "team-training"),
                    "annotation runai/gpu-fraction \"0.25\" disagrees with the pod's GPU request (0.5): gpuq writes"
                            + " this annotation from the request, so remove it or set it to \"0.5\"");
        }

        @Test
        void aWebhookOwnedFractionOnAPodWithoutAFractionIsDenied() {
            assertDenied(create(TestPods.pod().gpus("2").annotation("runai/gpu-fraction", "0.5"), "team-training"),
                    "annotation runai/gpu-fraction \"0.5\" is only for pods that request a GPU fraction, and this pod"
                            + " requests 2 whole GPUs: remove it (gpuq writes it); to share a GPU set gpu-fraction");
        }

        @Test
        void aWebhookOwnedFractionInAnotherSpellingAgrees() {
            assertThat(create(TestPods.pod().annotation("gpu-fraction", "0.5")
                    .annotation("runai/gpu-fraction", "500m"), "team-training").allowed()).isTrue();
        }
    }

    @Nested
    class NodePools {

        @Test
        void aPoolLabelTheProjectLacksIsDeniedNamingTheAllowedPools() {
            assertDenied(create(TestPods.pod().label("runai/node-pool", "training-pool"), "team-inference"),
                    "pod label runai/node-pool \"training-pool\" names a node pool that project \"team-inference\""
                            + " does not have; allowed pools: inference-pool (remove the label or pick one of these)");
        }

        @Test
        void aNodeSelectorOnAPoolTheProjectLacksIsDenied() {
            ObjectNode selector = Reviews.JSON.createObjectNode().put("runai/node-pool", "inference-pool");
            assertDenied(create(TestPods.pod().spec("nodeSelector", selector), "team-training"),
                    "spec.nodeSelector runai/node-pool \"inference-pool\" names a node pool that project"
                            + " \"team-training\" does not have; allowed pools: default");
        }

        @Test
        void requiredAffinityOnAPoolTheProjectLacksIsDenied() {
            JsonNode affinity = Reviews.json("{\"nodeAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":"
                    + "{\"nodeSelectorTerms\":[{\"matchExpressions\":[{\"key\":\"runai/node-pool\",\"operator\":\"In\","
                    + "\"values\":[\"inference-pool\"]}]}]}}}");
            assertDenied(create(TestPods.pod().spec("affinity", affinity), "team-training"),
                    "spec.affinity requires runai/node-pool in \"inference-pool\", a node pool that project"
                            + " \"team-training\" does not have; allowed pools: default");
        }

        @Test
        void requiredAffinityOnTheDefaultPoolIsDeniedForAProjectWithoutIt() {
            JsonNode affinity = Reviews.json("{\"nodeAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":"
                    + "{\"nodeSelectorTerms\":[{\"matchExpressions\":[{\"key\":\"runai/node-pool\","
                    + "\"operator\":\"DoesNotExist\"}]}]}}}");
            assertDenied(create(TestPods.pod().spec("affinity", affinity), "team-inference"),
                    "spec.affinity requires nodes without runai/node-pool (the default pool), which project"
                            + " \"team-inference\" does not use; allowed pools: inference-pool");
        }

        @Test
        void aPoolOfTheProjectIsAllowed() {
            assertThat(create(TestPods.pod().label("runai/node-pool", "inference-pool"), "team-inference").allowed())
                    .isTrue();
        }
    }

    @Nested
    class Projects {

        @Test
        void anOptedInNamespaceWithoutAProjectIsDenied() {
            cluster.optIn("sandbox");
            assertDenied(create(TestPods.pod(), "sandbox"), "namespace \"sandbox\" is routed to runai-scheduler but"
                    + " no Project governs it: create a Project in namespace \"runai\" named \"sandbox\" (or with"
                    + " spec.namespace: sandbox), or label the namespace or the pod with runai/queue: <project>");
        }

        @Test
        void aQueueLabelNamingNoProjectIsDenied() {
            assertDenied(create(TestPods.pod().label("runai/queue", "team-x"), "team-training"),
                    "pod label runai/queue \"team-x\" names no Project in namespace \"runai\": create Project"
                            + " \"team-x\" there, or set runai/queue to an existing project");
        }

        @Test
        void aNamespaceQueueLabelNamingNoProjectIsDenied() {
            cluster.namespace("shared", java.util.Map.of("runai-job", "true", "runai/queue", "nobody"));
            assertDenied(create(TestPods.pod(), "shared"), "namespace \"shared\" label runai/queue \"nobody\" names"
                    + " no Project in namespace \"runai\": create Project \"nobody\" there, or set runai/queue to an"
                    + " existing project");
        }

        @Test
        void aPodNotRoutedToTheGpuSchedulerNeedsNoProject() {
            WebhookSettings defaults = WebhookSettings.defaults();
            WebhookSettings lenient = new WebhookSettings(defaults.optInLabelKey(), defaults.optInLabelValue(),
                    defaults.schedulerName(), false, defaults.defaultWorkloadType(), defaults.mpsPools(),
                    defaults.systemNamespace(), defaults.schedulerUsers());
            cluster.optIn("sandbox");
            AdmissionOutcome outcome = Reviews.service(cluster, () -> lenient).review(AdmissionEndpoint.VALIDATE_POD,
                    Reviews.create(TestPods.pod().spec("schedulerName", "volcano").json(), "sandbox"));
            assertThat(outcome.allowed()).isTrue();
        }
    }

    @Nested
    class Quotas {

        @Test
        void aRequestAboveTheProjectsMaxGpusIsDenied() {
            cluster.project(TestQuotas.withMax(TestQuotas.project("team-training", 8), 4));
            assertDenied(create(TestPods.pod().gpus("6"), "team-training"), "the pod requests 6 GPUs but project"
                    + " \"team-training\" may use at most 4 (spec.maxGpus), so it could never start: request at"
                    + " most 4, or ask an administrator to raise the project's maxGpus");
        }

        @Test
        void anyGpuIsDeniedWhenTheProjectsMaxGpusIsZero() {
            cluster.project(TestQuotas.withMax(TestQuotas.project("team-training", 0), 0));
            assertDenied(create(TestPods.pod().annotation("gpu-fraction", "0.1"), "team-training"),
                    "the pod requests 0.1 GPUs but project \"team-training\" may use no GPUs (spec.maxGpus is 0),"
                            + " so it could never start: request at most 0, or ask an administrator to raise the"
                            + " project's maxGpus");
        }

        @Test
        void aRequestAboveTheDepartmentsMaxGpusIsDenied() {
            assertDenied(create(TestPods.pod().gpus("32"), "team-training"), "the pod requests 32 GPUs but"
                    + " department \"ml\" of project \"team-training\" may use at most 24 (spec.maxGpus), so it"
                    + " could never start: request at most 24, or ask an administrator to raise the department's maxGpus");
        }

        @Test
        void aNonPreemptibleRequestAboveDeservedIsDenied() {
            assertDenied(create(TestPods.pod().gpus("6").spec("priorityClassName", "inference"), "team-inference"),
                    "the pod requests 6 GPUs with the non-preemptible class \"inference\", but project"
                            + " \"team-inference\" deserves only 4 GPUs in pool inference-pool: non-preemptible work"
                            + " runs only within deserved quota, so it could never start; request at most 4, or use a"
                            + " preemptible class (interactive-preemptible, train, build)");
        }

        @Test
        void theSameRequestIsAllowedWhenPreemptible() {
            assertThat(create(TestPods.pod().gpus("6").spec("priorityClassName", "train"), "team-inference").allowed())
                    .isTrue();
            assertThat(create(TestPods.pod().gpus("6").spec("priorityClassName", "inference")
                    .label("runai/preemptible", "true"), "team-inference").allowed()).isTrue();
        }
    }

    @Nested
    class OwnedFields {

        @Test
        void usersMayNotSetGpuDevicesOnCreate() {
            assertDenied(create(TestPods.pod().annotation("runai/gpu-devices", "0"), "team-training"),
                    "annotation runai/gpu-devices \"0\" is written by the gpuq scheduler when it places the pod, and"
                            + " user \"alice\" may not set it: remove it from the pod; the scheduler chooses the devices"
                            + " within the pod's GPU request");
        }

        @Test
        void usersMayNotChangeGpuDevicesOnUpdate() {
            TestPods old = TestPods.pod().annotation("gpu-fraction", "0.5").annotation("runai/gpu-devices", "0");
            TestPods now = TestPods.pod().annotation("gpu-fraction", "0.5").annotation("runai/gpu-devices", "0,1");
            assertDenied(update(now, old, "alice"), "annotation runai/gpu-devices may only be changed by the gpuq"
                    + " scheduler (was \"0\", now \"0,1\"), and user \"alice\" may not change it: leave it as the"
                    + " scheduler wrote it");
        }

        @Test
        void theSchedulerMaySetGpuDevices() {
            TestPods old = TestPods.pod().annotation("gpu-fraction", "0.5");
            TestPods now = TestPods.pod().annotation("gpu-fraction", "0.5").annotation("runai/gpu-devices", "3");
            assertThat(update(now, old, SCHEDULER).allowed()).isTrue();
        }

        @Test
        void unrelatedUpdatesOfAPodWithDevicesAreAllowed() {
            TestPods old = TestPods.pod().annotation("runai/gpu-devices", "3");
            TestPods now = TestPods.pod().annotation("runai/gpu-devices", "3").label("team", "a");
            assertThat(update(now, old, "alice").allowed()).isTrue();
        }

        @Test
        void gpuRequestAnnotationsCannotChangeAfterCreation() {
            TestPods old = TestPods.pod().annotation("gpu-fraction", "0.5").annotation("runai/gpu-fraction", "0.5");
            TestPods now = TestPods.pod().annotation("gpu-fraction", "0.7").annotation("runai/gpu-fraction", "0.5");
            assertDenied(update(now, old, "alice"), "annotation gpu-fraction cannot change after the pod is created"
                    + " (was \"0.5\", now \"0.7\"): the pod's GPU share is fixed at admission; delete and recreate"
                    + " the pod to change it");
        }

        @Test
        void usersMayNotSetNvidiaVisibleDevices() {
            assertDenied(create(TestPods.pod().env("main", "NVIDIA_VISIBLE_DEVICES", "all"), "team-training"),
                    "container \"main\" sets NVIDIA_VISIBLE_DEVICES itself, which would expose GPUs outside the pod's"
                            + " quota: remove it; request GPUs with nvidia.com/gpu, gpu-fraction or gpu-memory and gpuq"
                            + " sets it to the devices it assigns");
        }

        @Test
        void theWebhooksOwnWiringIsAccepted() {
            AdmissionOutcome outcome = create(TestPods.pod().annotation("gpu-fraction", "0.5")
                    .envNode("main", GpuEnv.visibleDevicesWiring()), "team-training");
            assertThat(outcome.allowed()).as(Reviews.message(outcome)).isTrue();
        }

        @Test
        void aWiringToAnotherAnnotationIsDenied() {
            ObjectNode env = GpuEnv.visibleDevicesWiring();
            ((ObjectNode) env.at("/valueFrom/fieldRef")).put("fieldPath", "metadata.annotations['devices']");
            assertThat(create(TestPods.pod().envNode("main", env), "team-training").allowed()).isFalse();
        }

        @Test
        void anEphemeralDebugContainerMayNotSetNvidiaVisibleDevices() {
            ObjectNode old = TestPods.pod().json();
            ObjectNode now = old.deepCopy();
            ObjectNode debug = ((ObjectNode) now.get("spec")).putArray("ephemeralContainers").addObject();
            debug.put("name", "debugger");
            debug.putArray("env").addObject().put("name", "NVIDIA_VISIBLE_DEVICES").put("value", "all");
            ObjectNode review = Reviews.update(now, old, "team-training", "alice");
            ((ObjectNode) review.get("request")).put("subResource", "ephemeralcontainers");

            AdmissionOutcome outcome = service.review(AdmissionEndpoint.VALIDATE_POD, review);

            assertDenied(outcome, "ephemeral container \"debugger\" sets NVIDIA_VISIBLE_DEVICES itself, which would"
                    + " expose GPUs outside the pod's quota: remove it; request GPUs with nvidia.com/gpu, gpu-fraction"
                    + " or gpu-memory and gpuq sets it to the devices it assigns");
        }

        @Test
        void preemptibleFalseOnAPreemptibleClassIsDenied() {
            assertDenied(create(TestPods.pod().spec("priorityClassName", "train").label("runai/preemptible", "false"),
                    "team-training"), "label runai/preemptible \"false\" is not allowed with the preemptible class"
                    + " \"train\": only the classes with priority 100 or more (inference, interactive) are"
                    + " non-preemptible; use one of those, or remove the label");
        }

        @Test
        void preemptibleMustBeTrueOrFalse() {
            assertDenied(create(TestPods.pod().label("runai/preemptible", "yes"), "team-training"),
                    "label runai/preemptible \"yes\" is not allowed: use \"true\" or \"false\"");
        }

        @Test
        void anUnknownWorkloadTypeIsDenied() {
            assertDenied(create(TestPods.pod().label("runai/workload-type", "batch"), "team-training"),
                    "label runai/workload-type \"batch\" is not allowed: use one of inference, interactive,"
                            + " interactive-preemptible, train, build");
        }
    }

    @Test
    void everyDenialIsReportedAtOnce() {
        AdmissionOutcome outcome = create(TestPods.pod().annotation("gpu-fraction", "2")
                .label("runai/preemptible", "maybe").env("main", "NVIDIA_VISIBLE_DEVICES", "0"), "team-training");

        assertThat(Reviews.message(outcome))
                .startsWith("container \"main\" sets NVIDIA_VISIBLE_DEVICES itself")
                .contains("; label runai/preemptible \"maybe\" is not allowed")
                .contains("; gpu-fraction \"2\" is not allowed");
    }

    @Test
    void allowedButSurprisingSettingsAreWarnedAbout() {
        JsonNode affinity = Reviews.json("{\"nodeAffinity\":{\"preferredDuringSchedulingIgnoredDuringExecution\":"
                + "[{\"weight\":1,\"preference\":{\"matchExpressions\":[{\"key\":\"zone\",\"operator\":\"In\","
                + "\"values\":[\"a\"]}]}}]},\"podAntiAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":"
                + "[{\"topologyKey\":\"kubernetes.io/hostname\"}]}}");
        AdmissionOutcome outcome = create(TestPods.pod().spec("affinity", affinity)
                .spec("priorityClassName", "system-cluster-critical").label("runai/queue", "team-research"), "team-training");

        assertThat(outcome.allowed()).isTrue();
        assertThat(Reviews.warnings(outcome)).containsExactly(
                "spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution is ignored by the gpuq"
                        + " scheduler, which honours nodeSelector, required node affinity, taints and tolerations",
                "spec.affinity.podAntiAffinity is ignored by the gpuq scheduler, which honours nodeSelector, required"
                        + " node affinity, taints and tolerations",
                "priorityClassName \"system-cluster-critical\" is not a gpuq class (inference, interactive,"
                        + " interactive-preemptible, train, build); the GPU scheduler treats the pod as \"train\"",
                "the pod is charged to project \"team-research\", whose namespace is \"team-research\", not \"team-training\"");
    }

    @Test
    void podsOutsideOptedInNamespacesAreNeverJudged() {
        AdmissionOutcome outcome = create(TestPods.pod().annotation("gpu-fraction", "7")
                .annotation("runai/gpu-devices", "0").env("main", "NVIDIA_VISIBLE_DEVICES", "all"), "kube-system");

        assertThat(outcome.allowed()).isTrue();
        assertThat(Reviews.warnings(outcome)).isEmpty();
    }

    @Test
    void mirrorPodsAreNeverJudged() {
        AdmissionOutcome outcome = create(TestPods.pod().annotation("kubernetes.io/config.mirror", "abc")
                .annotation("gpu-fraction", "7"), "team-training");

        assertThat(outcome.allowed()).isTrue();
    }
}
