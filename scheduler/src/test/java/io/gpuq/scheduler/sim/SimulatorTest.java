package io.gpuq.scheduler.sim;

import io.gpuq.scheduler.engine.model.ClusterSnapshot;
import io.gpuq.scheduler.engine.model.GpuNode;
import io.gpuq.scheduler.engine.model.PodRequest;
import io.gpuq.scheduler.engine.model.Workload;
import io.gpuq.scheduler.sim.scenario.Scenario;
import io.gpuq.scheduler.sim.scenario.ScenarioLoader;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The simulator's virtual-time bookkeeping, driven by a first-fit stand-in for the engine. */
class SimulatorTest {

    private static final String ONE_GPU = "nodes: [{name: n, gpus: 1, gpuModel: T4}]\nprojects: [{name: p}]\n";

    private static Scenario scenario(String yaml) {
        return ScenarioLoader.parse(yaml, "test.yaml");
    }

    private static List<String> events(SimulationResult r) {
        return r.events().stream().map(e -> e.time() + " " + e.type() + " " + e.workload())
                .collect(Collectors.toList());
    }

    @Test
    void workSubmittedAtTIsPlacedByTheCycleAtT() {
        SimulationResult r = new Simulator(new FirstFitEngine()).run(scenario(ONE_GPU
                + "workloads: [{name: a, project: p, gpusPerPod: 1, submitAt: 7, durationSeconds: 5}]\n"
                + "observeAt: [7]\n"));
        assertThat(r.workload("a").startedAt()).isEqualTo(7);
        assertThat(r.workload("a").waitSeconds()).isZero();
        assertThat(r.snapshotAt(7).workloads().get("a").state()).isEqualTo(WorkloadState.RUNNING);
    }

    @Test
    void submissionBetweenCyclesWaitsForTheNextCycle() {
        SimulationResult r = new Simulator(new FirstFitEngine()).run(scenario("cycleSeconds: 10\n" + ONE_GPU
                + "workloads: [{name: a, project: p, gpusPerPod: 1, submitAt: 15, durationSeconds: 100}]\n"
                + "observeAt: [10, 20]\n"));
        assertThat(r.snapshotAt(10).workloads()).as("not yet submitted at t=10").doesNotContainKey("a");
        assertThat(r.workload("a").submittedAt()).isEqualTo(15);
        assertThat(r.workload("a").startedAt()).isEqualTo(20);
        assertThat(r.workload("a").waitSeconds()).isEqualTo(5);
        assertThat(events(r)).containsExactly("15 Submitted a", "20 Started a");
    }

    @Test
    void aCompletionAtTFreesItsGpuForTheCycleAtT() {
        SimulationResult r = new Simulator(new FirstFitEngine()).run(scenario(ONE_GPU
                + "workloads:\n"
                + "  - {name: a, project: p, gpusPerPod: 1, durationSeconds: 100}\n"
                + "  - {name: b, project: p, gpusPerPod: 1, durationSeconds: 50}\n"
                + "observeAt: [99, 100]\n"));
        assertThat(r.snapshotAt(99).workloads().get("b").state()).isEqualTo(WorkloadState.PENDING);
        assertThat(r.snapshotAt(100).workloads().get("a").state()).isEqualTo(WorkloadState.COMPLETED);
        assertThat(r.snapshotAt(100).workloads().get("b").state()).isEqualTo(WorkloadState.RUNNING);
        assertThat(r.workload("b").startedAt()).isEqualTo(100);
        assertThat(r.workload("b").waitSeconds()).isEqualTo(100);
        assertThat(r.workload("b").reason()).isNull();
        assertThat(r.workload("a").placement()).as("a completed workload keeps its last placement")
                .extracting(a -> a.node()).containsExactly("n");
    }

    @Test
    void aCompletionBetweenCyclesIsRecordedAtItsExactTime() {
        SimulationResult r = new Simulator(new FirstFitEngine()).run(scenario("cycleSeconds: 10\n" + ONE_GPU
                + "workloads:\n"
                + "  - {name: a, project: p, gpusPerPod: 1, durationSeconds: 15}\n"
                + "  - {name: b, project: p, gpusPerPod: 1, durationSeconds: 10}\n"));
        assertThat(events(r)).containsExactly("0 Submitted a", "0 Submitted b", "0 Started a", "15 Completed a",
                "20 Started b", "30 Completed b");
        assertThat(r.workloads()).extracting(WorkloadOutcome::state)
                .containsOnly(WorkloadState.COMPLETED);
    }

