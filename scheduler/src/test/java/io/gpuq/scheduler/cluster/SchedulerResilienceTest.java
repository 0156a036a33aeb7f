package io.gpuq.scheduler.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.gpuq.api.WorkloadType;
import io.gpuq.embedded.FaultInjector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static io.gpuq.scheduler.cluster.ClusterHarness.await;
import static org.assertj.core.api.Assertions.assertThat;

/** API faults, failover and restarts: no pod bound twice, no device over 1.0, nothing lost. */
class SchedulerResilienceTest {
    private static final List<String> NAMESPACES = List.of("team-training", "team-inference");
    private ClusterHarness cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = new ClusterHarness();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    /** Counts bind outcomes; a pod bound twice would show as more successes than bound pods. */
    private static final class CountingWrites implements WriteObserver {
        final Map<String, AtomicInteger> binds = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> evictions = new ConcurrentHashMap<>();

        @Override
        public void bindResult(String result) {
            binds.computeIfAbsent(result, k -> new AtomicInteger()).incrementAndGet();
        }

        @Override
        public void evicted(String reason) {
            evictions.computeIfAbsent(reason, k -> new AtomicInteger()).incrementAndGet();
        }

        int count(Map<String, AtomicInteger> m, String key) {
            AtomicInteger n = m.get(key);
            return n == null ? 0 : n.get();
        }
    }

