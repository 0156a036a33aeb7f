package io.gpuq.scheduler.engine;

import io.gpuq.scheduler.engine.model.GpuDemand;
import io.gpuq.scheduler.engine.model.GpuNode;
import io.gpuq.scheduler.engine.model.PodAllocation;
import io.gpuq.scheduler.engine.model.PodRequest;
import io.gpuq.scheduler.engine.placement.NodeState;
import io.gpuq.scheduler.engine.placement.PlacementPolicy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The mutable state of one cycle: node occupancy, queue accounts and running workloads, with the
 * operations that keep them consistent (place a gang, take and restore a victim).
 */
final class CycleState {
    /** The outcome of trying to place a gang in one pool. */
    record GangAttempt(List<PodAllocation> allocations, int placedPods, boolean noCandidates) {
        boolean success() {
            return allocations != null;
        }
    }

    final Map<String, NodeState> nodes;
    final CandidateNodes candidates;
    final QueueBook book;
    final PlacementPolicy policy;
    final Map<String, RunningEntry> running = new LinkedHashMap<>();
    private final Map<String, Long> freeByPool = new HashMap<>();
    private final Map<String, Integer> failedAtEpoch = new HashMap<>();
    private final Map<String, GangAttempt> failedAttempt = new HashMap<>();
    /** Bumped whenever capacity is released; a placement failure stays valid until then. */
    private int epoch;

    CycleState(Map<String, NodeState> nodes, QueueBook book, PlacementPolicy policy) {
        this.nodes = nodes;
        this.book = book;
        this.policy = policy;
        List<NodeState> schedulable = new ArrayList<>();
        for (NodeState n : nodes.values()) {
            GpuNode g = n.node();
            if (g.ready() && !g.unschedulable()) {
                schedulable.add(n);
                freeByPool.merge(g.pool(), n.freeMilliTotal(), Long::sum);
            }
        }
        this.candidates = new CandidateNodes(schedulable);
    }

    long freeIn(String pool) {
        return freeByPool.getOrDefault(pool, 0L);
    }

    private void applyAllocation(PodAllocation a) {
        NodeState n = nodes.get(a.node());
        n.apply(a);
        if (n.node().ready() && !n.node().unschedulable()) {
            freeByPool.merge(n.node().pool(), -a.gpuMilli(), Long::sum);
        }
    }

    private void releaseAllocation(PodAllocation a) {
        NodeState n = nodes.get(a.node());
        n.release(a);
        if (n.node().ready() && !n.node().unschedulable()) {
            freeByPool.merge(n.node().pool(), a.gpuMilli(), Long::sum);
        }
    }

    /**
     * Places every pod of the job in {@code pool}, or at least minMember of them; otherwise leaves the
     * nodes as they were. Identical shapes that failed since the last release fail at once.
     */
    GangAttempt placeGang(Job job, String pool, boolean useMemo) {
        String memoKey = job.shapeKey + '@' + pool;
        if (useMemo) {
            Integer at = failedAtEpoch.get(memoKey);
            if (at != null && at == epoch) {
                return failedAttempt.get(memoKey);
            }
        }
        Set<String> pools = Set.of(pool);
        List<PodAllocation> placed = new ArrayList<>();
        boolean noCandidates = false;
        for (PodRequest pod : job.workload.pods()) {
            List<NodeState> cands = candidates.forPod(pools, pod);
            if (cands.isEmpty()) {
                noCandidates = true;
                break;
            }
            PodAllocation a = policy.place(pod, cands);
            if (a == null) {
                break;
            }
            applyAllocation(a);
            placed.add(a);
        }
        if (placed.size() >= job.workload.minMember() && !noCandidates) {
            return new GangAttempt(placed, placed.size(), false);
        }
        for (PodAllocation a : placed) {
            releaseAllocation(a);
        }
        GangAttempt failed = new GangAttempt(null, placed.size(), noCandidates);
        failedAtEpoch.put(memoKey, epoch);
        failedAttempt.put(memoKey, failed);
        return failed;
    }

    void undoPlacement(List<PodAllocation> allocations) {
        for (PodAllocation a : allocations) {
            releaseAllocation(a);
        }
        epoch++;
    }

    /** Accounts a committed placement as running (it is not a victim candidate in this cycle). */
    RunningEntry commit(Job job, String pool, List<PodAllocation> allocations, long now) {
        long milli = 0;
        for (PodAllocation a : allocations) {
            milli += a.gpuMilli();
        }
        job.project.addAllocation(pool, milli, !job.preemptible());
        RunningEntry e = new RunningEntry(
                new io.gpuq.scheduler.engine.model.RunningWorkload(job.workload, allocations, now), pool, milli, true);
        running.put(job.id(), e);
        return e;
    }

    /** Adds an already-running workload found in the snapshot. */
    void addRunning(RunningEntry e, boolean applyToNodes) {
        running.put(e.id(), e);
        if (applyToNodes) {
            for (PodAllocation a : e.running.allocations()) {
                applyAllocation(a);
            }
        }
        QueueAccount p = book.project(e.workload().project());
        if (p != null && p.hasPool(e.pool)) {
            p.addAllocation(e.pool, e.milli, !e.workload().preemptible());
        }
    }

    /** Tentatively evicts a running workload: frees its devices and its quota. */
    void take(RunningEntry e) {
        for (PodAllocation a : e.running.allocations()) {
            if (nodes.containsKey(a.node())) {
                releaseAllocation(a);
            }
        }
        QueueAccount p = book.project(e.workload().project());
        if (p != null && p.hasPool(e.pool)) {
            p.addAllocation(e.pool, -e.milli, !e.workload().preemptible());
        }
        e.evicted = true;
        epoch++;
    }

    /** Undoes {@link #take}. */
    void restore(RunningEntry e) {
        for (PodAllocation a : e.running.allocations()) {
            if (nodes.containsKey(a.node())) {
                applyAllocation(a);
            }
        }
        QueueAccount p = book.project(e.workload().project());
        if (p != null && p.hasPool(e.pool)) {
            p.addAllocation(e.pool, e.milli, !e.workload().preemptible());
        }
        e.evicted = false;
    }

    /** Names of the nodes any pod of the job could use in {@code pool}. */
    Set<String> candidateNodeNames(Job job, String pool) {
        Set<String> names = new java.util.HashSet<>();
        for (PodRequest pod : job.workload.pods()) {
            for (NodeState n : candidates.forPod(Set.of(pool), pod)) {
                names.add(n.name());
            }
        }
        return names;
    }

    static long milliOf(GpuDemand d, long deviceMemoryMiB) {
        return d.totalMilliOn(deviceMemoryMiB);
    }
}
