package io.gpuq.scheduler.runaijob;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.gpuq.api.Annotations;
import io.gpuq.api.Labels;
import io.gpuq.api.crd.RunaiJob;
import io.gpuq.api.crd.RunaiJobPhase;
import io.gpuq.api.crd.RunaiJobStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.gpuq.scheduler.runaijob.TestCluster.await;
import static io.gpuq.scheduler.runaijob.TestCluster.awaitPods;
import static io.gpuq.scheduler.runaijob.TestCluster.awaitValue;
import static io.gpuq.scheduler.runaijob.TestCluster.eventReasons;
import static io.gpuq.scheduler.runaijob.TestCluster.job;
import static io.gpuq.scheduler.runaijob.TestCluster.pods;
import static io.gpuq.scheduler.runaijob.TestCluster.setAllPhases;
import static io.gpuq.scheduler.runaijob.TestCluster.setPhase;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The controller against the fabric8 mock API server in CRUD mode. Nothing runs pods there, so the
 * tests play the kubelet and set pod phases through the status subresource, and play the garbage
 * collector where a test needs one.
 */
@EnableKubernetesMockClient(crud = true)
class RunaiJobControllerTest {

    static KubernetesClient client;

    private KubernetesClient controllerClient;
    private RunaiJobController controller;

    @BeforeEach
    void startController() {
        TestCluster.installCrd(client);
        controllerClient = TestCluster.controllerClient(client);
        controller = new RunaiJobController(controllerClient, TestCluster.settings());
        controller.start();
    }

    @AfterEach
    void stopController() {
        controller.close();
        controllerClient.close();
        client.resources(RunaiJob.class).inAnyNamespace().delete();
        client.pods().inAnyNamespace().delete();
        client.services().inAnyNamespace().delete();
        client.v1().events().inAnyNamespace().delete();
    }

    private static RunaiJob create(RunaiJob job) {
        return client.resources(RunaiJob.class).resource(job).create();
    }

    private static RunaiJobStatus awaitStatus(String ns, String name, java.util.function.Predicate<RunaiJobStatus> wanted, String what) {
        return awaitValue(ns + "/" + name + " " + what, () -> {
            RunaiJob j = job(client, ns, name);
            return j != null && j.getStatus() != null && wanted.test(j.getStatus()) ? j.getStatus() : null;
        });
    }

    private static RunaiJobStatus awaitPhase(String ns, String name, RunaiJobPhase phase) {
        return awaitStatus(ns, name, s -> s.getPhase() == phase, "in phase " + phase);
    }

    private static Condition condition(RunaiJobStatus status, String type) {
        return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
    }

