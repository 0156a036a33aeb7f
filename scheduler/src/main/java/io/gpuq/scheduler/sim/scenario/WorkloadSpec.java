package io.gpuq.scheduler.sim.scenario;

import io.gpuq.api.WorkloadType;
import io.gpuq.scheduler.engine.model.GpuDemand;

/**
 * One {@code workloads[]} entry with defaults applied: {@code priority} and {@code preemptible} are
 * resolved (the type's class value and the ≥ 100 rule unless the file overrides them),
 * {@code minMember} defaults to {@code pods}. {@code durationSeconds} null means it runs until the end;
 * {@code nodePool} and {@code node} are null when not given.
 */
public record WorkloadSpec(
        String name,
        String project,
        WorkloadType type,
        long submitAt,
        Long durationSeconds,
        int pods,
        GpuDemand gpu,
        long cpuMillis,
        long memoryMiB,
        String nodePool,
        int minMember,
        int priority,
        boolean preemptible,
        String node) {

    /** Pod names follow the controller's convention {@code <workload>-<index>}. */
    public String podName(int index) {
        return name + "-" + index;
    }
}
