package io.gpuq.scheduler.metrics;

import java.util.List;

/** The scheduler's metric names as scraped (DESIGN §5); dashboards and alerts depend on them verbatim. */
public final class MetricNames {
    private MetricNames() {
    }

    // Seed names
    public static final String ALLOCATED_GPUS = "runai_allocated_gpus";
    public static final String GPU_UTILIZATION_PER_PROJECT = "runai_gpu_utilization_per_project";
    public static final String PENDING_OTHER_IN_QUEUE = "runai_pending_other_in_queue";
    public static final String JOB_WAIT_TIME_SECONDS = "runai_job_wait_time_seconds";

    // Run:ai documented names
    public static final String ALLOCATED_GPU_COUNT_PER_PROJECT = "runai_allocated_gpu_count_per_project";
    public static final String PROJECT_GUARANTEED_GPUS = "runai_project_guaranteed_gpus";
    public static final String PROJECT_INFO = "runai_project_info";
    public static final String QUEUE_INFO = "runai_queue_info";
    public static final String ALLOCATED_GPU_COUNT_PER_NODE = "runai_allocated_gpu_count_per_node";
    public static final String GPU_COUNT_PER_NODE = "runai_gpu_count_per_node";
    public static final String ALLOCATED_GPU_COUNT_PER_WORKLOAD = "runai_allocated_gpu_count_per_workload";
    public static final String REQUESTED_GPUS_PER_WORKLOAD = "runai_requested_gpus_per_workload";
    public static final String WAIT_TIME_SECONDS_PER_WORKLOAD = "runai_wait_time_seconds_per_workload";

    // Fairness
    public static final String PROJECT_FAIR_SHARE_GPUS = "runai_project_fair_share_gpus";
    public static final String PROJECT_DESERVED_GPUS = "runai_project_deserved_gpus";

    // Cost
    public static final String GPU_HOURLY_PRICE = "runai_gpu_hourly_price";
    public static final String ALLOCATED_GPU_SECONDS_TOTAL = "runai_allocated_gpu_seconds_total";
    public static final String PROJECT_GPU_COST_TOTAL = "runai_project_gpu_cost_total";
    public static final String UNALLOCATED_GPU_COST_TOTAL = "runai_unallocated_gpu_cost_total";
    public static final String FLEET_GPU_COST_TOTAL = "runai_fleet_gpu_cost_total";

    // Utilization source
    public static final String GPU_UTILIZATION_SOURCE_UP = "runai_gpu_utilization_source_up";
    public static final String GPU_UTILIZATION_STALE = "runai_gpu_utilization_stale";
    public static final String GPU_UTILIZATION_AGE_SECONDS = "runai_gpu_utilization_age_seconds";

    // Scheduler internals
    public static final String CYCLE_DURATION_SECONDS = "runai_scheduler_cycle_duration_seconds";
    public static final String EVICTIONS_TOTAL = "runai_scheduler_evictions_total";
    public static final String BINDS_TOTAL = "runai_scheduler_binds_total";
    public static final String IS_LEADER = "runai_scheduler_is_leader";
    public static final String PENDING_WORKLOADS = "runai_pending_workloads";
    public static final String FRAGMENTED_GPUS_PER_NODE = "runai_fragmented_gpus_per_node";

    /** Values of {@code runai_scheduler_binds_total{result}}. */
    public static final List<String> BIND_RESULTS = List.of("success", "error", "conflict");
    /** Values of {@code runai_scheduler_evictions_total{reason}}. */
    public static final List<String> EVICTION_REASONS = List.of("reclaim", "preempt", "orphan");

    /** The name without the {@code _total} suffix that counters are registered under. */
    static String counterBase(String name) {
        return name.endsWith("_total") ? name.substring(0, name.length() - "_total".length()) : name;
    }
}
