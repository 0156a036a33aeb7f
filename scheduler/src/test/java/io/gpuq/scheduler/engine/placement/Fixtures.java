package io.gpuq.scheduler.engine.placement;

import io.gpuq.scheduler.engine.model.GpuDemand;
import io.gpuq.scheduler.engine.model.GpuNode;
import io.gpuq.scheduler.engine.model.NodeSelectorRequirement;
import io.gpuq.scheduler.engine.model.NodeSelectorTerm;
import io.gpuq.scheduler.engine.model.PodAllocation;
import io.gpuq.scheduler.engine.model.PodRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small builders for placement tests. */
final class Fixtures {
    static final String MODEL_LABEL = "nvidia.com/gpu.product";

    private Fixtures() {
    }

    static NodeState node(String name, int gpus, long cpu, long mem) {
        return new NodeState(GpuNode.simple(name, "default", "A100", 40_960, gpus, cpu, mem));
    }

    static NodeState node(String name, int gpus) {
        return node(name, gpus, 64_000, 512_000);
    }

    static NodeState modelNode(String name, String model, int gpus) {
        return new NodeState(new GpuNode(name, "default", model, 16_384, gpus, 64_000, 512_000, "",
                Map.of(MODEL_LABEL, model), List.of(), true, false));
    }

    static PodRequest fraction(String name, int milli) {
        return PodRequest.of(name, GpuDemand.fraction(milli, 1), 1_000, 1_000);
    }

    static PodRequest whole(String name, int gpus) {
        return PodRequest.of(name, GpuDemand.whole(gpus), 1_000, 1_000);
    }

    static PodRequest onModel(PodRequest pod, String... models) {
        NodeSelectorTerm term = new NodeSelectorTerm(List.of(
                new NodeSelectorRequirement(MODEL_LABEL, "In", List.of(models))));
        return new PodRequest(pod.name(), pod.gpu(), pod.cpuMillis(), pod.memoryMiB(), Map.of(),
                List.of(term), List.of());
    }

    static List<PodRequest> copies(PodRequest pod, int n) {
        List<PodRequest> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new PodRequest(pod.name() + "-" + i, pod.gpu(), pod.cpuMillis(), pod.memoryMiB(),
                    pod.nodeSelector(), pod.requiredAffinity(), pod.tolerations()));
        }
        return out;
    }

    /** Places and applies, failing the test if the policy finds no node. */
    static PodAllocation placeAndApply(PlacementPolicy policy, PodRequest pod, List<NodeState> nodes) {
        PodAllocation a = policy.place(pod, nodes);
        if (a == null) {
            throw new AssertionError(policy.name() + " found no node for " + pod);
        }
        for (NodeState n : nodes) {
            if (n.name().equals(a.node())) {
                n.apply(a);
                return a;
            }
        }
        throw new AssertionError(policy.name() + " chose " + a.node() + ", which is not a candidate");
    }

    static List<Integer> deviceIndices(PodAllocation a) {
        List<Integer> out = new ArrayList<>();
        a.devices().forEach(d -> out.add(d.index()));
        return out;
    }
}