    @Test
    void convergesThroughServerErrorsThrottlingConflictsSlownessAndANodeLoss() throws Exception {
        cluster.gpuNodes("h100", 3, 8, null);
        cluster.project("team-training", 8, 3, null);
        cluster.project("team-inference", 4, 1, null);
        CountingWrites writes = new CountingWrites();
        cluster.api.faults()
                .fail(FaultInjector.Request::isBinding, 500, 6)
                .fail(FaultInjector.Request::isBinding, 429, 4)
                .fail(FaultInjector.Request::isBinding, 409, 2)
                .delay(FaultInjector.Request::isBinding, Duration.ofMillis(150));
        cluster.startScheduler(ClusterHarness.fastSettings(), LeaderSettings.disabled("faulty"), writes);
        for (int i = 0; i < 24; i++) {
            cluster.wholeGpuPod("team-training", "t-" + i, WorkloadType.TRAIN, 1);
        }
        await("all 24 pods bound despite faults", () -> cluster.boundPods("team-training").size() == 24);
        assertThat(cluster.api.faults().injectedErrors()).isEqualTo(12);
        assertDevicesWithinOne();
        await("every bind reported", () -> writes.count(writes.binds, "success") >= 24);
        Thread.sleep(300);
        assertThat(writes.count(writes.binds, "success")).as("each pod bound exactly once: %s", writes.binds).isEqualTo(24);

        // A node goes away with pods on it: its pods no longer count; the cluster is still full, so
        // team-inference has to reclaim, through eviction errors.
        String lost = cluster.boundPods("team-training").get(0).getSpec().getNodeName();
        cluster.client.nodes().withName(lost).delete();
        cluster.api.faults().clear();
        cluster.api.faults().fail(FaultInjector.Request::isEviction, 500, 3)
                .fail(FaultInjector.Request::isEviction, 429, 2)
                .fail(FaultInjector.Request::isEviction, 409, 1);
        cluster.wholeGpuPod("team-inference", "serve", WorkloadType.INFERENCE, 2);
        cluster.wholeGpuPod("team-inference", "batch", WorkloadType.TRAIN, 2);
        await("team-inference reclaims its 4 GPUs through eviction errors",
                () -> cluster.boundPods("team-inference").stream()
                        .filter(p -> !lost.equals(p.getSpec().getNodeName())).count() == 2);
        assertDevicesWithinOne();
        for (Pod p : cluster.boundPods("team-inference")) {
            assertThat(p.getSpec().getNodeName()).isNotEqualTo(lost);
        }
        await("every bind reported", () -> writes.count(writes.binds, "success") >= 26);
        Thread.sleep(300);
        assertThat(writes.count(writes.binds, "success")).isEqualTo(26);
        assertThat(writes.count(writes.evictions, "reclaim")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void droppedConnectionsAndWatchesAreSurvived() throws Exception {
        cluster.gpuNodes("h100", 2, 8, null);
        cluster.project("team-training", 16, 1, null);
        CountingWrites writes = new CountingWrites();
        cluster.startScheduler(ClusterHarness.fastSettings(), LeaderSettings.disabled("watcher"), writes);
        for (int i = 0; i < 4; i++) {
            cluster.wholeGpuPod("team-training", "early-" + i, WorkloadType.TRAIN, 2);
        }
        await("first pods bound", () -> cluster.boundPods("team-training").size() == 4);
        cluster.api.dropConnections();
        for (int i = 0; i < 4; i++) {
            cluster.wholeGpuPod("team-training", "late-" + i, WorkloadType.TRAIN, 2);
        }
        await("pods created after the drop are bound", () -> cluster.boundPods("team-training").size() == 8);
        await("every bind reported", () -> writes.count(writes.binds, "success") >= 8);
        Thread.sleep(300);
        assertThat(writes.count(writes.binds, "success")).isEqualTo(8);
        assertDevicesWithinOne();
    }

    @Test
    void aStandbyTakesOverWhenTheLeaderStopsAndNothingIsBoundTwice() throws Exception {
        cluster.gpuNodes("h100", 2, 8, null);
        cluster.project("team-training", 16, 1, null);
        CountingWrites writes = new CountingWrites();
        LeaderSettings a = LeaderSettings.lease("gpuq-scheduler", "runai", "scheduler-a", Duration.ofSeconds(2));
        LeaderSettings b = LeaderSettings.lease("gpuq-scheduler", "runai", "scheduler-b", Duration.ofSeconds(2));
        SchedulerProcess first = cluster.startScheduler(ClusterHarness.fastSettings(), a, writes);
        await("first instance leads", first::isLeader);
        SchedulerProcess second = cluster.startScheduler(ClusterHarness.fastSettings(), b, writes);
        for (int i = 0; i < 6; i++) {
            cluster.wholeGpuPod("team-training", "before-" + i, WorkloadType.TRAIN, 1);
        }
        await("leader binds", () -> cluster.boundPods("team-training").size() == 6);
        assertThat(second.isLeader()).isFalse();

        first.close();
        long lostAt = System.nanoTime();
        await("standby takes over", second::isLeader);
        // The lease is released on close, so a standby normally leads within one retry period; allow the
        // lease duration plus slack for a loaded machine.
        assertThat(Duration.ofNanos(System.nanoTime() - lostAt)).isLessThan(Duration.ofSeconds(15));
        for (int i = 0; i < 6; i++) {
            cluster.wholeGpuPod("team-training", "after-" + i, WorkloadType.TRAIN, 1);
        }
        await("new leader binds", () -> cluster.boundPods("team-training").size() == 12);
        await("every bind reported", () -> writes.count(writes.binds, "success") >= 12);
        Thread.sleep(300);
        assertThat(writes.count(writes.binds, "success")).isEqualTo(12);
        assertDevicesWithinOne();
    }

    @Test
    void aLeaderThatStopsLeavesTheLeaseWithoutAHolder() throws Exception {
        cluster.gpuNodes("h100", 1, 8, null);
        SchedulerProcess only = cluster.startScheduler(ClusterHarness.fastSettings(),
                LeaderSettings.lease("gpuq-scheduler", "runai", "scheduler-a", Duration.ofSeconds(2)));
        await("the instance leads", only::isLeader);
        assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("scheduler-a");

        only.close();
        // An empty holder is free to take at once; an absent one would leave the old holder in place.
        assertThat(lease().getSpec().getHolderIdentity()).isEmpty();
    }

    @Test
    void aLeaseWithoutTimesOrDurationIsTakenOver() throws Exception {
        cluster.gpuNodes("h100", 1, 8, null);
        cluster.namespace("runai");
        cluster.client.resources(Lease.class).inNamespace("runai").resource(new LeaseBuilder()
                .withNewMetadata().withName("gpuq-scheduler").withNamespace("runai").endMetadata()
                .withNewSpec().withHolderIdentity("written-by-hand").endSpec()
                .build()).create();
        SchedulerProcess scheduler = cluster.startScheduler(ClusterHarness.fastSettings(),
                LeaderSettings.lease("gpuq-scheduler", "runai", "scheduler-a", Duration.ofSeconds(2)));
        await("the instance takes over the incomplete lease", scheduler::isLeader);
        Lease taken = lease();
        assertThat(taken.getSpec().getHolderIdentity()).isEqualTo("scheduler-a");
        assertThat(taken.getSpec().getRenewTime()).isNotNull();
        assertThat(taken.getSpec().getLeaseDurationSeconds()).isEqualTo(2);
    }

    private Lease lease() {
        return cluster.client.resources(Lease.class).inNamespace("runai").withName("gpuq-scheduler").get();
    }

    @Test
    void aRestartRebuildsAllocationsFromTheClusterAndNeverReusesADevice() throws Exception {
        cluster.gpuNodes("h100", 1, 8, null);
        cluster.project("team-training", 8, 1, null);
        cluster.project("team-inference", 4, 1, null);
        SchedulerProcess first = cluster.startScheduler();
        cluster.wholeGpuPod("team-training", "big", WorkloadType.TRAIN, 5);
        cluster.fractionPod("team-inference", "half-a", WorkloadType.INFERENCE, "0.5");
        await("first instance placed both", () -> cluster.boundPods("team-training").size() == 1
                && cluster.boundPods("team-inference").size() == 1);
        Map<String, Integer> before = cluster.deviceUse(NAMESPACES);
        first.close();

        SchedulerProcess second = cluster.startScheduler();
        cluster.fractionPod("team-inference", "half-b", WorkloadType.INFERENCE, "0.5");
        cluster.wholeGpuPod("team-training", "small", WorkloadType.TRAIN, 2);
        await("second instance placed the new pods", () -> cluster.boundPods("team-training").size() == 2
                && cluster.boundPods("team-inference").size() == 2);
        Map<String, Integer> after = cluster.deviceUse(NAMESPACES);
        assertThat(after.values()).allMatch(m -> m <= 1000);
        assertThat(after.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(8000);
        before.forEach((device, milli) -> assertThat(after.get(device)).isGreaterThanOrEqualTo(milli));
        assertThat(cluster.pods("runai-reservation")).as("the shared device keeps one reservation").hasSize(1);
        await("rebuilt allocation reported", () -> second.lastReport() != null
                && second.lastReport().snapshot().running().size() == 4);
    }

    private void assertDevicesWithinOne() {
        Map<String, Integer> use = cluster.deviceUse(NAMESPACES);
        assertThat(use).allSatisfy((device, milli) -> assertThat(milli).as(device).isLessThanOrEqualTo(1000));
    }
}
