package io.gpuq.scheduler.metrics;

import io.gpuq.scheduler.cost.CostKeys;
import io.gpuq.scheduler.cost.CostLedger;
import io.gpuq.scheduler.cost.CostTotals;
import io.gpuq.scheduler.cost.ModelPrice;
import io.gpuq.scheduler.cost.PriceTable;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.math.BigDecimal;
import java.util.function.Supplier;

/**
 * The cost families, read from the ledger at scrape time: the ledger first accrues up to now, so the
 * counters are exact integrals whatever the scrape interval, and all four come from one instant, so
 * Σ project + unallocated = fleet holds within one scrape.
 */
final class CostCollector implements MultiCollector {
    private final CostLedger ledger;
    private final Supplier<PriceTable> prices;

    CostCollector(CostLedger ledger, Supplier<PriceTable> prices) {
        this.ledger = ledger;
        this.prices = prices;
    }

    @Override
    public MetricSnapshots collect() {
        CostTotals totals = ledger.totals();
        CounterSnapshot.Builder seconds = counter(MetricNames.ALLOCATED_GPU_SECONDS_TOTAL,
                "GPU-seconds allocated to the project: allocated GPUs (fractions included) × time.");
        totals.gpuSeconds().forEach((k, v) -> seconds.dataPoint(point(v, Labels.of(
                "project", k.project(), "department", k.department(), "nodepool", k.nodepool(),
                "gpu_model", k.gpuModel(), "capacity_type", k.capacityType()))));
        CounterSnapshot.Builder project = counter(MetricNames.PROJECT_GPU_COST_TOTAL,
                "Cost of the GPUs allocated to the project: allocated fraction × time × price per GPU-hour.");
        totals.projectCost().forEach((k, v) -> project.dataPoint(point(v, Labels.of(
                "project", k.project(), "department", k.department(), "nodepool", k.nodepool(),
                "currency", k.currency()))));
        CounterSnapshot.Builder unallocated = counter(MetricNames.UNALLOCATED_GPU_COST_TOTAL,
                "Cost of GPUs no workload holds; with the project costs it adds up to the fleet cost.");
        totals.unallocatedCost().forEach((k, v) -> unallocated.dataPoint(point(v, capacityLabels(k))));
        CounterSnapshot.Builder fleet = counter(MetricNames.FLEET_GPU_COST_TOTAL,
                "Cost of every GPU: GPUs × time × price per GPU-hour.");
        totals.fleetCost().forEach((k, v) -> fleet.dataPoint(point(v, capacityLabels(k))));

        PriceTable table = prices.get();
        GaugeFamily price = new GaugeFamily(MetricNames.GPU_HOURLY_PRICE,
                "Price of one GPU-hour from the price table in force.", "gpu_model", "capacity_type", "currency");
        for (ModelPrice p : table.prices()) {
            price.add(p.perGpuHour().doubleValue(), p.gpuModel(), p.capacityType(), table.currency());
        }
        return new MetricSnapshots(seconds.build(), project.build(), unallocated.build(), fleet.build(), price.build());
    }

    private static CounterSnapshot.Builder counter(String name, String help) {
        return CounterSnapshot.builder().name(MetricNames.counterBase(name)).help(help);
    }

    private static CounterSnapshot.CounterDataPointSnapshot point(BigDecimal value, Labels labels) {
        return CounterSnapshot.CounterDataPointSnapshot.builder().value(value.doubleValue()).labels(labels).build();
    }

    private static Labels capacityLabels(CostKeys.Capacity k) {
        return Labels.of("nodepool", k.nodepool(), "gpu_model", k.gpuModel(), "capacity_type", k.capacityType(),
                "currency", k.currency());
    }
}
