package io.gpuq.scheduler.engine.model;

import java.util.List;

/** Bind these pods of a workload to these nodes and devices. */
public record PlacementDecision(String workloadId, List<PodAllocation> pods) {
    public PlacementDecision {
        pods = List.copyOf(pods);
    }
}
