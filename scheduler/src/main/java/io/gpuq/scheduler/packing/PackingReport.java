package io.gpuq.scheduler.packing;

import java.util.List;

/**
 * The result of {@code gpuq packing-bench}: per policy, the unallocated GPU share when the arrived
 * GPU request reaches 100% of capacity (median over seeds, and each seed's value in seed order), and
 * the median curve of unallocated GPU share against arrived request.
 */
public record PackingReport(String trace, int nodes, int gpus, List<PolicyResult> policies) {
    public PackingReport {
        policies = List.copyOf(policies);
    }

    public record PolicyResult(String policy, double unallocatedPctAtArrived100, List<Double> perSeed,
                               List<CurvePoint> curve) {
        public PolicyResult {
            perSeed = List.copyOf(perSeed);
            curve = List.copyOf(curve);
        }
    }

    public record CurvePoint(int arrivedPct, double unallocatedPct) {
    }
}
