package io.gpuq.scheduler.packing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The FGD authors' published allocation curves ({@code analysis_allo_discrete.csv} of their
 * simulator's expected results): one line per workload, policy and seed, with columns {@code 0} ..
 * {@code 130} holding the allocated GPU share (percent of capacity) when the arrived GPU request was
 * that percent of capacity. This reads the figure the benchmark reports: unallocated share at arrived
 * 100%, median over seeds.
 */
public final class PublishedResults {
    static final List<String> COLUMNS = List.of("workload", "sc_policy", "seed", "100");

    /** Workload (pod list name, e.g. {@code openb_pod_list_default}) → policy (e.g. {@code FGD}) → figure. */
    private final Map<String, Map<String, Double>> unallocatedAt100;

    private PublishedResults(Map<String, Map<String, Double>> unallocatedAt100) {
        this.unallocatedAt100 = unallocatedAt100;
    }

    /** @throws TraceFormatException when the file lacks a column or holds a bad value */
    public static PublishedResults read(Path allocationCsv) {
        CsvFile csv = CsvFile.read(allocationCsv, COLUMNS);
        Map<String, Map<String, List<Double>>> values = new TreeMap<>();
        for (CsvFile.Row row : csv.rows()) {
            String policy = policyName(row.text("sc_policy"));
            String text = row.text("100");
            double allocated;
            try {
                allocated = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw row.error("100", "'" + text + "' is not a number; a percentage is required");
            }
            values.computeIfAbsent(row.text("workload"), w -> new LinkedHashMap<>())
                    .computeIfAbsent(policy, p -> new ArrayList<>()).add(100 - allocated);
        }
        Map<String, Map<String, Double>> medians = new TreeMap<>();
        values.forEach((workload, byPolicy) -> {
            Map<String, Double> m = new LinkedHashMap<>();
            byPolicy.forEach((policy, v) -> m.put(policy,
                    PackingBenchmark.round2(PackingBenchmark.median(v.stream().mapToDouble(Double::doubleValue).toArray()))));
            medians.put(workload, m);
        });
        return new PublishedResults(medians);
    }

    /** "06-FGD" → "FGD": the simulator numbers its policies to order the plots. */
    static String policyName(String raw) {
        int dash = raw.indexOf('-');
        if (dash > 0 && raw.substring(0, dash).chars().allMatch(Character::isDigit)) {
            return raw.substring(dash + 1);
        }
        return raw;
    }

    public List<String> workloads() {
        return List.copyOf(unallocatedAt100.keySet());
    }

    /** Median unallocated GPU percent at arrived 100%, or NaN when the file has no such line. */
    public double unallocatedAt100(String workload, String policy) {
        Map<String, Double> byPolicy = unallocatedAt100.get(workload);
        Double v = byPolicy == null ? null : byPolicy.get(policy);
        return v == null ? Double.NaN : v;
    }

    /** Policies named in the file for this workload, in file order. */
    public List<String> policies(String workload) {
        Map<String, Double> byPolicy = unallocatedAt100.get(workload);
        return byPolicy == null ? List.of() : List.copyOf(byPolicy.keySet());
    }
}