    private static Map<String, String> env(Pod pod) {
        return pod.getSpec().getContainers().get(0).getEnv().stream()
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    private static void assertOwnedBy(HasMetadata object, RunaiJob job) {
        assertThat(object.getMetadata().getOwnerReferences()).as("owner of %s", object.getMetadata().getName())
                .singleElement()
                .satisfies(o -> {
                    assertThat(o.getKind()).isEqualTo("RunaiJob");
                    assertThat(o.getApiVersion()).isEqualTo("run.ai/v1");
                    assertThat(o.getName()).isEqualTo(job.getMetadata().getName());
                    assertThat(o.getUid()).isEqualTo(job.getMetadata().getUid());
                    assertThat(o.getController()).isTrue();
                    assertThat(o.getBlockOwnerDeletion()).isTrue();
                });
    }

    @Test
    void seedFractionalJobGetsOnePodWithTheFractionAsWritten() {
        RunaiJob job = create(TestCluster.manifest("small-inference.yaml"));

        Pod pod = awaitPods(client, "team-inference", "small-inference", 1, List.of()).get(0);

        assertThat(pod.getMetadata().getName()).isEqualTo("small-inference-0");
        assertThat(pod.getSpec().getSchedulerName()).isEqualTo("runai-scheduler");
        assertThat(pod.getSpec().getContainers().get(0).getResources().getLimits())
                .containsExactly(Map.entry("nvidia.com/gpu", new Quantity("0.5")));
        assertThat(pod.getMetadata().getLabels()).containsEntry(Labels.JOB_NAME, "small-inference").containsEntry(Labels.POD_INDEX, "0");
        assertOwnedBy(pod, job);
        assertThat(client.services().inNamespace("team-inference").list().getItems()).as("no Service for a single pod").isEmpty();
        RunaiJobStatus status = awaitPhase("team-inference", "small-inference", RunaiJobPhase.PENDING);
        assertThat(condition(status, JobStatuses.RUNNING).getStatus()).isEqualTo("False");
        await("a creation Event", () -> eventReasons(client, "team-inference", "small-inference").contains("SuccessfulCreate"));
    }

    @Test
    void seedFsdpJobGetsFourRanksWithRendezvousGangAndHeadlessService() {
        RunaiJob job = create(TestCluster.manifest("fsdp-training.yaml"));

        List<Pod> pods = awaitPods(client, "team-training", "fsdp-training", 4, List.of());

        for (int rank = 0; rank < 4; rank++) {
            Pod pod = pods.get(rank);
            assertThat(pod.getMetadata().getName()).isEqualTo("fsdp-training-" + rank);
            assertThat(pod.getMetadata().getLabels()).containsEntry(Labels.POD_INDEX, Integer.toString(rank));
            assertThat(pod.getMetadata().getAnnotations())
                    .containsEntry(Annotations.POD_GROUP_NAME, "fsdp-training")
                    .containsEntry(Annotations.POD_GROUP_MIN_MEMBER, "4");
            assertThat(pod.getSpec().getHostname()).isEqualTo("fsdp-training-" + rank);
            assertThat(pod.getSpec().getSubdomain()).isEqualTo("fsdp-training");
            assertThat(pod.getSpec().getSchedulerName()).isEqualTo("runai-scheduler");
            assertThat(pod.getSpec().getContainers().get(0).getCommand()).containsExactly("torchrun");
            assertThat(env(pod)).containsAllEntriesOf(Map.of(
                    "MASTER_ADDR", "fsdp-training-0.fsdp-training.team-training.svc",
                    "MASTER_PORT", "29500",
                    "WORLD_SIZE", "4",
                    "RANK", Integer.toString(rank),
                    "NNODES", "4",
                    "NODE_RANK", Integer.toString(rank)));
            assertOwnedBy(pod, job);
            // What the API server stored reads back into the same pod.
            assertThat(Serialization.unmarshal(Serialization.asJson(pod), Pod.class)).isEqualTo(pod);
        }
        Service service = awaitValue("headless Service",
                () -> client.services().inNamespace("team-training").withName("fsdp-training").get());
        assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(service.getSpec().getSelector()).containsExactly(Map.entry(Labels.JOB_NAME, "fsdp-training"));
        assertThat(service.getSpec().getPorts().get(0).getPort()).isEqualTo(29500);
        assertOwnedBy(service, job);
    }

    @Test
    void phasesGoPendingRunningSucceededWithTimesAndEvents() {
        create(TestCluster.manifest("fsdp-training.yaml"));
        List<Pod> pods = awaitPods(client, "team-training", "fsdp-training", 4, List.of());
        awaitPhase("team-training", "fsdp-training", RunaiJobPhase.PENDING);

        setPhase(client, pods.get(0), "Running");
        setPhase(client, pods.get(1), "Running");
        RunaiJobStatus partial = awaitStatus("team-training", "fsdp-training", s -> Integer.valueOf(2).equals(s.getActive()), "2 active");
        assertThat(partial.getPhase()).as("a gang is Pending until every rank runs").isEqualTo(RunaiJobPhase.PENDING);
        assertThat(partial.getStartTime()).isNull();
        assertThat(condition(partial, JobStatuses.RUNNING).getMessage()).startsWith("2/4 pods running");

        setPhase(client, pods.get(2), "Running");
        setPhase(client, pods.get(3), "Running");
        RunaiJobStatus running = awaitPhase("team-training", "fsdp-training", RunaiJobPhase.RUNNING);
        assertThat(running.getActive()).isEqualTo(4);
        assertThat(running.getStartTime()).isNotNull();
        assertThat(Instant.parse(running.getStartTime())).isBeforeOrEqualTo(Instant.now());
        assertThat(condition(running, JobStatuses.RUNNING).getStatus()).isEqualTo("True");

        setAllPhases(client, pods, "Succeeded");
        RunaiJobStatus done = awaitPhase("team-training", "fsdp-training", RunaiJobPhase.SUCCEEDED);
        assertThat(done.getSucceeded()).isEqualTo(4);
        assertThat(done.getActive()).isZero();
        assertThat(done.getFailed()).isZero();
        assertThat(done.getStartTime()).isEqualTo(running.getStartTime());
        assertThat(done.getCompletionTime()).isNotNull();
        assertThat(condition(done, JobStatuses.COMPLETE).getStatus()).isEqualTo("True");
        await("Started and Completed Events", () -> eventReasons(client, "team-training", "fsdp-training")
                .containsAll(List.of("SuccessfulCreate", "Started", "Completed")));
        assertThat(pods(client, "team-training", "fsdp-training")).as("finished pods are kept").hasSize(4);
    }

    @Test
    void aFailedRankRestartsTheGangAndTheJobFailsBeyondBackoffLimit() {
        RunaiJob manifest = TestCluster.manifest("fsdp-training.yaml");
        manifest.getSpec().setBackoffLimit(1);
        create(manifest);
        List<Pod> first = awaitPods(client, "team-training", "fsdp-training", 4, List.of());
        setAllPhases(client, first, "Running");
        awaitPhase("team-training", "fsdp-training", RunaiJobPhase.RUNNING);

        TestCluster.failPod(client, first.get(2), 1);

        List<Pod> second = awaitPods(client, "team-training", "fsdp-training", 4, first);
        assertThat(second).allSatisfy(p -> assertThat(p.getMetadata().getAnnotations())
                .containsEntry(WorkerPods.RESTARTS_ANNOTATION, "1"));
        RunaiJobStatus restarted = awaitStatus("team-training", "fsdp-training", s -> Integer.valueOf(1).equals(s.getFailed()), "one failure");
        assertThat(restarted.getPhase()).isEqualTo(RunaiJobPhase.PENDING);
        assertThat(condition(restarted, JobStatuses.RUNNING).getReason()).isEqualTo(JobStatuses.REASON_RESTARTING);
        assertThat(condition(restarted, JobStatuses.RUNNING).getMessage()).contains("fsdp-training-2", "exited 1", "all 4 workers");

        setAllPhases(client, second, "Running");
        awaitPhase("team-training", "fsdp-training", RunaiJobPhase.RUNNING);
        TestCluster.failPod(client, second.get(1), 137);

        RunaiJobStatus failed = awaitPhase("team-training", "fsdp-training", RunaiJobPhase.FAILED);
        assertThat(failed.getFailed()).isEqualTo(2);
        assertThat(failed.getCompletionTime()).isNotNull();
        assertThat(condition(failed, JobStatuses.FAILED).getReason()).isEqualTo(JobStatuses.REASON_BACKOFF_LIMIT);
        assertThat(condition(failed, JobStatuses.FAILED).getMessage()).contains("fsdp-training-1", "backoffLimit 1");
        await("the running ranks are stopped and the failed one is kept for its logs",
                () -> pods(client, "team-training", "fsdp-training").stream().map(p -> p.getMetadata().getName()).toList()
                        .equals(List.of("fsdp-training-1")));
        assertThat(eventReasons(client, "team-training", "fsdp-training")).containsOnlyOnce("Restarting", "BackoffLimitExceeded");
    }

    @Test
    void anEvictedRankRestartsTheGangWithoutCounting() {
        create(TestCluster.manifest("fsdp-training.yaml"));
        List<Pod> first = awaitPods(client, "team-training", "fsdp-training", 4, List.of());
        setAllPhases(client, first, "Running");
        awaitPhase("team-training", "fsdp-training", RunaiJobPhase.RUNNING);

        // The scheduler reclaimed a rank through the Eviction API: the pod is simply gone.
        client.pods().resource(first.get(3)).delete();

        List<Pod> second = awaitPods(client, "team-training", "fsdp-training", 4, first);
        assertThat(second).allSatisfy(p -> assertThat(p.getMetadata().getAnnotations())
                .containsEntry(WorkerPods.RESTARTS_ANNOTATION, "0"));
        RunaiJobStatus status = awaitPhase("team-training", "fsdp-training", RunaiJobPhase.PENDING);
        assertThat(status.getFailed()).as("an eviction is not the job's failure").isZero();
        assertThat(eventReasons(client, "team-training", "fsdp-training")).as("one eviction, one restart of the gang")
                .containsOnlyOnce("Evicted").doesNotContain("Restarting");

        setAllPhases(client, second, "Running");
        assertThat(awaitPhase("team-training", "fsdp-training", RunaiJobPhase.RUNNING).getFailed()).isZero();
    }

    @Test
    void aSinglePodEvictedByTheKubeletIsRecreatedWithoutCounting() {
        RunaiJob manifest = TestCluster.manifest("small-inference.yaml");
        manifest.getSpec().setBackoffLimit(0);
        create(manifest);
        List<Pod> first = awaitPods(client, "team-inference", "small-inference", 1, List.of());
        setPhase(client, first.get(0), "Running");
        awaitPhase("team-inference", "small-inference", RunaiJobPhase.RUNNING);

        TestCluster.evictPod(client, first.get(0));

        awaitPods(client, "team-inference", "small-inference", 1, first);
        RunaiJobStatus status = awaitPhase("team-inference", "small-inference", RunaiJobPhase.PENDING);
        assertThat(status.getFailed()).as("backoffLimit 0 would have failed the job had it counted").isZero();
        assertThat(condition(status, JobStatuses.RUNNING).getMessage()).contains("evicted", "memory");
    }

    @Test
    void aDeletedSinglePodIsRecreated() {
        create(TestCluster.manifest("small-inference.yaml"));
        List<Pod> first = awaitPods(client, "team-inference", "small-inference", 1, List.of());
        setPhase(client, first.get(0), "Running");
        awaitPhase("team-inference", "small-inference", RunaiJobPhase.RUNNING);

        client.pods().resource(first.get(0)).delete();

        awaitPods(client, "team-inference", "small-inference", 1, first);
        assertThat(awaitPhase("team-inference", "small-inference", RunaiJobPhase.PENDING).getFailed()).isZero();
    }

    @Test
    void stopAndStartAgainKeepsWorking() {
        create(TestCluster.manifest("small-inference.yaml"));
        awaitPods(client, "team-inference", "small-inference", 1, List.of());

        controller.close();
        assertThat(controller.isRunning()).isFalse();
        assertThat(controller.hasSynced()).isFalse();
        controller.close();
        create(TestCluster.manifest("fsdp-training.yaml"));
        TestCluster.sleep(200);
        assertThat(pods(client, "team-training", "fsdp-training")).as("nothing happens while stopped").isEmpty();

        controller.start();
        controller.start();
        List<Pod> fsdp = awaitPods(client, "team-training", "fsdp-training", 4, List.of());
        await("synced", controller::hasSynced);

        // As the leader election drives it.
        controller.stopLeading();
        assertThat(controller.isRunning()).isFalse();
        controller.startLeading();
        setAllPhases(client, fsdp, "Running");
        awaitPhase("team-training", "fsdp-training", RunaiJobPhase.RUNNING);
        assertThat(pods(client, "team-inference", "small-inference")).as("no second pod after restarts").hasSize(1);
    }

    @Test
    void deletingTheJobLeavesItsPodsToTheGarbageCollector() {
        RunaiJob job = create(TestCluster.manifest("fsdp-training.yaml"));
        List<Pod> pods = awaitPods(client, "team-training", "fsdp-training", 4, List.of());
        Service service = awaitValue("headless Service",
                () -> client.services().inNamespace("team-training").withName("fsdp-training").get());

        client.resources(RunaiJob.class).resource(job).delete();
        // The mock API server does not cascade; play the garbage collector, which follows owner references.
        String uid = job.getMetadata().getUid();
        for (Pod pod : pods) {
            assertThat(pod.getMetadata().getOwnerReferences()).extracting(OwnerReference::getUid).containsExactly(uid);
            client.pods().resource(pod).delete();
        }
        assertThat(service.getMetadata().getOwnerReferences()).extracting(OwnerReference::getUid).containsExactly(uid);
        client.services().resource(service).delete();

        TestCluster.sleep(200);
        assertThat(pods(client, "team-training", "fsdp-training")).as("a deleted job's pods are not recreated").isEmpty();
        assertThat(client.services().inNamespace("team-training").list().getItems()).isEmpty();
    }

    @Test
    void ttlAfterFinishedDeletesTheJob() {
        RunaiJob manifest = TestCluster.manifest("small-inference.yaml");
        manifest.getSpec().setTtlSecondsAfterFinished(0);
        create(manifest);
        List<Pod> pods = awaitPods(client, "team-inference", "small-inference", 1, List.of());

        setPhase(client, pods.get(0), "Succeeded");

        await("the finished job is deleted", () -> job(client, "team-inference", "small-inference") == null);
    }

    @Test
    void activeDeadlineFailsARunningJobAndStopsItsPods() {
        RunaiJob manifest = TestCluster.manifest("small-inference.yaml");
        manifest.getSpec().setActiveDeadlineSeconds(1L);
        create(manifest);
        List<Pod> pods = awaitPods(client, "team-inference", "small-inference", 1, List.of());
        setPhase(client, pods.get(0), "Running");

        RunaiJobStatus failed = awaitPhase("team-inference", "small-inference", RunaiJobPhase.FAILED);

        assertThat(condition(failed, JobStatuses.FAILED).getReason()).isEqualTo(JobStatuses.REASON_DEADLINE);
        assertThat(failed.getFailed()).isZero();
        await("the running pod is stopped", () -> pods(client, "team-inference", "small-inference").isEmpty());
    }

    @Test
    void anInvalidSpecSaysWhyAndCreatesNothingUntilFixed() {
        RunaiJob manifest = TestCluster.manifest("small-inference.yaml");
        manifest.getSpec().getTemplate().getSpec().setRestartPolicy("Always");
        create(manifest);

        RunaiJobStatus status = awaitStatus("team-inference", "small-inference",
                s -> s.getConditions() != null && !s.getConditions().isEmpty(), "a condition");
        assertThat(status.getPhase()).isEqualTo(RunaiJobPhase.PENDING);
        assertThat(condition(status, JobStatuses.RUNNING).getReason()).isEqualTo(JobStatuses.REASON_INVALID_SPEC);
        assertThat(condition(status, JobStatuses.RUNNING).getMessage()).contains("restartPolicy", "Never", "OnFailure");
        assertThat(pods(client, "team-inference", "small-inference")).isEmpty();
        await("an InvalidSpec Event", () -> eventReasons(client, "team-inference", "small-inference").contains("InvalidSpec"));

        RunaiJob fixed = job(client, "team-inference", "small-inference");
        fixed.getSpec().getTemplate().getSpec().setRestartPolicy("OnFailure");
        client.resources(RunaiJob.class).resource(fixed).update();

        Pod pod = awaitPods(client, "team-inference", "small-inference", 1, List.of()).get(0);
        assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("OnFailure");
    }

    @Test
    void aControllerForOneNamespaceLeavesOtherNamespacesAlone() {
        controller.close();
        controller = new RunaiJobController(controllerClient, TestCluster.settings().withNamespace("team-inference"));
        controller.start();
        create(TestCluster.manifest("fsdp-training.yaml"));
        create(TestCluster.manifest("small-inference.yaml"));

        awaitPods(client, "team-inference", "small-inference", 1, List.of());
        TestCluster.sleep(200);

        assertThat(pods(client, "team-training", "fsdp-training")).isEmpty();
        assertThat(job(client, "team-training", "fsdp-training").getStatus()).isNull();
    }
}
