package io.gpuq.scheduler.sim;

import io.gpuq.scheduler.engine.model.PodAllocation;

import java.util.List;

/** A workload as a snapshot shows it: its state and where its pods are (empty while pending). */
public record WorkloadView(WorkloadState state, List<PodAllocation> placement) {
    public WorkloadView {
        placement = List.copyOf(placement);
    }
}
