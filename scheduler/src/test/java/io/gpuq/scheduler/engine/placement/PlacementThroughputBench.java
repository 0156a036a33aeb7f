package io.gpuq.scheduler.engine.placement;

import io.gpuq.scheduler.engine.model.GpuDemand;
import io.gpuq.scheduler.engine.model.GpuNode;
import io.gpuq.scheduler.engine.model.PodAllocation;
import io.gpuq.scheduler.engine.model.PodRequest;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine's worst case for placement: 20,000 pods against 1,000 candidate nodes in one cycle,
 * which has a budget of one second on two cores. Timing depends on the machine, so this runs only
 * on request: {@code mvn -pl scheduler test -Dtest=PlacementThroughputBench -Dgpuq.bench=true}.
 */
@EnabledIfSystemProperty(named = "gpuq.bench", matches = "true")
class PlacementThroughputBench {
    private static final int NODES = 1_000;
    private static final int PODS = 20_000;

    @ParameterizedTest(name = "{0} with {1} pod shapes")
    @CsvSource({"default, 8", "default, 60", "binpack, 8", "spread, 8"})
    void twentyThousandPodsOnAThousandNodesFitTheCycleBudget(String policyName, int shapes) {
        List<PodRequest> pods = pods(shapes, new Random(1));
        long best = Long.MAX_VALUE;
        int placed = 0;
        for (int round = 0; round < 3; round++) {
            List<NodeState> nodes = nodes();
            Map<String, NodeState> byName = new HashMap<>();
            nodes.forEach(n -> byName.put(n.name(), n));
            PlacementPolicy policy = PlacementPolicies.create(policyName, pods);
            long start = System.nanoTime();
            placed = 0;
            for (PodRequest pod : pods) {
                PodAllocation a = policy.place(pod, nodes);
                if (a != null) {
                    byName.get(a.node()).apply(a);
                    placed++;
                }
            }
            best = Math.min(best, System.nanoTime() - start);
        }
        double micros = best / 1e3 / PODS;
        System.out.printf("%s, %d shapes: %.1f us per pod, %d of %d placed, %.0f ms per cycle%n",
                policyName, shapes, micros, placed, PODS, best / 1e6);
        assertThat(placed).as("the cluster fills up along the way").isGreaterThan(PODS / 4);
        assertThat(best / 1e9).as("seconds for one cycle's placements").isLessThan(1.0);
    }

    private static List<NodeState> nodes() {
        List<NodeState> out = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            int gpus = i % 4 == 0 ? 4 : 8;
            out.add(new NodeState(GpuNode.simple("n" + i, "default", "A100", 81_920, gpus, 128_000, 1_048_576)));
        }
        return out;
    }

    private static List<PodRequest> pods(int shapes, Random random) {
        List<PodRequest> kinds = new ArrayList<>();
        for (int s = 0; s < shapes; s++) {
            GpuDemand g;
            switch (s % 4) {
                case 0:
                    g = GpuDemand.whole(1 << (s / 4 % 4));
                    break;
                case 1:
                    g = GpuDemand.fraction(100 + 37 * s % 850, 1);
                    break;
                case 2:
                    g = GpuDemand.memory(10_000 + 1_000 * s, 1);
                    break;
                default:
                    g = s % 8 == 3 ? GpuDemand.none() : GpuDemand.fraction(250, 2);
            }
            kinds.add(PodRequest.of("k" + s, g, 2_000 + 500L * (s % 7), 8_000));
        }
        List<PodRequest> out = new ArrayList<>();
        for (int i = 0; i < PODS; i++) {
            PodRequest k = kinds.get(random.nextInt(kinds.size()));
            out.add(PodRequest.of("p" + i, k.gpu(), k.cpuMillis(), k.memoryMiB()));
        }
        return out;
    }
}
