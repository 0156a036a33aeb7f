package io.gpuq.benchmarks;

import io.gpuq.scheduler.engine.model.ClusterSnapshot;
import io.gpuq.scheduler.engine.model.CycleResult;
import io.gpuq.scheduler.engine.model.DeviceShare;
import io.gpuq.scheduler.engine.model.EvictionDecision;
import io.gpuq.scheduler.engine.model.GpuDemand;
import io.gpuq.scheduler.engine.model.GpuNode;
import io.gpuq.scheduler.engine.model.PlacementDecision;
import io.gpuq.scheduler.engine.model.PodAllocation;
import io.gpuq.scheduler.engine.model.RunningWorkload;
import io.gpuq.scheduler.engine.model.Workload;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a cycle's decisions against the cluster they were made for, independently of the engine's
 * own bookkeeping: a timing is only worth reporting if the cycle it timed produced a valid schedule.
 */
public final class Invariants {
    private Invariants() {
    }

    private static final class NodeUse {
        final GpuNode node;
        final int[] milli;
        final int[] wholeHolders;
        final int[] sharers;
        long cpu;
        long memory;

        NodeUse(GpuNode node) {
            this.node = node;
            this.milli = new int[node.gpuCount()];
            this.wholeHolders = new int[node.gpuCount()];
            this.sharers = new int[node.gpuCount()];
        }
    }

    /** Every violated rule, one line each; empty when the decisions are consistent. */
    public static List<String> violations(ClusterSnapshot snapshot, CycleResult result) {
        List<String> out = new ArrayList<>();
        Map<String, NodeUse> nodes = new HashMap<>();
        for (GpuNode n : snapshot.nodes()) {
            nodes.put(n.name(), new NodeUse(n));
        }
        Set<String> evicted = new HashSet<>();
        Set<String> runningIds = new HashSet<>();
        for (RunningWorkload r : snapshot.running()) {
            runningIds.add(r.workload().id());
        }
        for (EvictionDecision e : result.evictions()) {
            if (!runningIds.contains(e.workloadId())) {
                out.add("eviction of " + e.workloadId() + ", which is not running");
            }
            if (!evicted.add(e.workloadId())) {
                out.add("workload " + e.workloadId() + " evicted twice");
            }
        }
        for (RunningWorkload r : snapshot.running()) {
            if (!evicted.contains(r.workload().id())) {
                for (PodAllocation a : r.allocations()) {
                    use(nodes, a, r.workload().id(), out);
                }
            }
        }
        Map<String, Workload> pending = new HashMap<>();
        for (Workload w : snapshot.pending()) {
            pending.put(w.id(), w);
        }
        Set<String> placed = new HashSet<>();
        for (PlacementDecision d : result.placements()) {
            Workload w = pending.get(d.workloadId());
            if (w == null) {
                out.add("placement of " + d.workloadId() + ", which is not pending");
                continue;
            }
            if (!placed.add(d.workloadId())) {
                out.add("workload " + d.workloadId() + " placed twice");
            }
            if (d.pods().size() < w.minMember()) {
                out.add("gang " + w.id() + " placed with " + d.pods().size() + " of minMember " + w.minMember());
            }
            for (PodAllocation a : d.pods()) {
                NodeUse n = nodes.get(a.node());
                if (n != null && (!n.node.ready() || n.node.unschedulable())) {
                    out.add("pod " + a.pod() + " placed on unschedulable node " + a.node());
                }
                use(nodes, a, w.id(), out);
            }
            if (result.pendingReasons().containsKey(w.id())) {
                out.add("workload " + w.id() + " is both placed and pending");
            }
        }
        for (NodeUse n : nodes.values()) {
            for (int d = 0; d < n.milli.length; d++) {
                if (n.milli[d] > GpuDemand.MILLI) {
                    out.add("node " + n.node.name() + " device " + d + " holds " + n.milli[d] + " milli");
                }
                if (n.wholeHolders[d] > 1 || (n.wholeHolders[d] == 1 && n.sharers[d] > 0)) {
                    out.add("node " + n.node.name() + " device " + d + " is held whole and shared");
                }
            }
            if (n.node.cpuMillis() >= 0 && n.cpu > n.node.cpuMillis()) {
                out.add("node " + n.node.name() + " CPU over capacity: " + n.cpu + " > " + n.node.cpuMillis());
            }
            if (n.node.memoryMiB() >= 0 && n.memory > n.node.memoryMiB()) {
                out.add("node " + n.node.name() + " memory over capacity: " + n.memory + " > "
                        + n.node.memoryMiB());
            }
        }
        return out;
    }

    private static void use(Map<String, NodeUse> nodes, PodAllocation a, String workload, List<String> out) {
        NodeUse n = nodes.get(a.node());
        if (n == null) {
            out.add("workload " + workload + " uses unknown node " + a.node());
            return;
        }
        for (DeviceShare s : a.devices()) {
            if (s.index() >= n.milli.length) {
                out.add("workload " + workload + " uses device " + s.index() + " of " + a.node()
                        + ", which has " + n.milli.length);
                continue;
            }
            n.milli[s.index()] += s.milli();
            if (s.isWhole()) {
                n.wholeHolders[s.index()]++;
            } else {
                n.sharers[s.index()]++;
            }
        }
        n.cpu += a.cpuMillis();
        n.memory += a.memoryMiB();
    }
}
