package io.gpuq.scheduler.engine.model;

import java.util.List;
import java.util.Objects;

/**
 * A unit of scheduling: one pod or a gang. At least {@code minMember} pods are placed together or
 * none is. {@code nodePool} is the pool the workload asked for, or null for any of its project's
 * pools. {@code order} is the creation sequence (the tie-break between equal submit times).
 */
public record Workload(
        String id,
        String project,
        String nodePool,
        String type,
        int priority,
        boolean preemptible,
        long submitTime,
        long order,
        int minMember,
        List<PodRequest> pods) {

    public Workload {
        Objects.requireNonNull(id, "workload id");
        Objects.requireNonNull(project, "workload project");
        pods = List.copyOf(pods);
        if (pods.isEmpty()) {
            throw new IllegalArgumentException("workload " + id + " has no pods");
        }
        if (minMember <= 0 || minMember > pods.size()) {
            minMember = pods.size();
        }
        type = type == null ? "train" : type;
    }

    public boolean isGang() {
        return minMember > 1;
    }
}
