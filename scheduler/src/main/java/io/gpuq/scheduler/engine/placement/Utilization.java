package io.gpuq.scheduler.engine.placement;

import io.gpuq.scheduler.engine.model.GpuDemand;

/** Allocated share of a node's resources if a pod were added, in [0, 1]. */
final class Utilization {
    private Utilization() {
    }

    /** GPU allocated after adding {@code addedMilli}; a node without GPUs reads as {@code noGpuValue}. */
    static double gpuAfter(NodeState node, long addedMilli, double noGpuValue) {
        if (node.gpuCount() == 0) {
            return noGpuValue;
        }
        return (node.usedMilliTotal() + addedMilli) / (double) ((long) node.gpuCount() * GpuDemand.MILLI);
    }

    /** CPU allocated after adding the request; an unconstrained or empty capacity reads as 0. */
    static double cpuAfter(NodeState node, long cpuMillis) {
        long cap = node.node().cpuMillis();
        return cap <= 0 ? 0 : (node.cpuUsed() + cpuMillis) / (double) cap;
    }

    static double memoryAfter(NodeState node, long memoryMiB) {
        long cap = node.node().memoryMiB();
        return cap <= 0 ? 0 : (node.memoryUsed() + memoryMiB) / (double) cap;
    }
}
