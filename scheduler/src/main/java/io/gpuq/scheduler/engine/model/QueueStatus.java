package io.gpuq.scheduler.engine.model;

import java.util.Map;

/**
 * A project's or department's state after a cycle. Totals are sums over pools; allocation is counted
 * after the cycle's decisions are applied.
 */
public record QueueStatus(
        String name,
        double deservedGpus,
        double fairShareGpus,
        double allocatedGpus,
        double allocatedNonPreemptibleGpus,
        double pendingGpus,
        int pendingWorkloads,
        Map<String, PoolShare> pools) {

    public QueueStatus {
        pools = Map.copyOf(pools);
    }
}
