package io.gpuq.cli.demo;

import io.gpuq.scheduler.sim.scenario.PriceSpec;
import io.gpuq.scheduler.sim.scenario.Scenario;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The end of a run in words: the project table (fair shares, allocations, cost), every eviction with
 * the scheduler's reason, where the fractional workloads' pods share devices, what became of each
 * workload, and how the fleet's cost splits between projects and idle GPUs.
 */
final class DemoSummary {
    private DemoSummary() {
    }

    static List<String> lines(Scenario scenario, double at, double speed, ProjectTable table,
                              List<EvictionLog.Eviction> evictions, List<SharedDevices.Workload> shared,
                              List<WorkloadRun> runs) {
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "== Summary at t=%.0f s of scenario time (%.1f s of wall time at %s×) ==",
                at, at / speed, speedText(speed)));
        out.addAll(table.lines());
        out.add("Fair shares: " + table.rows().stream()
                .map(r -> r.project() + " " + ProjectTable.gpus(r.fairShare())).collect(Collectors.joining(", ")));

        double evictedGpus = evictions.stream().mapToDouble(EvictionLog.Eviction::gpus).sum();
        out.add(String.format(Locale.ROOT, "Evictions: %d (%s GPUs)", evictions.size(), ProjectTable.gpus(evictedGpus)));
        for (EvictionLog.Eviction e : evictions) {
            out.add(String.format(Locale.ROOT, "  t=%4.0fs  %s of %s, %s GPUs: %s", e.at(), e.workload(), e.project(),
                    ProjectTable.gpus(e.gpus()), e.cause() == null ? "no scheduler Event explains it" : e.cause()));
        }
        if (!shared.isEmpty()) {
            out.add("Fractional GPUs:");
            shared.forEach(w -> out.add("  " + SharedDevices.describe(w)));
        }

        Map<WorkloadRun.State, List<String>> byState = new EnumMap<>(WorkloadRun.State.class);
        for (WorkloadRun r : runs) {
            String name = r.spec().name() + (r.evictions() > 0 ? " (evicted " + r.evictions() + "×)" : "");
            byState.computeIfAbsent(r.state(), s -> new ArrayList<>()).add(name);
        }
        out.add("Workloads: " + byState.entrySet().stream()
                .map(e -> e.getValue().size() + " " + e.getKey().name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", ")));
        byState.forEach((state, names) -> out.add("  " + state.name().toLowerCase(Locale.ROOT) + ": "
                + String.join(", ", names)));
        for (WorkloadRun r : runs) {
            if (r.denial() != null) {
                out.add("  " + r.spec().name() + " was denied: " + r.denial());
            }
        }

        String prices = scenario.prices().isEmpty() ? "the scheduler's default prices"
                : scenario.prices().stream().map(DemoSummary::price).collect(Collectors.joining(", "));
        out.add("Cost per GPU-hour: " + prices + "; fleet " + table.currency() + " " + ProjectTable.money(table.fleetCost())
                + " = projects " + ProjectTable.money(table.projectsCost()) + " + idle GPUs "
                + ProjectTable.money(table.idleCost()));
        return out;
    }

    private static String price(PriceSpec p) {
        return p.gpuModel() + " " + p.capacityType() + " " + p.perGpuHour().toPlainString() + " " + p.currency();
    }

    static String speedText(double speed) {
        return speed == Math.rint(speed) ? Long.toString((long) speed) : Double.toString(speed);
    }
}
