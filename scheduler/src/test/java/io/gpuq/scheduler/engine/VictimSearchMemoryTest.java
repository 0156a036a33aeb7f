package io.gpuq.scheduler.engine;

import io.gpuq.scheduler.engine.model.ClusterSnapshot;
import io.gpuq.scheduler.engine.model.CycleResult;
import io.gpuq.scheduler.engine.model.DeviceShare;
import io.gpuq.scheduler.engine.model.EvictionDecision;
import io.gpuq.scheduler.engine.model.GpuDemand;
import io.gpuq.scheduler.engine.model.GpuNode;
import io.gpuq.scheduler.engine.model.PlacementDecision;
import io.gpuq.scheduler.engine.model.PodAllocation;
import io.gpuq.scheduler.engine.model.PodRequest;
import io.gpuq.scheduler.engine.model.RunningWorkload;
import io.gpuq.scheduler.engine.model.Workload;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Remembered failed victim searches: a later identical search is answered from memory only while
 * nothing happened that could let it succeed, and the decisions are those of running every search.
 */
class VictimSearchMemoryTest {
    private static final String INFERENCE = "inference";

    @Test
    void identicalFailedReclaimIsAnsweredFromMemory() {
        TestCluster c = new TestCluster();
        c.node("n1", GpuNode.DEFAULT_POOL, 2).node("n2", GpuNode.DEFAULT_POOL, 2);
        c.project("a", 2, 1).project("b", 0, 1).project("c", 2, 1);
        // b is over its deserved quota (a victim), c at it (never a victim): taking both of b's pods frees
        // one device per node, never the two devices a 2-GPU pod needs.
        running(c, "b1", "b", 50, alloc("b1-0", "n1", 0));
        running(c, "b2", "b", 50, alloc("b2-0", "n2", 0));
        running(c, "c1", "c", 50, alloc("c1-0", "n1", 1));
        running(c, "c2", "c", 50, alloc("c2-0", "n2", 1));
        c.submit("x1", "a", (String) null, 50, 1, GpuDemand.whole(2));
        c.submit("x2", "a", (String) null, 50, 1, GpuDemand.whole(2));

        Cycle remembered = cycle(c, true);
        Cycle full = cycle(c, false);

        assertThat(remembered.result.placements()).isEmpty();
        assertThat(remembered.result.evictions()).isEmpty();
        assertThat(remembered.answeredFromMemory).isEqualTo(1);
        assertThat(full.answeredFromMemory).isZero();
        assertSameDecisions(remembered.result, full.result);
    }

    @Test
    void failedReclaimIsSearchedAgainAfterAnEvictionFreesRoom() {
        TestCluster c = new TestCluster();
        c.node("n1", GpuNode.DEFAULT_POOL, 2).node("n2", INFERENCE, 1);
        c.project("a", null, Map.of(GpuNode.DEFAULT_POOL, 2.0, INFERENCE, 1.0), 1, -1);
        c.project("b", null, Map.of(GpuNode.DEFAULT_POOL, 0.0, INFERENCE, 0.0), 1, -1);
        // b0 runs in the default pool; b has a pod in each pool and is accounted in inference, so it is
        // no victim for a job of the default pool although it holds n1's second device.
        running(c, "b0", "b", 50, alloc("b0-0", "n1", 0));
        running(c, "b", "b", 50, alloc("b-0", "n2", 0), alloc("b-1", "n1", 1));
        c.submit("x1", "a", GpuNode.DEFAULT_POOL, 50, 1, GpuDemand.whole(2));
        c.submit("z", "a", INFERENCE, 50, 1, GpuDemand.whole(1));
        c.submit("x2", "a", GpuNode.DEFAULT_POOL, 50, 1, GpuDemand.whole(2));

        Cycle remembered = cycle(c, true);
        Cycle full = cycle(c, false);

        // x1 cannot get n1 (only b0 may be taken); z reclaims b, which frees n1's second device too, so
        // the same search for x2 now succeeds and must not be answered by x1's failure.
        assertThat(remembered.result.placements()).extracting(PlacementDecision::workloadId)
                .containsExactly("z", "x2");
        assertThat(remembered.result.evictions()).extracting(EvictionDecision::workloadId)
                .containsExactly("b", "b0");
        assertThat(remembered.answeredFromMemory).isZero();
        assertSameDecisions(remembered.result, full.result);
    }

