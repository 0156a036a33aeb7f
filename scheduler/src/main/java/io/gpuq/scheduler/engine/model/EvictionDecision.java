package io.gpuq.scheduler.engine.model;

/**
 * Evict every pod of a workload (a gang is evicted whole). {@code byWorkload} is the reclaimer or
 * preemptor that needed the room.
 */
public record EvictionDecision(String workloadId, String project, Kind kind, String byWorkload, String byProject,
                               String message) {
    public enum Kind { RECLAIM, PREEMPT }
}
