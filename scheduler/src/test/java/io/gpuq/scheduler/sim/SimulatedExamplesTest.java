package io.gpuq.scheduler.sim;

import io.gpuq.scheduler.engine.EngineSettings;
import io.gpuq.scheduler.engine.model.PodAllocation;
import io.gpuq.scheduler.engine.model.QueueStatus;
import io.gpuq.scheduler.sim.scenario.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.StringWriter;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example scenarios through the real scheduling engine: what each file's comments promise a
 * reader is what the simulation shows.
 */
class SimulatedExamplesTest {
    private static final Simulator SIMULATOR = Simulator.withEngine(EngineSettings.defaults());

    private static SimulationResult run(String file) {
        return SIMULATOR.run(Examples.load(file));
    }

    private static double allocated(Observation o, String project) {
        return o.projects().get(project).allocatedGpus();
    }

    private static List<SimEvent> events(SimulationResult r, SimEvent.Type type, long time) {
        return r.events().stream().filter(e -> e.type() == type && e.time() == time).toList();
    }

    @Test
    void seedTeamTrainingAloneBorrowsAll16() {
        Observation t30 = run("seed-16gpu.yaml").snapshotAt(30);
        assertThat(allocated(t30, "team-training")).isEqualTo(16.0);
        assertThat(t30.projects().get("team-training").deservedGpus()).isEqualTo(8.0);
        assertThat(t30.workloads().values()).extracting(WorkloadView::state).containsOnly(WorkloadState.RUNNING);
    }

    @Test
    void seedTeamInferenceReclaimsExactlyFourGpusFromTeamTrainingsNewestWork() {
        SimulationResult r = run("seed-16gpu.yaml");
        List<SimEvent> evicted = events(r, SimEvent.Type.Evicted, 60);
        assertThat(evicted).extracting(SimEvent::workload).containsExactlyInAnyOrder("train-e", "train-d");
        assertThat(evicted).allSatisfy(e -> assertThat(e.details()).contains("team-inference"));
        double evictedGpus = r.snapshotAt(30).workloads().entrySet().stream()
                .filter(e -> evicted.stream().anyMatch(v -> v.workload().equals(e.getKey())))
                .flatMap(e -> e.getValue().placement().stream())
                .mapToLong(PodAllocation::gpuMilli).sum() / 1000.0;
        assertThat(evictedGpus).isEqualTo(4.0);

        Observation t60 = r.snapshotAt(60);
        assertThat(allocated(t60, "team-training")).isEqualTo(12.0);
        assertThat(allocated(t60, "team-inference")).isEqualTo(4.0);
        assertThat(t60.workloads().get("serve-llm").state()).isEqualTo(WorkloadState.RUNNING);
        assertThat(t60.workloads().get("eval-sweep").state()).isEqualTo(WorkloadState.RUNNING);
        assertThat(t60.workloads().get("train-d").state()).isEqualTo(WorkloadState.PENDING);
        assertThat(r.workload("train-e").evictions()).isEqualTo(1);
    }

    @Test
    void seedFractionalPairSharesOneDevice() {
        List<PodAllocation> pair = run("seed-16gpu.yaml").snapshotAt(120).workloads().get("chat-small").placement();
        assertThat(pair).hasSize(2);
        assertThat(pair).extracting(PodAllocation::node).containsOnly(pair.get(0).node());
        assertThat(pair).allSatisfy(p -> {
            assertThat(p.devices()).hasSize(1);
            assertThat(p.devices().get(0).fraction()).isEqualTo(0.5);
            assertThat(p.devices().get(0).index()).isEqualTo(pair.get(0).devices().get(0).index());
        });
    }

