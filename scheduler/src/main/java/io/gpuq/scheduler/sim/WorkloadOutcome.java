package io.gpuq.scheduler.sim;

import io.gpuq.scheduler.engine.model.PodAllocation;

import java.util.List;

/**
 * A workload at the end of the run. {@code startedAt} is its latest start (null if it never started);
 * {@code waitSeconds} is the total time it spent pending, across evictions; {@code reason} is set only
 * while pending; a completed workload keeps its last placement.
 */
public record WorkloadOutcome(
        String name,
        String project,
        WorkloadState state,
        long submittedAt,
        Long startedAt,
        long waitSeconds,
        int evictions,
        String reason,
        List<PodAllocation> placement) {

    public WorkloadOutcome {
        placement = List.copyOf(placement);
    }
}
