package io.gpuq.scheduler.engine.placement;

import io.gpuq.scheduler.engine.model.GpuDemand;
import io.gpuq.scheduler.engine.model.GpuNode;
import io.gpuq.scheduler.engine.model.NodeSelectorRequirement;
import io.gpuq.scheduler.engine.model.NodeSelectorTerm;
import io.gpuq.scheduler.engine.model.PodAllocation;
import io.gpuq.scheduler.engine.model.PodRequest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Nodes that log their changes in a journal are placed on through per-shape rankings that replay only
 * the changed nodes; nodes without one are scanned in full. Twin clusters, one of each kind, placed on
 * and changed alike, must get exactly the same choices from every policy.
 */
class RankedPlacementTest {
    private static final String[] POLICIES = {"default", "binpack", "spread"};

    @Test
    void rankedChoicesEqualAFullScan() {
        int placed = 0;
        for (long seed = 0; seed < 150; seed++) {
            Random rnd = new Random(seed);
            List<GpuNode> specs = nodes(rnd);
            // A short journal wraps around often, which makes the rankings rebuild from scratch.
            NodeJournal journal = rnd.nextBoolean() ? new NodeJournal(specs.size())
                    : new NodeJournal(specs.size(), 1 + rnd.nextInt(8));
            List<NodeState> logged = new ArrayList<>();
            List<NodeState> plain = new ArrayList<>();
            for (int i = 0; i < specs.size(); i++) {
                logged.add(new NodeState(specs.get(i), journal, i));
                plain.add(new NodeState(specs.get(i)));
            }
            List<PodRequest> sample = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                sample.add(pod(rnd, "sample" + i));
            }
            String name = POLICIES[(int) (seed % 3)];
            PlacementPolicy ranked = PlacementPolicies.create(name, sample);
            PlacementPolicy scanning = PlacementPolicies.create(name, sample);
            List<List<NodeState>> loggedLists = List.of(CandidateList.of(logged), CandidateList.of(fast(logged)));
            List<List<NodeState>> plainLists = List.of(plain, fast(plain));
            List<PodAllocation> running = new ArrayList<>();
            for (int step = 0; step < 250; step++) {
                int action = rnd.nextInt(10);
                if (action == 0 && !running.isEmpty()) {
                    PodAllocation a = running.remove(rnd.nextInt(running.size()));
                    byName(logged, a.node()).release(a);
                    byName(plain, a.node()).release(a);
                    continue;
                }
                if (action == 1) {
                    int i = rnd.nextInt(specs.size());
                    long cpu = 500L * rnd.nextInt(4);
                    logged.get(i).reserveForeign(cpu, 0);
                    plain.get(i).reserveForeign(cpu, 0);
                    continue;
                }
                PodRequest pod = pod(rnd, "s" + seed + "p" + step);
                int list = pod.nodeSelector().isEmpty() ? 0 : 1;
                PodAllocation expected = scanning.place(pod, plainLists.get(list));
                PodAllocation actual = ranked.place(pod, loggedLists.get(list));
                assertThat(actual).as("%s, seed %d, step %d, %s", name, seed, step, pod).isEqualTo(expected);
                if (actual != null) {
                    byName(logged, actual.node()).apply(actual);
                    byName(plain, actual.node()).apply(actual);
                    running.add(actual);
                    placed++;
                }
            }
        }
        assertThat(placed).isGreaterThan(10_000);
    }

    @Test
    void aNodeOutsideItsJournalIsRefused() {
        NodeJournal journal = new NodeJournal(2);
        GpuNode spec = GpuNode.simple("a", "default", "H100", 81_920, 8, -1, -1);

        assertThatThrownBy(() -> new NodeState(spec, journal, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("node id 2 of a is outside the journal's 0..1");
    }

    @Test
    void candidateListsRefuseNullNodes() {
        List<NodeState> nodes = new ArrayList<>();
        nodes.add(null);

        assertThatThrownBy(() -> CandidateList.of(nodes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("candidate 0 is null");
    }

    private static List<GpuNode> nodes(Random rnd) {
        List<GpuNode> out = new ArrayList<>();
        int count = 2 + rnd.nextInt(30);
        for (int i = 0; i < count; i++) {
            String model = rnd.nextBoolean() ? "H100" : "A100";
            long deviceMemory = model.equals("H100") ? 81_920 : 40_960;
            long cpu = rnd.nextBoolean() ? 32_000 : -1;
            long memory = rnd.nextBoolean() ? 262_144 : -1;
            Map<String, String> labels = rnd.nextBoolean()
                    ? Map.of("tier", "fast", Fixtures.MODEL_LABEL, model) : Map.of(Fixtures.MODEL_LABEL, model);
            out.add(new GpuNode("n" + i, "default", model, deviceMemory, new int[] {0, 1, 2, 4, 8}[rnd.nextInt(5)],
                    cpu, memory, "", labels, List.of(), true, false));
        }
        return out;
    }

    private static List<NodeState> fast(List<NodeState> nodes) {
        List<NodeState> out = new ArrayList<>();
        for (NodeState n : nodes) {
            if ("fast".equals(n.node().labels().get("tier"))) {
                out.add(n);
            }
        }
        return out;
    }

    private static PodRequest pod(Random rnd, String name) {
        GpuDemand gpu = switch (rnd.nextInt(8)) {
            case 0 -> GpuDemand.none();
            case 1, 2 -> GpuDemand.fraction(new int[] {250, 300, 500, 750}[rnd.nextInt(4)], 1);
            case 3 -> GpuDemand.memory(10_240L * (1 + rnd.nextInt(4)), 1);
            case 4 -> GpuDemand.fraction(500, 2);
            default -> GpuDemand.whole(new int[] {1, 1, 2, 4, 8}[rnd.nextInt(5)]);
        };
        long cpu = 1000L * rnd.nextInt(6);
        long memory = 16_384L * rnd.nextInt(4);
        Map<String, String> selector = rnd.nextInt(4) == 0 ? Map.of("tier", "fast") : Map.of();
        // Affinity only shapes the default policy's demand view; candidates come from the selector.
        List<NodeSelectorTerm> affinity = rnd.nextInt(5) == 0
                ? List.of(new NodeSelectorTerm(List.of(new NodeSelectorRequirement(Fixtures.MODEL_LABEL, "In",
                List.of("H100", "A100"))))) : List.of();
        return new PodRequest(name, gpu, cpu, memory, selector, affinity, List.of());
    }

    private static NodeState byName(List<NodeState> nodes, String name) {
        for (NodeState n : nodes) {
            if (n.name().equals(name)) {
                return n;
            }
        }
        throw new AssertionError("no node " + name);
    }
}
