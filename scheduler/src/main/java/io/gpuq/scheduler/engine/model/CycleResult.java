package io.gpuq.scheduler.engine.model;

import java.util.List;
import java.util.Map;

/** The decisions of one cycle, and the queue state they lead to. */
public record CycleResult(
        List<PlacementDecision> placements,
        List<EvictionDecision> evictions,
        Map<String, QueueStatus> projects,
        Map<String, QueueStatus> departments,
        Map<String, PendingReason> pendingReasons) {

    public CycleResult {
        placements = List.copyOf(placements);
        evictions = List.copyOf(evictions);
        projects = Map.copyOf(projects);
        departments = Map.copyOf(departments);
        pendingReasons = Map.copyOf(pendingReasons);
    }
}