    @Test
    void seedFairSharesAre9_5_2WhenAllThreeAskForEverything() {
        SimulationResult r = run("seed-16gpu.yaml");
        for (long t : new long[] {180, 240}) {
            Observation o = r.snapshotAt(t);
            for (String p : List.of("team-training", "team-inference", "team-research")) {
                QueueStatus q = o.projects().get(p);
                assertThat(q.allocatedGpus() + q.pendingGpus()).as(p + " asks for more than it deserves")
                        .isGreaterThan(q.deservedGpus());
            }
            assertThat(o.projects().get("team-training").fairShareGpus()).isEqualTo(9.0);
            assertThat(o.projects().get("team-inference").fairShareGpus()).isEqualTo(5.0);
            assertThat(o.projects().get("team-research").fairShareGpus()).isEqualTo(2.0);
        }
        Observation t240 = r.snapshotAt(240);
        assertThat(allocated(t240, "team-research")).isEqualTo(2.0);
        assertThat(r.workload("research-b").state()).isEqualTo(WorkloadState.PENDING);
        assertThat(r.workload("research-b").reason()).startsWith("OverQuota: ");
    }

    @Test
    void nodePoolsTrainingNeverLandsOnTheInferencePool() {
        Scenario s = Examples.load("seed-node-pools.yaml");
        Set<String> inferenceNodes = Set.of("h100-infer-0");
        SimulationResult r = SIMULATOR.run(Examples.observedAt(s, 0L, 1L, 30L, 60L, 61L, 120L, 121L, 180L));
        for (Observation o : r.snapshots()) {
            for (var w : o.workloads().entrySet()) {
                String project = s.workloads().stream().filter(x -> x.name().equals(w.getKey())).findFirst()
                        .orElseThrow().project();
                Set<String> nodes = w.getValue().placement().stream().map(PodAllocation::node)
                        .collect(Collectors.toSet());
                if (project.equals("team-inference")) {
                    assertThat(nodes).as("t=" + o.time() + " " + w.getKey()).isSubsetOf(inferenceNodes);
                } else {
                    assertThat(nodes).as("t=" + o.time() + " " + w.getKey()).doesNotContainAnyElementsOf(inferenceNodes);
                }
            }
        }
        Observation t0 = r.snapshotAt(0);
        assertThat(allocated(t0, "team-training")).isEqualTo(16.0);
        assertThat(t0.projects().get("team-training").pendingWorkloads()).isEqualTo(2);
        assertThat(allocated(t0, "team-inference")).as("its pool idles rather than serve training").isZero();
        Observation t60 = r.snapshotAt(60);
        assertThat(t60.workloads().get("serve-llm").state()).isEqualTo(WorkloadState.RUNNING);
        assertThat(t60.workloads().get("chat-small").state()).isEqualTo(WorkloadState.RUNNING);
        assertThat(events(r, SimEvent.Type.Evicted, 60)).as("inference needed no evictions in its own pool").isEmpty();
        assertThat(t60.projects().get("team-inference").pools()).containsOnlyKeys("inference-pool");
        assertThat(r.workload("research-a").state()).isEqualTo(WorkloadState.RUNNING);
    }

    @Test
    void gangWaitsForTheFourthNodeThenStartsAllPodsInOneCycle() {
        SimulationResult r = run("gang-training.yaml");
        for (long t : new long[] {60, 600}) {
            WorkloadView fsdp = r.snapshotAt(t).workloads().get("fsdp-4node");
            assertThat(fsdp.state()).as("t=" + t).isEqualTo(WorkloadState.PENDING);
            assertThat(fsdp.placement()).isEmpty();
        }
        assertThat(allocated(r.snapshotAt(600), "team-training")).as("two nodes idle, still not four").isEqualTo(16.0);

        List<SimEvent> starts = r.events().stream()
                .filter(e -> e.type() == SimEvent.Type.Started && e.workload().equals("fsdp-4node")).toList();
        assertThat(starts).hasSize(1);
        assertThat(starts.get(0).time()).isEqualTo(1200);
        assertThat(r.events()).filteredOn(e -> e.type() == SimEvent.Type.Completed && e.time() == 1200)
                .extracting(SimEvent::workload).containsExactly("ddp-2node");
        List<PodAllocation> pods = r.snapshotAt(1200).workloads().get("fsdp-4node").placement();
        assertThat(pods).extracting(PodAllocation::pod)
                .containsExactly("fsdp-4node-0", "fsdp-4node-1", "fsdp-4node-2", "fsdp-4node-3");
        assertThat(pods).extracting(PodAllocation::node).doesNotHaveDuplicates();
        assertThat(pods).allSatisfy(p -> assertThat(p.gpuMilli()).isEqualTo(8000));

        assertThat(r.snapshotAt(1500).workloads().get("ddp-2x4").state()).isEqualTo(WorkloadState.PENDING);
        assertThat(r.workload("ddp-2x4").startedAt()).isEqualTo(4800);
        assertThat(r.workload("fsdp-4node").waitSeconds()).isEqualTo(1140);
        assertThat(r.workloads()).extracting(WorkloadOutcome::state).containsOnly(WorkloadState.COMPLETED);
    }

