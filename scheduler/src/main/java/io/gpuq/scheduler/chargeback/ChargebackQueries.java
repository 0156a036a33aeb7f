package io.gpuq.scheduler.chargeback;

import io.gpuq.scheduler.metrics.MetricNames;

/**
 * The PromQL behind a chargeback. {@code increase()} over the range takes counter resets (scheduler
 * restarts, leader changes) into account, so the amounts are right across them.
 */
final class ChargebackQueries {
    private ChargebackQueries() {
    }

    static String cost(ChargebackRequest r) {
        return "sum by (" + r.groupBy().label() + ", currency) (increase(" + MetricNames.PROJECT_GPU_COST_TOTAL
                + "[" + r.promRange() + "]))";
    }

    static String gpuSeconds(ChargebackRequest r) {
        return "sum by (" + r.groupBy().label() + ") (increase(" + MetricNames.ALLOCATED_GPU_SECONDS_TOTAL
                + "[" + r.promRange() + "]))";
    }

    static String unallocated(ChargebackRequest r) {
        return "sum by (currency) (increase(" + MetricNames.UNALLOCATED_GPU_COST_TOTAL + "[" + r.promRange() + "]))";
    }

    static String fleet(ChargebackRequest r) {
        return "sum by (currency) (increase(" + MetricNames.FLEET_GPU_COST_TOTAL + "[" + r.promRange() + "]))";
    }
}
