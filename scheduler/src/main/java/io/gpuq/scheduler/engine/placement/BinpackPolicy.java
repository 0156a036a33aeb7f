package io.gpuq.scheduler.engine.placement;

import io.gpuq.scheduler.engine.model.PodRequest;

/**
 * The fullest node that fits, like kube-scheduler's MostAllocated: GPU allocation after placement
 * first, then CPU, then memory. Shares go on the fullest device that can take them (best fit), so
 * partly used devices fill up before fresh ones are opened. A node without GPUs counts as full, so
 * CPU-only pods go there before they eat into the CPU of GPU nodes.
 */
final class BinpackPolicy extends ScoringPolicy<NodeMemo> {
    static final String NAME = "binpack";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected NodeMemo newMemo(NodeState node) {
        return new NodeMemo(node);
    }

    @Override
    protected void evaluate(NodeState node, NodeMemo memo, PodRequest pod, Evaluation out) {
        DeviceChoice.Choice c = node.fitsCpuAndMemory(pod) ? DeviceChoice.choose(node, pod.gpu(), true) : null;
        if (c == null) {
            out.reject();
            return;
        }
        out.accept(c.devices(), c.milliPerDevice(),
                -Utilization.gpuAfter(node, c.totalMilli(), 1.0),
                -Utilization.cpuAfter(node, pod.cpuMillis()),
                -Utilization.memoryAfter(node, pod.memoryMiB()));
    }
}
