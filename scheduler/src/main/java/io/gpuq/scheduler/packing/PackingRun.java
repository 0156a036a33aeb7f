package io.gpuq.scheduler.packing;

import io.gpuq.scheduler.engine.model.GpuDemand;
import io.gpuq.scheduler.engine.model.GpuNode;
import io.gpuq.scheduler.engine.model.NodeSelectorTerm;
import io.gpuq.scheduler.engine.model.PodAllocation;
import io.gpuq.scheduler.engine.model.PodRequest;
import io.gpuq.scheduler.engine.placement.NodeState;
import io.gpuq.scheduler.engine.placement.PlacementPolicies;
import io.gpuq.scheduler.engine.placement.PlacementPolicy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One policy, one seed: pods arrive one by one and never leave; a pod that fits nowhere is skipped.
 * After every pod the arrived GPU request (skipped pods included) and the allocated GPUs are sampled.
 */
final class PackingRun {
    private final PackingTrace trace;
    private final long capacityMilli;
    private final List<PodRequest> demandSample;

    PackingRun(PackingTrace trace) {
        this.trace = trace;
        this.capacityMilli = (long) trace.gpuCount() * GpuDemand.MILLI;
        List<PodRequest> sample = new ArrayList<>(trace.podCount());
        for (TracePod p : trace.pods()) {
            sample.add(p.request());
        }
        this.demandSample = List.copyOf(sample);
    }

    AllocationCurve run(String policyName, long seed, double tune) {
        PlacementPolicy policy = PlacementPolicies.create(policyName, demandSample);
        List<NodeState> nodes = new ArrayList<>(trace.nodes().size());
        Map<String, NodeState> byName = new HashMap<>();
        for (GpuNode n : trace.nodes()) {
            NodeState s = new NodeState(n);
            nodes.add(s);
            byName.put(n.name(), s);
        }
        Map<List<NodeSelectorTerm>, List<NodeState>> candidates = new HashMap<>();
        AllocationCurve curve = new AllocationCurve(capacityMilli, (int) Math.ceil(tune * 100));
        long arrived = 0;
        long allocated = 0;
        for (TracePod pod : ArrivalSequence.build(trace.pods(), capacityMilli, tune, seed)) {
            PodRequest request = pod.request();
            List<NodeState> eligible = candidates.computeIfAbsent(request.requiredAffinity(),
                    affinity -> eligibleNodes(nodes, affinity));
            PodAllocation a = policy.place(request, eligible);
            if (a != null) {
                byName.get(a.node()).apply(a);
                allocated += a.gpuMilli();
            }
            arrived += pod.gpuMilli();
            curve.record(arrived, allocated);
        }
        return curve;
    }

    private static List<NodeState> eligibleNodes(List<NodeState> nodes, List<NodeSelectorTerm> affinity) {
        if (affinity.isEmpty()) {
            return nodes;
        }
        List<NodeState> out = new ArrayList<>();
        for (NodeState n : nodes) {
            for (NodeSelectorTerm t : affinity) {
                if (t.matches(n.node().labels())) {
                    out.add(n);
                    break;
                }
            }
        }
        return out;
    }
}
