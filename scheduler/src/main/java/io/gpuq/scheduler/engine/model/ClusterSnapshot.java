package io.gpuq.scheduler.engine.model;

import java.util.List;

/** Everything one scheduling cycle looks at. Immutable. */
public record ClusterSnapshot(
        long time,
        List<GpuNode> nodes,
        List<Department> departments,
        List<Project> projects,
        List<Workload> pending,
        List<RunningWorkload> running) {

    public ClusterSnapshot {
        nodes = List.copyOf(nodes);
        departments = List.copyOf(departments);
        projects = List.copyOf(projects);
        pending = List.copyOf(pending);
        running = List.copyOf(running);
    }
}
