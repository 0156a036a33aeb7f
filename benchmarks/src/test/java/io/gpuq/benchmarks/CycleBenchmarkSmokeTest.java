package io.gpuq.benchmarks;

import io.gpuq.scheduler.engine.EngineSettings;
import io.gpuq.scheduler.engine.SchedulingEngine;
import io.gpuq.scheduler.engine.model.ClusterSnapshot;
import io.gpuq.scheduler.engine.model.CycleResult;
import io.gpuq.scheduler.engine.model.GpuDemand;
import io.gpuq.scheduler.engine.model.PodRequest;
import io.gpuq.scheduler.engine.model.Workload;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The generator and the engine at 20 nodes: fast, and enough to catch a broken harness. */
class CycleBenchmarkSmokeTest {
    private static final int NODES = 20;

    private final SchedulingEngine engine = new SchedulingEngine(EngineSettings.defaults());

    @Test
    void emptyClusterCyclePlacesWorkWithinDeviceLimits() {
        WorkloadGenerator gen = new WorkloadGenerator(7, NODES);
        ClusterSnapshot snapshot = gen.emptyCluster(1_000, NODES * WorkloadGenerator.PENDING_PODS_PER_NODE);

        CycleResult result = engine.cycle(snapshot);

        assertThat(result.placements()).isNotEmpty();
        assertThat(result.evictions()).isEmpty();
        assertThat(Invariants.violations(snapshot, result)).isEmpty();
    }

    @Test
    void nextCycleAndLoadedClusterKeepTheInvariants() {
        WorkloadGenerator gen = new WorkloadGenerator(11, NODES);
        ClusterSnapshot first = gen.emptyCluster(1_000, NODES * WorkloadGenerator.PENDING_PODS_PER_NODE);
        CycleResult firstResult = engine.cycle(first);
        ClusterSnapshot next = gen.nextCycle(first, firstResult, 1_060, NODES * 2);

        assertThat(next.running()).hasSize(firstResult.placements().size());
        CycleResult nextResult = engine.cycle(next);
        assertThat(Invariants.violations(next, nextResult)).isEmpty();

        ClusterSnapshot loaded = new WorkloadGenerator(11, NODES).loadedCluster(2_000, NODES * 20, NODES * 10);
        assertThat(Invariants.violations(loaded, new CycleResult(List.of(), List.of(), Map.of(),
                Map.of(), Map.of()))).as("the generated running set itself").isEmpty();
        CycleResult loadedResult = engine.cycle(loaded);
        assertThat(loadedResult.placements()).isNotEmpty();
        assertThat(Invariants.violations(loaded, loadedResult)).isEmpty();
    }

    @Test
    void generatorIsDeterministicAndFollowsTheMix() {
        List<Workload> a = new WorkloadGenerator(3, NODES).emptyCluster(1_000, 4_000).pending();
        List<Workload> b = new WorkloadGenerator(3, NODES).emptyCluster(1_000, 4_000).pending();
        assertThat(a).isEqualTo(b);

        int pods = 0;
        int fractional = 0;
        int inGangs = 0;
        for (Workload w : a) {
            pods += w.pods().size();
            if (w.isGang()) {
                inGangs += w.pods().size();
            }
            for (PodRequest p : w.pods()) {
                if (p.gpu().kind() == GpuDemand.Kind.FRACTION || p.gpu().kind() == GpuDemand.Kind.MEMORY) {
                    fractional++;
                }
            }
            if (!w.preemptible()) {
                assertThat(w.pods()).hasSize(1);
                assertThat(w.pods().get(0).gpu().totalMilliOn(WorkloadGenerator.GPU_MEMORY_MIB))
                        .isLessThanOrEqualTo(GpuDemand.MILLI);
            }
        }
        assertThat(pods).isEqualTo(4_000);
        assertThat(fractional).isEqualTo(1_600);
        assertThat(inGangs).isEqualTo(400);
    }

    @Test
    void optionsParse() {
        CycleBenchmark.Options o = CycleBenchmark.Options.parse(new String[] {
                "--quick", "--runs=4", "--scenarios", "empty,scaling", "--sizes=100,200", "--out", "x.json"});
        assertThat(o.warmup()).isEqualTo(1);
        assertThat(o.runs()).isEqualTo(4);
        assertThat(o.scenarios()).containsExactly("empty", "scaling");
        assertThat(o.sizes()).containsExactly(100, 200);
        assertThat(o.out()).isEqualTo(Path.of("x.json"));
        assertThatThrownBy(() -> CycleBenchmark.Options.parse(new String[] {"--runs", "0"}))
                .isInstanceOf(CycleBenchmark.UsageException.class);
        assertThatThrownBy(() -> CycleBenchmark.Options.parse(new String[] {"--scenarios", "nope"}))
                .isInstanceOf(CycleBenchmark.UsageException.class);
    }
}
