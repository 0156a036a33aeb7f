package io.gpuq.scheduler.packing;

import io.gpuq.scheduler.engine.placement.PlacementPolicies;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The packing benchmark of the FGD paper (Weng et al., USENIX ATC'23) on a trace: for each policy and
 * seed, one {@link PackingRun}; reports the unallocated GPU share at arrived = 100% of capacity and
 * the curve, as medians over seeds.
 */
public final class PackingBenchmark {
    /** Curve points are reported at every multiple of this many percent of arrived capacity. */
    public static final int CURVE_STEP_PCT = 5;

    private final PackingTrace trace;

    public PackingBenchmark(PackingTrace trace) {
        if (trace.gpuCount() == 0) {
            throw new IllegalArgumentException("the node list has no GPUs; the benchmark needs GPU capacity");
        }
        this.trace = trace;
    }

    /**
     * @param policies policy names (see {@link PlacementPolicies#NAMES})
     * @param seeds    one run per seed; the median is taken over them
     * @param tune     arriving GPU request as a multiple of capacity, &gt;= 1 for the 100% figure to exist
     */
    public PackingReport run(List<String> policies, List<Long> seeds, double tune) {
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("at least one seed is required");
        }
        if (!(tune > 0) || tune > 10) {
            throw new IllegalArgumentException("tune must be > 0 and <= 10, was " + tune);
        }
        PackingRun run = new PackingRun(trace);
        List<PackingReport.PolicyResult> results = new ArrayList<>();
        for (String policy : policies) {
            List<AllocationCurve> curves = new ArrayList<>();
            for (long seed : seeds) {
                curves.add(run.run(policy, seed, tune));
            }
            results.add(summarise(policy, curves, tune));
        }
        return new PackingReport(trace.name(), trace.nodes().size(), trace.gpuCount(), results);
    }

    private static PackingReport.PolicyResult summarise(String policy, List<AllocationCurve> curves, double tune) {
        List<Double> perSeed = new ArrayList<>();
        for (AllocationCurve c : curves) {
            perSeed.add(round2(100 - c.allocatedAt(100)));
        }
        List<PackingReport.CurvePoint> points = new ArrayList<>();
        int last = (int) Math.floor(tune * 100);
        for (int pct = 0; pct <= last; pct += CURVE_STEP_PCT) {
            double[] values = new double[curves.size()];
            boolean complete = true;
            for (int i = 0; i < values.length; i++) {
                values[i] = curves.get(i).allocatedAt(pct);
                complete &= !Double.isNaN(values[i]);
            }
            if (complete) {
                points.add(new PackingReport.CurvePoint(pct, round2(100 - median(values))));
            }
        }
        double[] at100 = new double[curves.size()];
        for (int i = 0; i < at100.length; i++) {
            at100[i] = curves.get(i).allocatedAt(100);
        }
        return new PackingReport.PolicyResult(policy, round2(100 - median(at100)), perSeed, points);
    }

    /** Median; NaN when any value is NaN (a run that never reached the point). */
    static double median(double[] values) {
        double[] v = values.clone();
        for (double x : v) {
            if (Double.isNaN(x)) {
                return Double.NaN;
            }
        }
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    static double round2(double x) {
        return Double.isNaN(x) ? x : Math.round(x * 100) / 100.0;
    }
}
