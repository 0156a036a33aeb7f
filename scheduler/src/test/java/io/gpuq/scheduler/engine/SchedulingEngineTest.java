package io.gpuq.scheduler.engine;

import io.gpuq.scheduler.engine.model.CycleResult;
import io.gpuq.scheduler.engine.model.DeviceShare;
import io.gpuq.scheduler.engine.model.EvictionDecision;
import io.gpuq.scheduler.engine.model.GpuDemand;
import io.gpuq.scheduler.engine.model.GpuNode;
import io.gpuq.scheduler.engine.model.NodeSelectorRequirement;
import io.gpuq.scheduler.engine.model.NodeSelectorTerm;
import io.gpuq.scheduler.engine.model.PendingReason;
import io.gpuq.scheduler.engine.model.PodAllocation;
import io.gpuq.scheduler.engine.model.PodRequest;
import io.gpuq.scheduler.engine.model.RunningWorkload;
import io.gpuq.scheduler.engine.model.Taint;
import io.gpuq.scheduler.engine.model.Toleration;
import io.gpuq.scheduler.engine.model.Workload;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class SchedulingEngineTest {

    /** The seed's 16 GPUs in one pool, three teams with deserved 8/4/2 and weights 3:1:1. */
    private static TestCluster seed() {
        return new TestCluster()
                .node("h100-0", "default", 8)
                .node("h100-1", "default", 8)
                .project("team-training", 8, 3)
                .project("team-inference", 4, 1)
                .project("team-research", 2, 1);
    }

    @Test
    void seedWorkedExampleGivesFairShares9_5_2() {
        TestCluster c = seed();
        for (String p : List.of("team-training", "team-inference", "team-research")) {
            for (int i = 0; i < 16; i++) {
                c.submitTrain(p + "-" + i, p, 1, 1);
            }
        }
        CycleResult r = c.cycle();
        assertThat(r.projects().get("team-training").fairShareGpus()).isEqualTo(9.0);
        assertThat(r.projects().get("team-inference").fairShareGpus()).isEqualTo(5.0);
        assertThat(r.projects().get("team-research").fairShareGpus()).isEqualTo(2.0);
        assertThat(r.projects().get("team-training").pools().get("default").deservedGpus()).isEqualTo(8.0);
        double total = c.allocated("team-training") + c.allocated("team-inference") + c.allocated("team-research");
        assertThat(total).isEqualTo(16.0);
    }

    @Test
    void aloneTeamBorrowsEverythingThenGivesBackExactlyFourNewestFirst() {
        TestCluster c = seed();
        for (int i = 0; i < 8; i++) {
            c.submitTrain("train-" + i, "team-training", 1, 2);
            c.time++;
        }
        c.cycle();
        assertThat(c.allocated("team-training")).isEqualTo(16.0);

        c.submitTrain("serve", "team-inference", 1, 4);
        CycleResult r = c.cycle();
        assertThat(r.evictions()).extracting(EvictionDecision::workloadId)
                .containsExactlyInAnyOrder("train-7", "train-6");
        assertThat(r.evictions()).allMatch(e -> e.kind() == EvictionDecision.Kind.RECLAIM
                && e.byWorkload().equals("serve"));
        assertThat(c.allocated("team-inference")).isEqualTo(4.0);
        assertThat(c.allocated("team-training")).isEqualTo(12.0);
    }

    @Test
    void queueAtDeservedIsNeverReclaimedFrom() {
        TestCluster c = seed();
        c.submitTrain("train", "team-training", 1, 8);
        c.submitTrain("research", "team-research", 1, 8);
        c.cycle();
        assertThat(c.allocated("team-training")).isEqualTo(8.0);
        assertThat(c.allocated("team-research")).isEqualTo(8.0);
        c.submitTrain("serve", "team-inference", 1, 4);
        CycleResult r = c.cycle();
        assertThat(r.evictions()).extracting(EvictionDecision::workloadId).containsExactly("research");
        assertThat(r.evictions()).noneMatch(e -> e.project().equals("team-training"));
    }

    @Test
    void twoHalfGpuPodsShareOneDevice() {
        TestCluster c = seed();
        c.submit("half-a", "team-inference", (String) null, 125, 1, GpuDemand.fraction(500, 1));
        c.submit("half-b", "team-inference", (String) null, 125, 1, GpuDemand.fraction(500, 1));
        CycleResult r = c.cycle();
        assertThat(r.placements()).hasSize(2);
        List<PodAllocation> pods = r.placements().stream().flatMap(p -> p.pods().stream()).toList();
        assertThat(pods).extracting(PodAllocation::node).containsOnly(pods.get(0).node());
        assertThat(pods).flatExtracting(PodAllocation::devices)
                .containsExactly(new DeviceShare(pods.get(0).devices().get(0).index(), 500),
                        new DeviceShare(pods.get(0).devices().get(0).index(), 500));
        assertThat(c.allocated("team-inference")).isEqualTo(1.0);
    }

    @Test
    void gangOfFourWaitsForTheFourthNodeThenStartsTogether() {
        TestCluster c = new TestCluster()
                .node("n0", "default", 8).node("n1", "default", 8).node("n2", "default", 8).node("n3", "default", 8)
                .project("team-training", 32, 1)
                .project("team-other", 8, 1);
        c.submitTrain("blocker", "team-other", 1, 8);
        c.cycle();
        c.submitTrain("fsdp", "team-training", 4, 8);
        CycleResult r = c.cycle();
        assertThat(r.placements()).isEmpty();
        assertThat(r.pendingReasons().get("fsdp").code()).isEqualTo(PendingReason.Code.GANG_INCOMPLETE);
        assertThat(r.pendingReasons().get("fsdp").message()).contains("3 of 4");

        c.complete("blocker");
        r = c.cycle();
        assertThat(r.placements()).hasSize(1);
        assertThat(r.placements().get(0).pods()).hasSize(4);
        assertThat(r.placements().get(0).pods()).extracting(PodAllocation::node).doesNotHaveDuplicates();
    }

    @Test
    void departmentCeilingHoldsEvenWithIdleGpus() {
        TestCluster c = new TestCluster()
                .node("n0", "default", 8).node("n1", "default", 8)
                .department("ml", null, 6)
                .project("a", "ml", Map.of("default", 2.0), 1, -1)
                .project("b", "ml", Map.of("default", 2.0), 1, -1);
        for (int i = 0; i < 5; i++) {
            c.submitTrain("a-" + i, "a", 1, 1);
            c.submitTrain("b-" + i, "b", 1, 1);
        }
        CycleResult r = c.cycle();
        assertThat(c.allocated("a") + c.allocated("b")).isEqualTo(6.0);
        assertThat(r.departments().get("ml").allocatedGpus()).isEqualTo(6.0);
        assertThat(r.pendingReasons().values()).extracting(PendingReason::code)
                .containsOnly(PendingReason.Code.DEPARTMENT_CEILING);
    }

    @Test
    void projectMaxGpusLimitsBorrowing() {
        TestCluster c = new TestCluster()
                .node("n0", "default", 8)
                .project("a", null, Map.of("default", 2.0), 1, 3);
        for (int i = 0; i < 5; i++) {
            c.submitTrain("a-" + i, "a", 1, 1);
        }
        CycleResult r = c.cycle();
        assertThat(c.allocated("a")).isEqualTo(3.0);
        assertThat(r.pendingReasons().get("a-3").code()).isEqualTo(PendingReason.Code.PROJECT_LIMIT);
    }

    @Test
    void nonPreemptibleAboveDeservedStaysPendingWithReason() {
        TestCluster c = seed();
        c.submit("serve-a", "team-research", (String) null, 125, 1, GpuDemand.whole(2));
        c.submit("serve-b", "team-research", (String) null, 125, 1, GpuDemand.whole(1));
        CycleResult r = c.cycle();
        assertThat(c.running).containsKey("serve-a");
        assertThat(r.pendingReasons().get("serve-b").code())
                .isEqualTo(PendingReason.Code.NON_PREEMPTIBLE_OVER_DESERVED);
        assertThat(r.pendingReasons().get("serve-b").message()).contains("team-research").contains("deserved 2");
        assertThat(r.projects().get("team-research").allocatedNonPreemptibleGpus()).isEqualTo(2.0);
    }

    @Test
    void higherPriorityPreemptsLowerInsideTheQueue() {
        TestCluster c = new TestCluster().node("n0", "default", 4).project("a", 4, 1);
        c.submit("build", "a", (String) null, 25, 1, GpuDemand.whole(2));
        c.submit("train", "a", (String) null, 50, 1, GpuDemand.whole(2));
        c.cycle();
        c.submit("interactive", "a", (String) null, 100, 1, GpuDemand.whole(2));
        CycleResult r = c.cycle();
        assertThat(r.evictions()).hasSize(1);
        assertThat(r.evictions().get(0).workloadId()).isEqualTo("build");
        assertThat(r.evictions().get(0).kind()).isEqualTo(EvictionDecision.Kind.PREEMPT);
        assertThat(c.running).containsKeys("train", "interactive");
    }

    @Test
    void equalPriorityDoesNotPreempt() {
        TestCluster c = new TestCluster().node("n0", "default", 2).project("a", 2, 1);
        c.submit("first", "a", (String) null, 50, 1, GpuDemand.whole(2));
        c.cycle();
        c.submit("second", "a", (String) null, 50, 1, GpuDemand.whole(2));
        CycleResult r = c.cycle();
        assertThat(r.evictions()).isEmpty();
        assertThat(r.pendingReasons()).containsKey("second");
    }

    @Test
    void inferencePoolNeverRunsOtherProjects() {
        TestCluster c = new TestCluster()
                .node("train-0", "default", 8)
                .node("infer-0", "inference-pool", 4)
                .project("team-training", null, Map.of("default", 8.0), 3, -1)
                .project("team-inference", null, Map.of("inference-pool", 4.0), 1, -1);
        for (int i = 0; i < 6; i++) {
            c.submitTrain("t" + i, "team-training", 1, 2);
        }
        c.submit("serve", "team-inference", "inference-pool", 125, 1, GpuDemand.whole(2));
        CycleResult r = c.cycle();
        Set<String> trainingNodes = c.running.values().stream()
                .filter(w -> w.workload().project().equals("team-training"))
                .flatMap(w -> w.allocations().stream()).map(PodAllocation::node).collect(Collectors.toSet());
        assertThat(trainingNodes).containsOnly("train-0");
        assertThat(c.running.get("serve").allocations().get(0).node()).isEqualTo("infer-0");
        assertThat(r.pendingReasons().get("t4").code()).isIn(PendingReason.Code.NO_ROOM_IN_POOL,
                PendingReason.Code.OVER_QUOTA);
    }

    @Test
    void poolTheProjectDoesNotHaveIsInvalid() {
        TestCluster c = seed();
        c.submit("x", "team-research", "inference-pool", 50, 1, GpuDemand.whole(1));
        CycleResult r = c.cycle();
        assertThat(r.pendingReasons().get("x").code()).isEqualTo(PendingReason.Code.INVALID);
        assertThat(r.pendingReasons().get("x").message()).contains("[default]");
    }

    @Test
    void taintsSelectorsAffinityAndUnschedulableAreHonoured() {
        TestCluster c = new TestCluster()
                .taintedNode("tainted", 8, new Taint("dedicated", "infer", "NoSchedule"))
                .node(new GpuNode("cordoned", null, "H100", 81920, 8, -1, -1, "", Map.of(), List.of(), true, true))
                .node(new GpuNode("notready", null, "H100", 81920, 8, -1, -1, "", Map.of(), List.of(), false, false))
                .node(new GpuNode("a100", null, "A100", 40960, 8, -1, -1, "", Map.of("gpu", "a100"), List.of(),
                        true, false))
                .project("p", 32, 1);
        Workload plain = new Workload("plain", "p", null, "train", 50, true, 0, 0, 1,
                List.of(PodRequest.of("plain-0", GpuDemand.whole(1), 0, 0)));
        Workload tolerant = new Workload("tolerant", "p", null, "train", 50, true, 0, 1, 1,
                List.of(new PodRequest("tolerant-0", GpuDemand.whole(8), 0, 0, Map.of(),
                        List.of(new NodeSelectorTerm(List.of(new NodeSelectorRequirement("dedicated", "DoesNotExist",
                                null)))),
                        List.of(new Toleration("dedicated", "Equal", "infer", "NoSchedule")))));
        Workload selective = new Workload("selective", "p", null, "train", 50, true, 0, 2, 1,
                List.of(new PodRequest("selective-0", GpuDemand.whole(1), 0, 0, Map.of("gpu", "h100"), List.of(),
                        List.of())));
        c.pending.put("plain", plain);
        c.pending.put("tolerant", tolerant);
        c.pending.put("selective", selective);
        CycleResult r = c.cycle();
        assertThat(c.running.get("plain").allocations().get(0).node()).isEqualTo("a100");
        assertThat(r.pendingReasons().get("selective").code()).isEqualTo(PendingReason.Code.NO_MATCHING_NODE);
        // "tolerant" tolerates the taint; a100 has a free GPU less than 8 after "plain".
        assertThat(c.running.get("tolerant").allocations().get(0).node()).isEqualTo("tainted");
    }

    @Test
    void cpuAndMemoryMustFit() {
        TestCluster c = new TestCluster()
                .node(GpuNode.simple("small", null, "H100", 81920, 8, 4000, 16384))
                .project("p", 8, 1);
        Workload big = new Workload("big", "p", null, "train", 50, true, 0, 0, 1,
                List.of(PodRequest.of("big-0", GpuDemand.whole(1), 8000, 1024)));
        Workload ok = new Workload("ok", "p", null, "train", 50, true, 0, 1, 1,
                List.of(PodRequest.of("ok-0", GpuDemand.whole(1), 4000, 16384)));
        c.pending.put("big", big);
        c.pending.put("ok", ok);
        CycleResult r = c.cycle();
        assertThat(c.running).containsKey("ok");
        assertThat(r.pendingReasons()).containsKey("big");
    }

    @Test
    void gpuMemoryRequestBecomesAShareOfTheDevice() {
        TestCluster c = new TestCluster().node("n", "default", 1).project("p", 1, 1);
        c.submit("m1", "p", (String) null, 50, 1, GpuDemand.memory(40960, 1));
        c.submit("m2", "p", (String) null, 50, 1, GpuDemand.memory(40960, 1));
        c.submit("m3", "p", (String) null, 50, 1, GpuDemand.memory(1024, 1));
        CycleResult r = c.cycle();
        assertThat(c.running).containsKeys("m1", "m2");
        assertThat(c.running.get("m1").allocations().get(0).devices().get(0).milli()).isEqualTo(500);
        assertThat(r.pendingReasons()).containsKey("m3");
    }

    @Test
    void fractionedDeviceIsNeverHandedOutWhole() {
        TestCluster c = new TestCluster().node("n", "default", 2).project("p", 2, 1);
        c.submit("half", "p", (String) null, 50, 1, GpuDemand.fraction(500, 1));
        c.cycle();
        c.submit("two", "p", (String) null, 50, 1, GpuDemand.whole(2));
        c.submit("one", "p", (String) null, 50, 1, GpuDemand.whole(1));
        CycleResult r = c.cycle();
        assertThat(r.pendingReasons()).containsKey("two");
        int halfDevice = c.running.get("half").allocations().get(0).devices().get(0).index();
        assertThat(c.running.get("one").allocations().get(0).devices().get(0).index()).isNotEqualTo(halfDevice);
    }

    @Test
    void multiDeviceFractionUsesDistinctDevices() {
        TestCluster c = new TestCluster().node("n", "default", 4).project("p", 4, 1);
        c.submit("split", "p", (String) null, 50, 1, GpuDemand.fraction(250, 3));
        c.cycle();
        List<DeviceShare> shares = c.running.get("split").allocations().get(0).devices();
        assertThat(shares).hasSize(3);
        assertThat(shares).extracting(DeviceShare::index).doesNotHaveDuplicates();
        assertThat(shares).extracting(DeviceShare::milli).containsOnly(250);
    }

    @Test
    void reclaimAcrossDepartmentsComparesDepartments() {
        TestCluster c = new TestCluster()
                .node("n0", "default", 8)
                .department("d1", null, -1)
                .department("d2", null, -1)
                .project("a", "d1", Map.of("default", 4.0), 1, -1)
                .project("b", "d2", Map.of("default", 4.0), 1, -1);
        for (int i = 0; i < 8; i++) {
            c.submitTrain("a-" + i, "a", 1, 1);
            c.time++;
        }
        c.cycle();
        assertThat(c.allocated("a")).isEqualTo(8.0);
        c.submitTrain("b-0", "b", 1, 3);
        CycleResult r = c.cycle();
        assertThat(r.evictions()).extracting(EvictionDecision::workloadId)
                .containsExactlyInAnyOrder("a-7", "a-6", "a-5");
        assertThat(c.allocated("b")).isEqualTo(3.0);
    }

    @Test
    void stalePendingNeverDoubleBooksARunningDevice() {
        TestCluster c = new TestCluster().node("n", "default", 2).project("p", 2, 1);
        Workload w = new Workload("w", "p", null, "train", 50, true, 0, 0, 1,
                List.of(PodRequest.of("w-0", GpuDemand.whole(1), 0, 0)));
        c.running.put("w", new RunningWorkload(w,
                List.of(new PodAllocation("w-0", "n", List.of(new DeviceShare(1, 1000)), 0, 0)), 0));
        c.submit("x", "p", (String) null, 50, 1, GpuDemand.whole(1));
        c.cycle();
        assertThat(c.running.get("x").allocations().get(0).devices().get(0).index()).isEqualTo(0);
    }

    @Test
    void conflictingRunningAllocationsNeitherCrashNorDoubleBook() {
        TestCluster c = new TestCluster().node("n", "default", 2)
                .project("a", 0, 1).project("b", 2, 1);
        Workload first = new Workload("first", "a", null, "train", 50, true, 0, 0, 1,
                List.of(PodRequest.of("first-0", GpuDemand.whole(1), 0, 0)));
        Workload stale = new Workload("stale", "a", null, "train", 50, true, 1, 1, 1,
                List.of(PodRequest.of("stale-0", GpuDemand.whole(2), 0, 0)));
        c.running.put("first", new RunningWorkload(first,
                List.of(new PodAllocation("first-0", "n", List.of(new DeviceShare(0, 1000)), 0, 0)), 0));
        // A stale view: "stale" claims device 0 too (and device 1).
        c.running.put("stale", new RunningWorkload(stale, List.of(new PodAllocation("stale-0", "n",
                List.of(new DeviceShare(0, 1000), new DeviceShare(1, 1000)), 0, 0)), 0));
        c.submit("claim", "b", (String) null, 50, 1, GpuDemand.whole(1));
        CycleResult r = c.cycle();
        // "first" holds device 0 and is over quota, so it may be reclaimed; "stale" holds device 1 (the
        // part of its claim that fits) and is never moved, so device 1 is not handed out again.
        assertThat(r.evictions()).extracting(EvictionDecision::workloadId).containsExactly("first");
        assertThat(c.running.get("claim").allocations().get(0).devices())
                .containsExactly(new DeviceShare(0, 1000));
    }
}
