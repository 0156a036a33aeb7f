package io.gpuq.scheduler.engine.model;

import java.util.List;

/** A workload whose pods are bound, with their allocations. */
public record RunningWorkload(Workload workload, List<PodAllocation> allocations, long startedAt) {
    public RunningWorkload {
        allocations = List.copyOf(allocations);
    }

    public long gpuMilli() {
        long sum = 0;
        for (PodAllocation a : allocations) {
            sum += a.gpuMilli();
        }
        return sum;
    }
}
