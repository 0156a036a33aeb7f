package io.gpuq.scheduler.cost;

import io.gpuq.scheduler.engine.model.GpuNode;
import io.gpuq.scheduler.engine.model.Project;

import java.util.List;
import java.util.Map;

/**
 * Who holds which GPUs from one moment on: the nodes, the projects, and per node the milli-GPUs each
 * project holds there. Immutable.
 */
public record GpuUsage(List<GpuNode> nodes, List<Project> projects, Map<String, Map<String, Long>> milliByNodeAndProject) {

    public static final GpuUsage NONE = new GpuUsage(List.of(), List.of(), Map.of());

    public GpuUsage {
        nodes = List.copyOf(nodes);
        projects = List.copyOf(projects);
        milliByNodeAndProject = Map.copyOf(milliByNodeAndProject);
    }
}