    @Test
    void anEvictedWorkloadGoesBackToPendingAndRestartsItsDuration() {
        FirstFitEngine engine = new FirstFitEngine().evictAt(40, "a");
        SimulationResult r = new Simulator(engine).run(scenario(ONE_GPU
                + "workloads:\n"
                + "  - {name: a, project: p, gpusPerPod: 1, durationSeconds: 100}\n"
                + "  - {name: b, project: p, gpusPerPod: 1, submitAt: 40, durationSeconds: 30}\n"
                + "observeAt: [40, 69, 70, 170]\n"));
        assertThat(r.snapshotAt(40).workloads().get("a").state()).isEqualTo(WorkloadState.PENDING);
        assertThat(r.snapshotAt(40).workloads().get("a").placement()).isEmpty();
        assertThat(r.snapshotAt(40).workloads().get("b").state())
                .as("the evicted GPU is free for the same cycle").isEqualTo(WorkloadState.RUNNING);
        assertThat(r.snapshotAt(69).workloads().get("a").state()).isEqualTo(WorkloadState.PENDING);
        assertThat(r.snapshotAt(70).workloads().get("a").state()).isEqualTo(WorkloadState.RUNNING);
        assertThat(r.snapshotAt(170).workloads().get("a").state())
                .as("the full 100 s again from its restart at 70").isEqualTo(WorkloadState.COMPLETED);
        WorkloadOutcome a = r.workload("a");
        assertThat(a.evictions()).isEqualTo(1);
        assertThat(a.startedAt()).as("latest start").isEqualTo(70);
        assertThat(a.waitSeconds()).as("pending from 40 to 70").isEqualTo(30);
        assertThat(events(r)).containsSubsequence("40 Evicted a", "40 Started b", "70 Completed b", "70 Started a",
                "170 Completed a");
        SimEvent evicted = r.events().stream().filter(e -> e.type() == SimEvent.Type.Evicted).findFirst().orElseThrow();
        assertThat(evicted.details()).isEqualTo("reclaimed by urgent-job (other-team): the test said so");
        assertThat(r.cost().get("p").gpuHours()).as("40 + 30 + 100 GPU-seconds = 170/3600 GPU-hours")
                .isEqualByComparingTo("0.047222");
    }

    @Test
    void aPendingWorkloadCarriesTheEnginesReason() {
        SimulationResult r = new Simulator(new FirstFitEngine()).run(scenario(ONE_GPU
                + "workloads: [{name: big, project: p, gpusPerPod: 1, pods: 2}]\nobserveAt: [30]\n"));
        WorkloadOutcome big = r.workload("big");
        assertThat(big.state()).isEqualTo(WorkloadState.PENDING);
        assertThat(big.reason()).isEqualTo("NoRoomInPool: first fit found no room");
        assertThat(big.waitSeconds()).isEqualTo(30);
        assertThat(big.startedAt()).isNull();
    }

    @Test
    void skippingIdleCyclesGivesExactlyTheSameResultWithFarFewerEngineCalls() {
        String yaml = "cycleSeconds: 2\n"
                + "nodes: [{name: n, count: 2, gpus: 4, gpuModel: H100}]\n"
                + "projects: [{name: p, deservedGpus: 4}, {name: q, deservedGpus: 4}]\n"
                + "prices: [{gpuModel: H100, perGpuHour: 3.5}]\n"
                + "workloads:\n"
                + "  - {name: a, project: p, gpusPerPod: 4, durationSeconds: 301}\n"
                + "  - {name: b, project: q, gpusPerPod: 2, pods: 2, submitAt: 11, durationSeconds: 600}\n"
                + "  - {name: c, project: p, gpusPerPod: 4, submitAt: 13, durationSeconds: 99}\n"
                + "  - {name: d, project: q, gpuFraction: 0.25, pods: 3, submitAt: 500}\n"
                + "  - {name: e, project: p, gpusPerPod: 1, submitAt: 1000, durationSeconds: 7}\n"
                + "observeAt: [0, 12, 302, 700, 1200]\n";
        FirstFitEngine skipping = new FirstFitEngine().evictAt(12, "a");
        FirstFitEngine every = new FirstFitEngine().evictAt(12, "a");
        SimulationResult fast = new Simulator(skipping).run(scenario(yaml));
        SimulationResult slow = new Simulator(every).everyCycle().run(scenario(yaml));
        assertThat(json(fast)).isEqualTo(json(slow));
        assertThat(every.seen).hasSize(601);
        assertThat(skipping.seen.size()).isLessThan(30);
    }

