package io.gpuq.scheduler.engine.placement;

import io.gpuq.scheduler.engine.model.GpuDemand;
import io.gpuq.scheduler.engine.model.PodRequest;

/**
 * What a policy's node score depends on: the GPU demand and the CPU and memory requests. Pods with
 * the same shape get the same score on the same node state, which is what makes scores cacheable.
 */
record PodShape(GpuDemand gpu, long cpuMillis, long memoryMiB) {
    static PodShape of(PodRequest pod) {
        return new PodShape(pod.gpu(), pod.cpuMillis(), pod.memoryMiB());
    }
}
