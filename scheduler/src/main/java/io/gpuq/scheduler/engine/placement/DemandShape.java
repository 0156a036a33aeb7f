package io.gpuq.scheduler.engine.placement;

import io.gpuq.scheduler.engine.model.GpuDemand;
import io.gpuq.scheduler.engine.model.NodeSelectorTerm;
import io.gpuq.scheduler.engine.model.PodRequest;
import io.gpuq.scheduler.engine.model.Toleration;

import java.util.List;
import java.util.Map;

/**
 * A kind of pod the cluster expects to see, for measuring fragmentation: its GPU demand, CPU and
 * memory, and the node constraints that decide which nodes it can use at all (a GPU model asked for
 * through a selector or affinity, a pool, a taint it does not tolerate).
 */
record DemandShape(GpuDemand gpu, long cpuMillis, long memoryMiB, Map<String, String> nodeSelector,
                   List<NodeSelectorTerm> requiredAffinity, List<Toleration> tolerations) {

    static DemandShape of(PodRequest pod) {
        return new DemandShape(pod.gpu(), pod.cpuMillis(), pod.memoryMiB(), pod.nodeSelector(),
                pod.requiredAffinity(), pod.tolerations());
    }
}
