package io.gpuq.scheduler.cost;

/** The label sets of the cost series (DESIGN §5), one record per family. */
public final class CostKeys {
    private CostKeys() {
    }

    /** {@code runai_allocated_gpu_seconds_total{project,department,nodepool,gpu_model,capacity_type}}. */
    public record Usage(String project, String department, String nodepool, String gpuModel, String capacityType) {
    }

    /** {@code runai_project_gpu_cost_total{project,department,nodepool,currency}}. */
    public record ProjectCost(String project, String department, String nodepool, String currency) {
    }

    /** {@code runai_unallocated_gpu_cost_total} and {@code runai_fleet_gpu_cost_total{nodepool,gpu_model,capacity_type,currency}}. */
    public record Capacity(String nodepool, String gpuModel, String capacityType, String currency) {
    }
}
