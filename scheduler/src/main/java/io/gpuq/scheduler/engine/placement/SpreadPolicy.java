package io.gpuq.scheduler.engine.placement;

import io.gpuq.scheduler.engine.model.PodRequest;

/**
 * The emptiest node that fits (GPU allocation after placement, then CPU, then memory) and the
 * emptiest device on it: spreads load and interference at the price of fragmentation.
 */
final class SpreadPolicy extends ScoringPolicy<NodeMemo> {
    static final String NAME = "spread";

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
        DeviceChoice.Choice c = node.fitsCpuAndMemory(pod) ? DeviceChoice.choose(node, pod.gpu(), false) : null;
        if (c == null) {
            out.reject();
            return;
        }
        out.accept(c.devices(), c.milliPerDevice(),
                Utilization.gpuAfter(node, c.totalMilli(), 0.0),
                Utilization.cpuAfter(node, pod.cpuMillis()),
                Utilization.memoryAfter(node, pod.memoryMiB()));
    }
}
