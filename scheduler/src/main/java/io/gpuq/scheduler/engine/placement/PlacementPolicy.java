package io.gpuq.scheduler.engine.placement;

import io.gpuq.scheduler.engine.model.PodAllocation;
import io.gpuq.scheduler.engine.model.PodRequest;

import java.util.List;

/**
 * Chooses a node and the devices on it for one pod. The candidates already satisfy the pod's pool,
 * selector, affinity, taint and readiness constraints; the policy checks fit (GPU shape, CPU, memory)
 * and returns the allocation, or null when no candidate fits. It does not change the node states.
 */
public interface PlacementPolicy {
    String name();

    PodAllocation place(PodRequest pod, List<NodeState> candidates);
}
