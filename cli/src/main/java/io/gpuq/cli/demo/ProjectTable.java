package io.gpuq.cli.demo;

import io.gpuq.scheduler.cost.CostKeys;
import io.gpuq.scheduler.cost.CostTotals;
import io.gpuq.scheduler.cycle.CycleReport;
import io.gpuq.scheduler.engine.model.QueueStatus;
import io.gpuq.scheduler.sim.scenario.ProjectSpec;
import io.gpuq.scheduler.sim.scenario.Scenario;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The per-project table of the demo: deserved quota, fair share, allocated GPUs and pending workloads
 * as the scheduler's last cycle left them, and the cost accrued so far from its cost ledger.
 */
final class ProjectTable {

    record Row(String project, double deserved, double fairShare, double allocated, int pending,
               BigDecimal gpuHours, BigDecimal cost) {
    }

    private final List<Row> rows;
    private final String currency;
    private final BigDecimal fleetCost;
    private final BigDecimal projectsCost;
    private final BigDecimal idleCost;

    private ProjectTable(List<Row> rows, String currency, BigDecimal fleetCost, BigDecimal projectsCost,
                         BigDecimal idleCost) {
        this.rows = List.copyOf(rows);
        this.currency = currency;
        this.fleetCost = fleetCost;
        this.projectsCost = projectsCost;
        this.idleCost = idleCost;
    }

    /**
     * @param report the scheduler's last cycle, or null before its first (zeros, deserved from the scenario)
     */
    static ProjectTable of(Scenario scenario, CycleReport report, CostTotals costs) {
        List<Row> rows = new ArrayList<>();
        for (ProjectSpec p : scenario.projects()) {
            QueueStatus q = report == null ? null : report.result().projects().get(p.name());
            BigDecimal hours = costs.projectGpuSeconds(p.name()).divide(BigDecimal.valueOf(3600), 6, RoundingMode.HALF_UP);
            rows.add(q == null
                    ? new Row(p.name(), p.deservedByPool().values().stream().mapToDouble(Double::doubleValue).sum(), 0, 0, 0,
                            hours, costs.projectCost(p.name()))
                    : new Row(p.name(), q.deservedGpus(), q.fairShareGpus(), q.allocatedGpus(), q.pendingWorkloads(),
                            hours, costs.projectCost(p.name())));
        }
        String currency = costs.fleetCost().keySet().stream().map(CostKeys.Capacity::currency).findFirst()
                .orElse(costs.projectCost().keySet().stream().map(CostKeys.ProjectCost::currency).findFirst().orElse("USD"));
        return new ProjectTable(rows, currency, costs.totalFleetCost(), costs.totalProjectCost(),
                costs.totalUnallocatedCost());
    }

    List<Row> rows() {
        return rows;
    }

    String currency() {
        return currency;
    }

    BigDecimal fleetCost() {
        return fleetCost;
    }

    BigDecimal projectsCost() {
        return projectsCost;
    }

    BigDecimal idleCost() {
        return idleCost;
    }

    /** The table as text lines (no trailing newline), columns aligned. */
    List<String> lines() {
        int width = Math.max("PROJECT".length(), rows.stream().mapToInt(r -> r.project().length()).max().orElse(0));
        String format = "%-" + width + "s  %8s  %10s  %9s  %7s  %9s  %12s";
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, format, "PROJECT", "DESERVED", "FAIR SHARE", "ALLOCATED", "PENDING",
                "GPU-HOURS", "COST (" + currency + ")"));
        for (Row r : rows) {
            out.add(String.format(Locale.ROOT, format, r.project(), gpus(r.deserved()), gpus(r.fairShare()),
                    gpus(r.allocated()), r.pending(), r.gpuHours().setScale(4, RoundingMode.HALF_UP).toPlainString(),
                    money(r.cost())));
        }
        out.add(String.format(Locale.ROOT, "fleet cost so far %s %s, of which idle GPUs %s %s", currency,
                money(fleetCost), currency, money(idleCost)));
        return out;
    }

    static String gpus(double v) {
        return v < 0 ? "all" : String.format(Locale.ROOT, "%.1f", v);
    }

    static String money(BigDecimal v) {
        return v.setScale(4, RoundingMode.HALF_UP).toPlainString();
    }

    /** The same quotas, allocations and pending work (costs aside, which grow all the time). */
    boolean sameAllocation(ProjectTable other) {
        if (other == null || other.rows.size() != rows.size()) {
            return false;
        }
        for (int i = 0; i < rows.size(); i++) {
            Row a = rows.get(i);
            Row b = other.rows.get(i);
            if (!a.project().equals(b.project()) || a.deserved() != b.deserved() || a.fairShare() != b.fairShare()
                    || a.allocated() != b.allocated() || a.pending() != b.pending()) {
                return false;
            }
        }
        return true;
    }
}