    @Test
    void withoutObserveAtTheRunEndsWhenNoWorkIsLeft() {
        FirstFitEngine engine = new FirstFitEngine();
        SimulationResult r = new Simulator(engine).run(scenario(ONE_GPU
                + "workloads: [{name: a, project: p, gpusPerPod: 1, submitAt: 5000, durationSeconds: 10}]\n"));
        assertThat(r.snapshots()).isEmpty();
        assertThat(r.workload("a").state()).isEqualTo(WorkloadState.COMPLETED);
        assertThat(engine.seen.get(engine.seen.size() - 1).time()).isEqualTo(5010);
    }

    @Test
    void aRunThatNeverDrainsStopsWithAClearMessage() {
        assertThatThrownBy(() -> new Simulator(new FirstFitEngine()).run(scenario(ONE_GPU
                + "workloads:\n"
                + "  - {name: endpoint, project: p, gpusPerPod: 1}\n"
                + "  - {name: waiting, project: p, gpusPerPod: 1, durationSeconds: 5}\n")))
                .isInstanceOf(SimulationException.class)
                .hasMessage("test.yaml: the run never drains: at t=1 nothing more can change, but 1 workload(s) "
                        + "stay pending (waiting: NoRoomInPool: first fit found no room) and 1 run without "
                        + "durationSeconds (endpoint); add observeAt to end the run at a chosen time");
    }

    @Test
    void theRunEndsAtTheLastObserveTimeAndLeavesLaterWorkOut() {
        SimulationResult r = new Simulator(new FirstFitEngine()).run(scenario(ONE_GPU
                + "workloads:\n"
                + "  - {name: now, project: p, gpusPerPod: 1}\n"
                + "  - {name: later, project: p, gpusPerPod: 1, submitAt: 500}\n"
                + "observeAt: [100]\n"));
        assertThat(r.snapshots()).extracting(Observation::time).containsExactly(100L);
        assertThat(r.workloads()).extracting(WorkloadOutcome::name).containsExactly("now");
        assertThat(r.cost().get("p").gpuHours()).isEqualByComparingTo("0.027778");
    }

    @Test
    void requestsTheWebhookWouldDenyStayPendingAndNeverReachTheEngine() {
        FirstFitEngine engine = new FirstFitEngine();
        SimulationResult r = new Simulator(engine).run(scenario(
                "nodes: [{name: n, gpus: 8, gpuMemoryMiB: 40000}]\n"
                        + "departments: [{name: d, maxGpus: 6}]\n"
                        + "projects: [{name: p, department: d, deservedGpus: 2, maxGpus: 4}, {name: q, department: d}]\n"
                        + "workloads:\n"
                        + "  - {name: too-big, project: p, gpusPerPod: 5}\n"
                        + "  - {name: ceiling, project: q, gpusPerPod: 7}\n"
                        + "  - {name: endpoint, project: p, type: inference, gpusPerPod: 3}\n"
                        + "  - {name: huge-memory, project: p, gpuMemoryMiB: 50000}\n"
                        + "  - {name: fits, project: p, type: inference, gpusPerPod: 2}\n"
                        + "observeAt: [10]\n"));
        assertThat(r.workload("too-big").reason()).isEqualTo("ProjectLimit: the admission webhook would deny pod "
                + "too-big-0: it asks for 5 GPUs, above project p's maxGpus (4)");
        assertThat(r.workload("ceiling").reason()).isEqualTo("DepartmentCeiling: the admission webhook would deny "
                + "pod ceiling-0: it asks for 7 GPUs, above department d's maxGpus (6)");
        assertThat(r.workload("endpoint").reason()).isEqualTo("NonPreemptibleOverDeserved: the admission webhook "
                + "would deny pod endpoint-0: a non-preemptible pod asks for 3 GPUs, above project p's deserved "
                + "quota (2)");
        assertThat(r.workload("huge-memory").reason()).isEqualTo("NoMatchingNode: the admission webhook would deny "
                + "pod huge-memory-0: it asks for 50000 MiB of GPU memory, more than any GPU in its pools has "
                + "(40000 MiB)");
        assertThat(r.workload("fits").state()).isEqualTo(WorkloadState.RUNNING);
        assertThat(engine.seen).allSatisfy(s -> assertThat(s.pending()).extracting(Workload::id)
                .doesNotContain("too-big", "ceiling", "endpoint", "huge-memory"));
    }

