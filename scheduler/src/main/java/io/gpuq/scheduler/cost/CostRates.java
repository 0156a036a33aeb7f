package io.gpuq.scheduler.cost;

import io.gpuq.scheduler.engine.model.GpuDemand;
import io.gpuq.scheduler.engine.model.GpuNode;
import io.gpuq.scheduler.engine.model.Project;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * How fast every cost series grows while one allocation and one price table are in force, in exact
 * units: milli-GPUs for usage, and price per GPU-hour × milli-GPUs for cost. The key sets are the
 * series that exist: a project's series for each pool it may use (0 while idle) and each pool it holds
 * GPUs in; capacity series for each pool × GPU model × capacity type that has GPU nodes.
 *
 * <p>Per node, allocated + unallocated = billed capacity, and fleet = billed capacity × price, so the
 * project and idle rates add up to the fleet rate exactly. Billed capacity is the node's GPU count, or
 * what is allocated on it when that is more (a node that shrank under running pods still costs what
 * the pods hold).
 *
 * <p>{@code unpriced} names each GPU model × capacity type the table has no price for ("GPU model X,
 * capacity type Y") with one node of that kind; those GPUs count at price 0.
 */
public record CostRates(
        Map<CostKeys.Usage, Long> usageMilli,
        Map<CostKeys.ProjectCost, BigDecimal> projectRate,
        Map<CostKeys.Capacity, BigDecimal> unallocatedRate,
        Map<CostKeys.Capacity, BigDecimal> fleetRate,
        Map<String, String> unpriced) {

    public static final CostRates NONE = new CostRates(Map.of(), Map.of(), Map.of(), Map.of(), Map.of());

    public CostRates {
        usageMilli = Collections.unmodifiableMap(new LinkedHashMap<>(usageMilli));
        projectRate = Collections.unmodifiableMap(new LinkedHashMap<>(projectRate));
        unallocatedRate = Collections.unmodifiableMap(new LinkedHashMap<>(unallocatedRate));
        fleetRate = Collections.unmodifiableMap(new LinkedHashMap<>(fleetRate));
        unpriced = Map.copyOf(unpriced);
    }

    /** The rates of {@code usage} priced with {@code prices}. */
    public static CostRates of(GpuUsage usage, PriceTable prices) {
        Map<String, Project> projects = new HashMap<>();
        for (Project p : usage.projects()) {
            projects.put(p.name(), p);
        }
        Map<CostKeys.Usage, Long> usageMilli = new LinkedHashMap<>();
        Map<CostKeys.ProjectCost, BigDecimal> projectRate = new LinkedHashMap<>();
        Map<CostKeys.Capacity, BigDecimal> unallocated = new LinkedHashMap<>();
        Map<CostKeys.Capacity, BigDecimal> fleet = new LinkedHashMap<>();
        Map<String, Set<NodeType>> typesByPool = new HashMap<>();
        Map<String, String> unpriced = new LinkedHashMap<>();
        String currency = prices.currency();
        for (GpuNode node : usage.nodes()) {
            Map<String, Long> held = usage.milliByNodeAndProject().getOrDefault(node.name(), Map.of());
            long allocated = 0;
            for (long m : held.values()) {
                allocated += m;
            }
            long capacity = (long) node.gpuCount() * GpuDemand.MILLI;
            if (capacity == 0 && allocated == 0) {
                continue;
            }
            NodePrice price = prices.priceOf(node);
            if (!price.priced()) {
                unpriced.putIfAbsent("GPU model " + (node.gpuModel().isEmpty() ? "(none)" : node.gpuModel())
                        + ", capacity type " + price.capacityType(), node.name());
            }
            typesByPool.computeIfAbsent(node.pool(), k -> new LinkedHashSet<>())
                    .add(new NodeType(price.gpuModel(), price.capacityType()));
            long billed = Math.max(capacity, allocated);
            CostKeys.Capacity cap = new CostKeys.Capacity(node.pool(), price.gpuModel(), price.capacityType(), currency);
            fleet.merge(cap, price.perGpuHour().multiply(BigDecimal.valueOf(billed)), BigDecimal::add);
            unallocated.merge(cap, price.perGpuHour().multiply(BigDecimal.valueOf(billed - allocated)), BigDecimal::add);
            for (Map.Entry<String, Long> e : held.entrySet()) {
                String department = departmentOf(projects.get(e.getKey()));
                usageMilli.merge(new CostKeys.Usage(e.getKey(), department, node.pool(), price.gpuModel(),
                        price.capacityType()), e.getValue(), Long::sum);
                projectRate.merge(new CostKeys.ProjectCost(e.getKey(), department, node.pool(), currency),
                        price.perGpuHour().multiply(BigDecimal.valueOf(e.getValue())), BigDecimal::add);
            }
        }
        for (Project p : usage.projects()) {
            for (String pool : p.deservedByPool().keySet()) {
                projectRate.putIfAbsent(new CostKeys.ProjectCost(p.name(), p.department(), pool, currency), BigDecimal.ZERO);
                for (NodeType t : typesByPool.getOrDefault(pool, Set.of())) {
                    usageMilli.putIfAbsent(new CostKeys.Usage(p.name(), p.department(), pool, t.gpuModel(),
                            t.capacityType()), 0L);
                }
            }
        }
        return new CostRates(usageMilli, projectRate, unallocated, fleet, unpriced);
    }

    /** The same series, none of them growing: what a replica that stopped scheduling accrues. */
    public CostRates stopped() {
        Map<CostKeys.Usage, Long> usage = new LinkedHashMap<>();
        usageMilli.keySet().forEach(k -> usage.put(k, 0L));
        return new CostRates(usage, zero(projectRate), zero(unallocatedRate), zero(fleetRate), Map.of());
    }

    private static <K> Map<K, BigDecimal> zero(Map<K, BigDecimal> rates) {
        Map<K, BigDecimal> out = new LinkedHashMap<>();
        rates.keySet().forEach(k -> out.put(k, BigDecimal.ZERO));
        return out;
    }

    private static String departmentOf(Project p) {
        return p == null ? Project.DEFAULT_DEPARTMENT : p.department();
    }

    private record NodeType(String gpuModel, String capacityType) {
    }
}
