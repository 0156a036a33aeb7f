package io.gpuq.scheduler.cycle;

import io.gpuq.scheduler.engine.model.ClusterSnapshot;
import io.gpuq.scheduler.engine.model.CycleResult;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One completed cycle: the snapshot the engine saw, what it decided and how long the cycle took.
 * {@code at} is the scheduler clock's time of the snapshot; in the cluster adapter
 * {@link ClusterSnapshot#time()} and every {@code Workload.submitTime()} are milliseconds of that
 * same clock, so a wait time is {@code at.toEpochMilli() - submitTime}.
 *
 * <p>The allocation in force after the cycle is the snapshot's running workloads, minus the
 * evicted ones, plus the placements.
 */
public record CycleReport(Instant at, ClusterSnapshot snapshot, CycleResult result, Duration took) {
    public CycleReport {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(took, "took");
    }
}