    @Test
    void theEngineSeesWorkloadsShapedAsTheWebhookWouldLeaveThem() {
        FirstFitEngine engine = new FirstFitEngine();
        new Simulator(engine).run(scenario(
                "nodes:\n"
                        + "  - {name: train, count: 2, gpus: 8}\n"
                        + "  - {name: infer, gpus: 4, labels: {runai/node-pool: inference-pool}}\n"
                        + "projects:\n"
                        + "  - {name: t, deservedGpus: 8}\n"
                        + "  - {name: i, nodePools: [{name: inference-pool, deservedGpus: 4}]}\n"
                        + "workloads:\n"
                        + "  - {name: pinned, project: t, node: train-1, gpusPerPod: 1, pods: 2, minMember: 1,\n"
                        + "     priority: 7, cpuMillis: 250, memoryMiB: 512}\n"
                        + "  - {name: serve, project: i, type: inference, gpuFraction: 0.5}\n"
                        + "observeAt: [0]\n"));
        ClusterSnapshot s = engine.seen.get(0);
        assertThat(s.nodes()).extracting(GpuNode::name).containsExactly("train-0", "train-1", "infer");
        assertThat(s.nodes()).extracting(GpuNode::pool).containsExactly("default", "default", "inference-pool");
        assertThat(s.nodes().get(0).cpuMillis()).isEqualTo(-1);
        assertThat(s.departments()).extracting(d -> d.name()).containsExactly("default");
        assertThat(s.projects()).extracting(p -> p.order()).containsExactly(0L, 1L);

        Workload pinned = s.pending().get(0);
        assertThat(pinned.id()).isEqualTo("pinned");
        assertThat(pinned.minMember()).isEqualTo(1);
        assertThat(pinned.priority()).isEqualTo(7);
        assertThat(pinned.type()).isEqualTo("train");
        assertThat(pinned.order()).isZero();
        PodRequest pod = pinned.pods().get(1);
        assertThat(pod.name()).isEqualTo("pinned-1");
        assertThat(pod.nodeSelector()).containsEntry(GpuNode.HOSTNAME_LABEL, "train-1");
        assertThat(pod.cpuMillis()).isEqualTo(250);
        assertThat(pod.memoryMiB()).isEqualTo(512);
        assertThat(pod.requiredAffinity().stream().anyMatch(t -> t.matches(s.nodes().get(0).labels()))).isTrue();
        assertThat(pod.requiredAffinity().stream().anyMatch(t -> t.matches(s.nodes().get(2).labels())))
                .as("a default-pool project's pods do not match inference-pool nodes").isFalse();

        PodRequest serve = s.pending().get(1).pods().get(0);
        assertThat(serve.requiredAffinity().stream().anyMatch(t -> t.matches(s.nodes().get(2).labels()))).isTrue();
        assertThat(serve.requiredAffinity().stream().anyMatch(t -> t.matches(s.nodes().get(0).labels()))).isFalse();
        assertThat(s.pending().get(1).preemptible()).isFalse();
    }

    private static String json(SimulationResult r) {
        StringWriter w = new StringWriter();
        ResultJsonWriter.write(r, w);
        return w.toString();
    }
}
