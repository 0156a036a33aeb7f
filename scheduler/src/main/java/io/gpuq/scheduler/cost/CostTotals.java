package io.gpuq.scheduler.cost;

import java.math.BigDecimal;
import java.util.Map;

/**
 * What has accrued since start-up: GPU-seconds per usage series and amounts (in the series' currency)
 * per project, unallocated and fleet series. Immutable.
 */
public record CostTotals(
        Map<CostKeys.Usage, BigDecimal> gpuSeconds,
        Map<CostKeys.ProjectCost, BigDecimal> projectCost,
        Map<CostKeys.Capacity, BigDecimal> unallocatedCost,
        Map<CostKeys.Capacity, BigDecimal> fleetCost) {

    public CostTotals {
        gpuSeconds = Map.copyOf(gpuSeconds);
        projectCost = Map.copyOf(projectCost);
        unallocatedCost = Map.copyOf(unallocatedCost);
        fleetCost = Map.copyOf(fleetCost);
    }

    /** A project's cost summed over its pools (in the one currency of its series). */
    public BigDecimal projectCost(String project) {
        BigDecimal sum = BigDecimal.ZERO;
        for (Map.Entry<CostKeys.ProjectCost, BigDecimal> e : projectCost.entrySet()) {
            if (e.getKey().project().equals(project)) {
                sum = sum.add(e.getValue());
            }
        }
        return sum;
    }

    /** A project's GPU-seconds summed over pools, models and capacity types. */
    public BigDecimal projectGpuSeconds(String project) {
        BigDecimal sum = BigDecimal.ZERO;
        for (Map.Entry<CostKeys.Usage, BigDecimal> e : gpuSeconds.entrySet()) {
            if (e.getKey().project().equals(project)) {
                sum = sum.add(e.getValue());
            }
        }
        return sum;
    }

    public BigDecimal totalProjectCost() {
        return sum(projectCost);
    }

    public BigDecimal totalUnallocatedCost() {
        return sum(unallocatedCost);
    }

    public BigDecimal totalFleetCost() {
        return sum(fleetCost);
    }

    private static BigDecimal sum(Map<?, BigDecimal> m) {
        BigDecimal s = BigDecimal.ZERO;
        for (BigDecimal v : m.values()) {
            s = s.add(v);
        }
        return s;
    }
}
