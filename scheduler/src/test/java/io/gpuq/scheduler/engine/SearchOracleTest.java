package io.gpuq.scheduler.engine;

import io.gpuq.scheduler.engine.model.ClusterSnapshot;
import io.gpuq.scheduler.engine.model.CycleResult;
import io.gpuq.scheduler.engine.model.GpuDemand;
import io.gpuq.scheduler.engine.model.GpuNode;
import io.gpuq.scheduler.engine.model.PodRequest;
import io.gpuq.scheduler.engine.model.Workload;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Victim searches run as trials on a copy of the nodes, skip nodes no trial can free and let go of
 * victims whose nodes gained nothing; the straightforward search evicts tentatively and places the
 * job after every victim, then tries to put each victim back. On random crowded clusters, cycle after
 * cycle, both must make exactly the same decisions.
 */
class SearchOracleTest {
    private static final String INFERENCE = "inference";
    private static final String[] POLICIES = {"default", "binpack", "spread"};

    @Test
    void trialsDecideAsTheStepByStepSearch() {
        int trials = 0;
        int evictions = 0;
        for (long seed = 0; seed < 120; seed++) {
            Random rnd = new Random(seed);
            EngineSettings settings = EngineSettings.defaults().withPolicy(POLICIES[(int) (seed % 3)]);
            TestCluster c = crowdedCluster(rnd, settings);
            for (int cycle = 0; cycle < 3; cycle++) {
                ClusterSnapshot s = snapshot(c);
                CycleRun fast = new CycleRun(s, settings);
                CycleResult expected = new CycleRun(s, settings).withStepByStepSearches().withoutSearchMemory().run();
                CycleResult actual = fast.run();
                assertThat(actual.placements()).as("seed %d cycle %d", seed, cycle).isEqualTo(expected.placements());
                assertThat(actual.evictions()).as("seed %d cycle %d", seed, cycle).isEqualTo(expected.evictions());
                assertThat(actual.pendingReasons()).as("seed %d cycle %d", seed, cycle)
                        .isEqualTo(expected.pendingReasons());
                assertThat(actual.projects()).isEqualTo(expected.projects());
                assertThat(actual.departments()).isEqualTo(expected.departments());
                trials += fast.searchTrialsRun();
                evictions += actual.evictions().size();
                c.cycle();
                if (cycle == 0) {
                    cordonSome(c, rnd);
                }
                for (int i = 0; i < 6; i++) {
                    submitRandom(c, rnd, "s" + seed + "c" + cycle + "w" + i);
                }
            }
        }
        // The scenarios do run trials, and trials that evict.
        assertThat(trials).isGreaterThan(1000);
        assertThat(evictions).isGreaterThan(300);
    }

    private static ClusterSnapshot snapshot(TestCluster c) {
        return new ClusterSnapshot(c.time, c.nodes, c.departments, c.projects, new ArrayList<>(c.pending.values()),
                new ArrayList<>(c.running.values()));
    }