    @Test
    void gangCostIsExact() {
        ProjectCost c = run("gang-training.yaml").cost().get("team-training");
        assertThat(c.gpuHours()).isEqualByComparingTo("40");
        assertThat(c.amount()).isEqualByComparingTo("160");
        assertThat(c.currency()).isEqualTo("USD");
    }

    @Test
    void departmentCeilingHoldsWhileGpusIdle() {
        Scenario s = Examples.load("departments.yaml");
        SimulationResult atStart = SIMULATOR.run(Examples.observedAt(s, 0L));
        Observation t0 = atStart.snapshotAt(0);
        assertThat(t0.departments().get("research").allocatedGpus()).isEqualTo(8.0);
        assertThat(t0.departments().get("product").allocatedGpus()).isZero();
        assertThat(atStart.workloads()).filteredOn(w -> w.state() == WorkloadState.PENDING).isNotEmpty()
                .allSatisfy(w -> assertThat(w.reason()).startsWith("DepartmentCeiling: "));

        SimulationResult r = SIMULATOR.run(s);
        assertThat(r.snapshots()).allSatisfy(o ->
                assertThat(o.departments().get("research").allocatedGpus()).isLessThanOrEqualTo(8.0));
    }

    @Test
    void departmentsShareFirstThenTheirProjects() {
        SimulationResult r = run("departments.yaml");
        Observation t100 = r.snapshotAt(100);
        assertThat(t100.departments().get("research").fairShareGpus()).isEqualTo(4.0);
        assertThat(t100.departments().get("product").fairShareGpus()).isEqualTo(12.0);
        assertThat(t100.projects().get("serving").fairShareGpus() + t100.projects().get("batch").fairShareGpus())
                .isEqualTo(12.0);
        assertThat(events(r, SimEvent.Type.Evicted, 100)).isNotEmpty()
                .allSatisfy(e -> assertThat(List.of("nlp", "vision"))
                        .contains(r.workload(e.workload()).project()));
    }

    @Test
    void nonPreemptibleWorkAboveDeservedStaysPendingWithItsReason() {
        SimulationResult r = run("departments.yaml");
        WorkloadOutcome serveB = r.workload("serve-b");
        assertThat(serveB.state()).isEqualTo(WorkloadState.PENDING);
        assertThat(serveB.reason()).startsWith("NonPreemptibleOverDeserved: ");
        Observation t300 = r.snapshotAt(300);
        assertThat(t300.projects().get("serving").allocatedNonPreemptibleGpus())
                .isLessThanOrEqualTo(t300.projects().get("serving").deservedGpus());
        assertThat(r.workload("serve-xl").reason())
                .startsWith("NonPreemptibleOverDeserved: the admission webhook would deny pod serve-xl-0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"seed-16gpu.yaml", "seed-node-pools.yaml", "gang-training.yaml", "departments.yaml"})
    void skippingIdleCyclesChangesNothing(String file) {
        Scenario s = Examples.load(file);
        assertThat(json(SIMULATOR.run(s))).isEqualTo(json(SIMULATOR.everyCycle().run(s)));
    }

    private static String json(SimulationResult r) {
        StringWriter w = new StringWriter();
        ResultJsonWriter.write(r, w);
        return w.toString();
    }
}