    @Test
    void failedPreemptionIsSearchedAgainAfterAnEvictionFreesRoom() {
        TestCluster c = new TestCluster();
        c.node("n1", GpuNode.DEFAULT_POOL, 2).node("n2", INFERENCE, 1);
        c.project("a", null, Map.of(GpuNode.DEFAULT_POOL, 2.0, INFERENCE, 1.0), 1, -1);
        c.project("b", null, Map.of(GpuNode.DEFAULT_POOL, 0.0, INFERENCE, 0.0), 1, -1);
        running(c, "low", "a", 25, alloc("low-0", "n1", 0));
        running(c, "b", "b", 50, alloc("b-0", "n2", 0), alloc("b-1", "n1", 1));
        c.submit("x1", "a", GpuNode.DEFAULT_POOL, 50, 1, GpuDemand.whole(2));
        c.submit("z", "a", INFERENCE, 50, 1, GpuDemand.whole(1));
        c.submit("x2", "a", GpuNode.DEFAULT_POOL, 50, 1, GpuDemand.whole(2));

        Cycle remembered = cycle(c, true);
        Cycle full = cycle(c, false);

        // x1 may not reclaim (a is at its fair share in the default pool) and preempting "low" alone
        // leaves b on n1; z reclaims b, after which preempting "low" is enough for x2.
        assertThat(remembered.result.placements()).extracting(PlacementDecision::workloadId)
                .containsExactly("z", "x2");
        assertThat(remembered.result.evictions()).extracting(EvictionDecision::workloadId)
                .containsExactly("b", "low");
        assertThat(remembered.answeredFromMemory).isZero();
        assertSameDecisions(remembered.result, full.result);
    }

    @Test
    void identicalFailedPreemptionIsAnsweredFromMemoryAcrossOtherPlacements() {
        TestCluster c = new TestCluster();
        c.node("n1", GpuNode.DEFAULT_POOL, 2).node("n2", GpuNode.DEFAULT_POOL, 2).node("n3", GpuNode.DEFAULT_POOL, 1);
        c.project("a", 4, 1).project("c", 0, 1);
        // a's low-priority pods sit next to its own higher-priority ones: preempting both frees one device
        // per node. Placing "small" on n3 in between only fills a node, so x2's search must fail as x1's did.
        running(c, "low1", "a", 25, alloc("low1-0", "n1", 0));
        running(c, "high1", "a", 75, alloc("high1-0", "n1", 1));
        running(c, "low2", "a", 25, alloc("low2-0", "n2", 0));
        running(c, "high2", "a", 75, alloc("high2-0", "n2", 1));
        c.submit("x1", "a", (String) null, 50, 1, GpuDemand.whole(2));
        c.submit("small", "a", (String) null, 50, 1, GpuDemand.whole(1));
        c.submit("x2", "a", (String) null, 50, 1, GpuDemand.whole(2));

        Cycle remembered = cycle(c, true);
        Cycle full = cycle(c, false);

        assertThat(remembered.result.placements()).extracting(PlacementDecision::workloadId)
                .containsExactly("small");
        assertThat(remembered.result.evictions()).isEmpty();
        assertThat(remembered.answeredFromMemory).isEqualTo(1);
        assertSameDecisions(remembered.result, full.result);
    }

    /** Random crowded clusters with many identical pending jobs: remembering changes no decision. */
    @Test
    void rememberingFailuresChangesNoDecision() {
        int answered = 0;
        for (long seed = 0; seed < 300; seed++) {
            Random rnd = new Random(seed);
            EngineSettings settings = EngineSettings.defaults()
                    .withPolicy(new String[] {"default", "binpack", "spread"}[rnd.nextInt(3)]);
            TestCluster c = crowdedCluster(rnd, settings);
            for (int cycle = 0; cycle < 3; cycle++) {
                Cycle remembered = cycle(c, settings, true);
                Cycle full = cycle(c, settings, false);
                assertSameDecisions(remembered.result, full.result);
                answered += remembered.answeredFromMemory;
                c.cycle();
                for (int i = 0; i < 4; i++) {
                    submitRandom(c, rnd, "s" + seed + "c" + cycle + "w" + i);
                }
            }
        }
        // The scenarios do exercise the memory.
        assertThat(answered).isGreaterThan(100);
    }

