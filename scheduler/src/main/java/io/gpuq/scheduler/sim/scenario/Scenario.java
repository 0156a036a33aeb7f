package io.gpuq.scheduler.sim.scenario;

import java.util.List;

/**
 * A validated scenario file (DESIGN §7). Lists keep file order, which is creation order and the
 * tie-break everywhere. {@code observeAt} is sorted ascending and free of duplicates.
 */
public record Scenario(
        String source,
        long cycleSeconds,
        List<NodeSpec> nodes,
        List<DepartmentSpec> departments,
        List<ProjectSpec> projects,
        List<PriceSpec> prices,
        List<WorkloadSpec> workloads,
        List<Long> observeAt) {

    public Scenario {
        nodes = List.copyOf(nodes);
        departments = List.copyOf(departments);
        projects = List.copyOf(projects);
        prices = List.copyOf(prices);
        workloads = List.copyOf(workloads);
        observeAt = List.copyOf(observeAt);
    }
}
