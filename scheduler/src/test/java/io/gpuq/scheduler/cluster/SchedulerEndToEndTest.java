package io.gpuq.scheduler.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.gpuq.api.Annotations;
import io.gpuq.api.Labels;
import io.gpuq.api.Names;
import io.gpuq.api.WorkloadType;
import io.gpuq.api.crd.Project;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.gpuq.scheduler.cluster.ClusterHarness.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The seed's scenarios through the embedded Kubernetes API, with the real scheduler process. */
class SchedulerEndToEndTest {
    private ClusterHarness cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = new ClusterHarness();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private void seedProjects() {
        cluster.project("team-training", 8, 3, null);
        cluster.project("team-inference", 4, 1, null);
        cluster.project("team-research", 2, 1, null);
    }

    @Test
    void borrowsIdleGpusThenGivesBackExactlyFourAndPacksTwoHalvesOnOneDevice() throws Exception {
        cluster.gpuNodes("h100", 2, 8, null);
        seedProjects();
        cluster.startScheduler();

        cluster.wholeGpuPod("team-training", "train-a", WorkloadType.TRAIN, 4);
        cluster.wholeGpuPod("team-training", "train-b", WorkloadType.TRAIN, 4);
        cluster.wholeGpuPod("team-training", "train-c", WorkloadType.TRAIN, 4);
        Thread.sleep(1100); // creation timestamps have whole seconds: make d and e the newest
        cluster.wholeGpuPod("team-training", "train-d", WorkloadType.TRAIN, 2);
        Thread.sleep(1100);
        cluster.wholeGpuPod("team-training", "train-e", WorkloadType.TRAIN, 2);
        await("team-training borrows all 16 GPUs", () -> cluster.boundGpus("team-training") == 16);
        assertNoDeviceTwice();

        Thread.sleep(1100);
        cluster.wholeGpuPod("team-inference", "serve-llm", WorkloadType.INFERENCE, 2);
        cluster.wholeGpuPod("team-inference", "eval-sweep", WorkloadType.TRAIN, 2);
        await("team-inference gets its 4 deserved GPUs", () -> cluster.boundGpus("team-inference") == 4);
        assertThat(cluster.boundGpus("team-training")).as("exactly 4 GPUs reclaimed").isEqualTo(12);
        Set<String> left = cluster.pods("team-training").stream().map(p -> p.getMetadata().getName())
                .collect(Collectors.toSet());
        assertThat(left).as("the newest over-quota work is evicted").containsExactlyInAnyOrder("train-a", "train-b", "train-c");
        assertNoDeviceTwice();

        cluster.fractionPod("team-inference", "chat-small-0", WorkloadType.INFERENCE, "0.5");
        cluster.fractionPod("team-inference", "chat-small-1", WorkloadType.INFERENCE, "0.5");
        await("both halves bound", () -> cluster.boundPods("team-inference").stream()
                .filter(p -> p.getMetadata().getName().startsWith("chat-small")).count() == 2);
        List<Pod> halves = cluster.boundPods("team-inference").stream()
                .filter(p -> p.getMetadata().getName().startsWith("chat-small")).collect(Collectors.toList());
        assertThat(halves.get(0).getSpec().getNodeName()).isEqualTo(halves.get(1).getSpec().getNodeName());
        assertThat(cluster.devices(halves.get(0))).startsWith("GPU-").isEqualTo(cluster.devices(halves.get(1)));
        await("one reservation pod for the shared device", () -> reservations().size() == 1);
        Pod reservation = reservations().get(0);
        assertThat(reservation.getSpec().getNodeName()).isEqualTo(halves.get(0).getSpec().getNodeName());
        await("reservation reports its device", () -> reservations().get(0).getMetadata().getAnnotations()
                .get(Annotations.RESERVED_GPU_UUID) != null);
        assertThat(reservations().get(0).getMetadata().getAnnotations().get(Annotations.RESERVED_GPU_UUID))
                .isEqualTo(cluster.devices(halves.get(0)));
        assertNoDeviceTwice();

        await("project status written", () -> {
            Project p = cluster.client.resources(Project.class).inNamespace(Names.SYSTEM_NAMESPACE)
                    .withName("team-inference").get();
            return p.getStatus() != null && p.getStatus().getAllocatedGpus() != null
                    && p.getStatus().getAllocatedGpus() == 5.0 && p.getStatus().getAllocatedNonPreemptibleGpus() == 3.0;
        });

        // A reservation lost while fractions run on its device is recreated for the same device.
        String lostReservation = reservations().get(0).getMetadata().getName();
        cluster.client.pods().inNamespace("runai-reservation").withName(lostReservation).delete();
        await("the orphaned fractions get their reservation back", () -> reservations().size() == 1
                && reservations().get(0).getMetadata().getUid() != null
                && !reservations().get(0).getMetadata().getUid().equals(reservation.getMetadata().getUid()));
        assertThat(reservations().get(0).getMetadata().getName()).isEqualTo(lostReservation);

        // The fractional pair finishing releases its reservation.
        cluster.client.pods().inNamespace("team-inference").withName("chat-small-0").delete();
        cluster.client.pods().inNamespace("team-inference").withName("chat-small-1").delete();
        await("reservation released", () -> reservations().isEmpty());
    }