    /** Mixed nodes (pools, device memory, CPU and memory limits, a label some pods select) filled by a first cycle. */
    private TestCluster crowdedCluster(Random rnd, EngineSettings settings) {
        TestCluster c = new TestCluster(settings);
        int nodes = 3 + rnd.nextInt(8);
        for (int i = 0; i < nodes; i++) {
            String pool = rnd.nextInt(4) == 0 ? INFERENCE : GpuNode.DEFAULT_POOL;
            long deviceMemory = rnd.nextBoolean() ? 81920 : 40960;
            long cpu = rnd.nextInt(3) == 0 ? 16_000 + rnd.nextInt(16) * 1000L : -1;
            long memory = rnd.nextInt(3) == 0 ? 65_536 + rnd.nextInt(8) * 8192L : -1;
            Map<String, String> labels = rnd.nextBoolean() ? Map.of("tier", "fast") : Map.of();
            c.node(new GpuNode("n" + i, pool, "H100", deviceMemory, new int[] {2, 4, 8, 8}[rnd.nextInt(4)], cpu,
                    memory, "", labels, List.of(), true, false));
        }
        int departments = 1 + rnd.nextInt(3);
        for (int d = 0; d < departments; d++) {
            c.department("d" + d, null, rnd.nextInt(4) == 0 ? 4 + rnd.nextInt(12) : -1);
        }
        int projects = 3 + rnd.nextInt(5);
        for (int p = 0; p < projects; p++) {
            Map<String, Double> pools = new HashMap<>();
            pools.put(GpuNode.DEFAULT_POOL, (double) rnd.nextInt(7));
            if (rnd.nextInt(3) == 0) {
                pools.put(INFERENCE, (double) rnd.nextInt(3));
            }
            c.project("p" + p, "d" + rnd.nextInt(departments), pools, 1 + rnd.nextInt(3),
                    rnd.nextInt(6) == 0 ? 6 + rnd.nextInt(10) : -1);
        }
        for (int i = 0; i < 30 + rnd.nextInt(30); i++) {
            submitRandom(c, rnd, "w" + i);
        }
        c.cycle();
        for (int i = 0; i < 25; i++) {
            submitRandom(c, rnd, "q" + i);
        }
        return c;
    }

    /** Marks a node unschedulable or not ready now and then, with its pods still on it. */
    private static void cordonSome(TestCluster c, Random rnd) {
        for (int i = 0; i < c.nodes.size(); i++) {
            GpuNode n = c.nodes.get(i);
            if (rnd.nextInt(6) == 0) {
                // Either cordoned (ready but unschedulable) or not ready.
                boolean cordoned = rnd.nextBoolean();
                c.nodes.set(i, new GpuNode(n.name(), n.pool(), n.gpuModel(), n.gpuMemoryMiB(), n.gpuCount(),
                        n.cpuMillis(), n.memoryMiB(), n.capacityType(), n.labels(), n.taints(), cordoned, cordoned));
            }
        }
    }

    private long order;

    private void submitRandom(TestCluster c, Random rnd, String id) {
        String project = "p" + rnd.nextInt(c.projects.size());
        int priority = new int[] {25, 50, 50, 75, 100, 125}[rnd.nextInt(6)];
        GpuDemand gpu = switch (rnd.nextInt(7)) {
            case 0, 1 -> GpuDemand.fraction(new int[] {250, 500, 750}[rnd.nextInt(3)], 1);
            case 2 -> GpuDemand.memory(20480L * (1 + rnd.nextInt(2)), 1);
            case 3 -> GpuDemand.fraction(500, 2);
            default -> GpuDemand.whole(new int[] {1, 1, 2, 4, 8}[rnd.nextInt(5)]);
        };
        boolean gang = rnd.nextInt(5) == 0;
        int pods = gang ? 2 + rnd.nextInt(3) : 1;
        int minMember = gang && rnd.nextBoolean() ? pods - 1 : pods;
        long cpu = rnd.nextInt(3) == 0 ? 2000L * (1 + rnd.nextInt(4)) : 0;
        long memory = rnd.nextInt(3) == 0 ? 8192L * (1 + rnd.nextInt(4)) : 0;
        boolean selective = rnd.nextInt(6) == 0;
        String pool = rnd.nextInt(6) == 0 ? INFERENCE : null;
        List<PodRequest> list = new ArrayList<>();
        for (int i = 0; i < pods; i++) {
            // A gang whose pods differ (one selects fast nodes) has no single candidate list.
            boolean select = selective && (i == 0 || rnd.nextBoolean());
            list.add(new PodRequest(id + "-" + i, gpu, cpu, memory, select ? Map.of("tier", "fast") : Map.of(),
                    List.of(), List.of()));
        }
        c.pending.put(id, new Workload(id, project, pool, "train", priority, priority < 100, c.time, order++,
                minMember, list));
    }
}