    private TestCluster crowdedCluster(Random rnd, EngineSettings settings) {
        TestCluster c = new TestCluster(settings);
        int nodes = 2 + rnd.nextInt(5);
        for (int i = 0; i < nodes; i++) {
            c.node(GpuNode.simple("n" + i, rnd.nextInt(4) == 0 ? INFERENCE : GpuNode.DEFAULT_POOL, "H100",
                    81920, new int[] {2, 4, 8}[rnd.nextInt(3)], -1, -1));
        }
        c.department("d0", null, -1).department("d1", null, -1);
        int projects = 2 + rnd.nextInt(4);
        for (int p = 0; p < projects; p++) {
            c.project("p" + p, "d" + rnd.nextInt(2), Map.of(GpuNode.DEFAULT_POOL, (double) rnd.nextInt(5),
                    INFERENCE, (double) rnd.nextInt(2)), 1 + rnd.nextInt(3), -1);
        }
        for (int i = 0; i < 12 + rnd.nextInt(12); i++) {
            submitRandom(c, rnd, "w" + i);
        }
        // Fill the cluster with a first cycle, then queue up identical shapes that mostly cannot fit.
        c.cycle();
        for (int i = 0; i < 20; i++) {
            submitRandom(c, rnd, "q" + i);
        }
        return c;
    }

    private long order;

    private void submitRandom(TestCluster c, Random rnd, String id) {
        String project = "p" + rnd.nextInt((int) c.projects.size());
        int priority = new int[] {25, 50, 75, 100}[rnd.nextInt(4)];
        GpuDemand gpu = switch (rnd.nextInt(4)) {
            case 0 -> GpuDemand.fraction(new int[] {250, 500, 750}[rnd.nextInt(3)], 1);
            case 1 -> GpuDemand.memory(20480L * (1 + rnd.nextInt(2)), 1);
            default -> GpuDemand.whole(new int[] {1, 2, 4}[rnd.nextInt(3)]);
        };
        int pods = rnd.nextInt(6) == 0 ? 2 + rnd.nextInt(2) : 1;
        String pool = rnd.nextInt(6) == 0 ? INFERENCE : null;
        List<PodRequest> list = new ArrayList<>();
        for (int i = 0; i < pods; i++) {
            list.add(PodRequest.of(id + "-" + i, gpu, 0, 0));
        }
        c.pending.put(id, new Workload(id, project, pool, "train", priority, priority < 100, c.time, order++,
                pods, list));
    }

    private record Cycle(CycleResult result, int answeredFromMemory) {
    }

    /** One cycle on the cluster as it is, without applying its decisions. */
    private static Cycle cycle(TestCluster c, boolean remember) {
        return cycle(c, EngineSettings.defaults(), remember);
    }

    private static Cycle cycle(TestCluster c, EngineSettings settings, boolean remember) {
        ClusterSnapshot s = new ClusterSnapshot(c.time, c.nodes, c.departments, c.projects,
                new ArrayList<>(c.pending.values()), new ArrayList<>(c.running.values()));
        CycleRun run = new CycleRun(s, settings);
        if (!remember) {
            run.withoutSearchMemory();
        }
        CycleResult r = run.run();
        return new Cycle(r, run.searchesAnsweredFromMemory());
    }

    private static void assertSameDecisions(CycleResult a, CycleResult b) {
        assertThat(a.placements()).isEqualTo(b.placements());
        assertThat(a.evictions()).isEqualTo(b.evictions());
        assertThat(a.pendingReasons()).isEqualTo(b.pendingReasons());
        assertThat(a.projects()).isEqualTo(b.projects());
        assertThat(a.departments()).isEqualTo(b.departments());
    }

    private static PodAllocation alloc(String pod, String node, int device) {
        return new PodAllocation(pod, node, List.of(new DeviceShare(device, 1000)), 0, 0);
    }

    private static void running(TestCluster c, String id, String project, int priority, PodAllocation... pods) {
        List<PodRequest> requests = new ArrayList<>();
        for (PodAllocation a : pods) {
            requests.add(PodRequest.of(a.pod(), GpuDemand.whole(1), 0, 0));
        }
        Workload w = new Workload(id, project, null, "train", priority, priority < 100, 0, c.running.size(),
                pods.length, requests);
        c.running.put(id, new RunningWorkload(w, List.of(pods), 0));
    }
}