    @Test
    void aReclaimerIsBoundWhileTheVictimsControllerRecreatesItUnderTheSameName() throws Exception {
        cluster.gpuNodes("h100", 1, 2, null);
        cluster.project("team-borrower", 0, 1, null);
        cluster.project("team-inference", 2, 1, null);
        // A deadline far beyond the wait below: the reclaimer must be bound because its victim is gone,
        // not because its placement expired and was decided again.
        cluster.startScheduler(SchedulerSettings.defaults().withCyclePeriod(Duration.ofMillis(100))
                .withBindTimeout(Duration.ofMinutes(5)), LeaderSettings.disabled("test-scheduler"));
        cluster.wholeGpuPod("team-borrower", "worker-0", WorkloadType.TRAIN, 2);
        await("the borrower runs on both GPUs", () -> cluster.boundGpus("team-borrower") == 2);

        // As a Job or RunaiJob controller does: an evicted pod comes back at once, under its name.
        KubernetesClient controller = cluster.newClient();
        var recreator = controller.pods().inNamespace("team-borrower").inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
            }

            @Override
            public void onUpdate(Pod before, Pod after) {
            }

            @Override
            public void onDelete(Pod pod, boolean unknownFinalState) {
                cluster.wholeGpuPod("team-borrower", pod.getMetadata().getName(), WorkloadType.TRAIN, 2);
            }
        });
        try {
            cluster.fractionPod("team-inference", "chat-0", WorkloadType.INFERENCE, "0.5");
            await("the reclaiming half is bound", () -> cluster.boundPods("team-inference").size() == 1);
            assertThat(cluster.pods("team-borrower")).singleElement()
                    .satisfies(p -> assertThat(p.getSpec().getNodeName()).as("the recreated victim waits").isNull());
        } finally {
            recreator.close();
        }
    }

    @Test
    void aGangStartsOnlyWhenAllRanksFitAndThenAllAtOnce() throws Exception {
        cluster.gpuNodes("node", 3, 8, null);
        cluster.project("team-training", 8, 3, null);
        cluster.startScheduler();
        for (int i = 0; i < 4; i++) {
            cluster.gangPod("team-training", "fsdp", i, 4, 8);
        }
        await("ranks explained as pending", () -> cluster.pods("team-training").stream()
                .allMatch(p -> scheduledCondition(p) != null && "False".equals(scheduledCondition(p).getStatus())));
        assertThat(scheduledCondition(cluster.pods("team-training").get(0)).getMessage()).contains("Gang");
        Thread.sleep(500);
        assertThat(cluster.boundPods("team-training")).as("nothing of the gang is bound").isEmpty();

        cluster.gpuNodes("late", 1, 8, null);
        await("all four ranks bound", () -> cluster.boundPods("team-training").size() == 4);
        Set<String> nodes = cluster.boundPods("team-training").stream().map(p -> p.getSpec().getNodeName())
                .collect(Collectors.toSet());
        assertThat(nodes).hasSize(4);
        for (Pod p : cluster.boundPods("team-training")) {
            assertThat(cluster.devices(p)).isEqualTo("0,1,2,3,4,5,6,7");
        }
    }

    @Test
    void theSeedsFsdpRunaiJobStartsAllFourRanksTogetherWithTheirRendezvousEnv() throws Exception {
        cluster.gpuNodes("h100", 4, 8, null);
        cluster.project("team-training", 32, 1, null);
        var controller = new io.gpuq.scheduler.runaijob.RunaiJobController(cluster.newClient(),
                io.gpuq.scheduler.runaijob.RunaiJobControllerSettings.allNamespaces());
        cluster.startScheduler(ClusterHarness.fastSettings(), LeaderSettings.disabled("with-controller"),
                WriteObserver.NONE, List.of(controller));
        try (var in = java.nio.file.Files.newInputStream(java.nio.file.Path.of("..", "examples", "manifests",
                "fsdp-training.yaml"))) {
            var job = cluster.client.resources(io.gpuq.api.crd.RunaiJob.class).load(in).item();
            cluster.client.resources(io.gpuq.api.crd.RunaiJob.class).inNamespace("team-training").resource(job).create();
        }
        await("all four ranks bound", () -> cluster.boundPods("team-training").size() == 4);
        Set<String> nodes = new HashSet<>();
        for (Pod p : cluster.boundPods("team-training")) {
            nodes.add(p.getSpec().getNodeName());
            Map<String, String> env = p.getSpec().getContainers().get(0).getEnv().stream()
                    .filter(e -> e.getValue() != null)
                    .collect(Collectors.toMap(e -> e.getName(), e -> e.getValue()));
            String rank = p.getMetadata().getLabels().get(Labels.POD_INDEX);
            assertThat(env).containsEntry("MASTER_ADDR", "fsdp-training-0.fsdp-training.team-training.svc")
                    .containsEntry("MASTER_PORT", "29500").containsEntry("WORLD_SIZE", "4")
                    .containsEntry("RANK", rank).containsEntry("NODE_RANK", rank).containsEntry("NNODES", "4");
            assertThat(cluster.devices(p)).isEqualTo("0,1,2,3,4,5,6,7");
        }
        assertThat(nodes).hasSize(4);
        await("job Running", () -> {
            var job = cluster.client.resources(io.gpuq.api.crd.RunaiJob.class).inNamespace("team-training")
                    .withName("fsdp-training").get();
            return job.getStatus() != null && job.getStatus().getPhase() != null
                    && job.getStatus().getPhase() == io.gpuq.api.crd.RunaiJobPhase.RUNNING;
        });
    }

    @Test
    void inferencePoolIsReservedForTheProjectsThatListIt() throws Exception {
        cluster.gpuNodes("general", 1, 8, null);
        cluster.gpuNodes("infer", 1, 8, "inference-pool");
        cluster.project("team-training", 8, 3, null);
        cluster.project("team-inference", 4, 1, Map.of("inference-pool", 4.0));
        cluster.startScheduler();
        for (int i = 0; i < 4; i++) {
            cluster.wholeGpuPod("team-training", "t" + i, WorkloadType.TRAIN, 4);
        }
        cluster.wholeGpuPod("team-inference", "serve", WorkloadType.INFERENCE, 2);
        await("training fills its pool and inference gets its pool",
                () -> cluster.boundPods("team-training").size() == 2 && cluster.boundPods("team-inference").size() == 1);
        Thread.sleep(400);
        assertThat(cluster.boundPods("team-training")).allMatch(p -> p.getSpec().getNodeName().equals("general-0"));
        assertThat(cluster.boundPods("team-inference")).allMatch(p -> p.getSpec().getNodeName().equals("infer-0"));
        assertThat(cluster.boundPods("team-training")).hasSize(2);
    }

    @Test
    void podsForOtherSchedulersAreNeverTouched() throws Exception {
        cluster.gpuNodes("h100", 1, 8, null);
        cluster.project("team-training", 8, 1, null);
        Pod foreign = cluster.pod("team-training", "foreign", WorkloadType.TRAIN)
                .editSpec().withSchedulerName(Names.DEFAULT_KUBE_SCHEDULER).endSpec().build();
        cluster.client.pods().inNamespace("team-training").resource(foreign).create();
        cluster.wholeGpuPod("team-training", "ours", WorkloadType.TRAIN, 1);
        cluster.startScheduler();
        await("our pod bound", () -> cluster.boundPods("team-training").size() == 1);
        Thread.sleep(300);
        Pod after = cluster.client.pods().inNamespace("team-training").withName("foreign").get();
        assertThat(after.getSpec().getNodeName()).isNull();
        assertThat(after.getMetadata().getAnnotations()).doesNotContainKey(Annotations.GPU_DEVICES);
        assertThat(after.getStatus() == null || after.getStatus().getConditions().isEmpty()).isTrue();
        assertThat(after.getMetadata().getResourceVersion()).isEqualTo(foreign.getMetadata().getResourceVersion() == null
                ? after.getMetadata().getResourceVersion() : after.getMetadata().getResourceVersion());
        assertThat(cluster.client.v1().events().inNamespace("team-training").list().getItems())
                .noneMatch(e -> "foreign".equals(e.getInvolvedObject().getName()));
    }

    private static PodCondition scheduledCondition(Pod p) {
        if (p.getStatus() == null) {
            return null;
        }
        return p.getStatus().getConditions().stream().filter(c -> "PodScheduled".equals(c.getType())).findFirst()
                .orElse(null);
    }

    private List<Pod> reservations() {
        return cluster.client.pods().inNamespace("runai-reservation").withLabel(Labels.RESERVATION, "true").list()
                .getItems();
    }

    /** No whole device is given twice and no device holds more than one GPU. */
    private void assertNoDeviceTwice() {
        Set<String> whole = new HashSet<>();
        for (String ns : List.of("team-training", "team-inference", "team-research")) {
            for (Pod p : cluster.boundPods(ns)) {
                String devices = cluster.devices(p);
                if (devices.isEmpty() || devices.startsWith("GPU-")) {
                    continue;
                }
                for (String d : devices.split(",")) {
                    assertThat(whole.add(p.getSpec().getNodeName() + "#" + d))
                            .as("device %s of %s given twice", d, p.getSpec().getNodeName()).isTrue();
                }
            }
        }
    }
}
