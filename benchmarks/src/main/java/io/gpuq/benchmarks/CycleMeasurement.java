package io.gpuq.benchmarks;

import io.gpuq.scheduler.engine.EngineSettings;
import io.gpuq.scheduler.engine.SchedulingEngine;
import io.gpuq.scheduler.engine.model.ClusterSnapshot;
import io.gpuq.scheduler.engine.model.CycleResult;
import io.gpuq.scheduler.engine.model.PlacementDecision;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Times full scheduling cycles on one snapshot: warm-up cycles first (so the JIT has compiled the
 * engine's hot paths), then measured cycles, each on a fresh engine as the scheduler runs them. The
 * last measured cycle's decisions are checked with {@link Invariants}; a cycle that breaks them fails
 * the measurement instead of producing a figure.
 */
final class CycleMeasurement {
    /** What the measured cycles produced and cost. Times in milliseconds, heap in bytes. */
    record Outcome(double[] cycleMillis, double[] cpuMillis, int placedPods, int placedWorkloads, int evictions, int stillPending,
                   long peakUsedBytes, long peakLiveAfterGcBytes, int collections, long gcMillis,
                   long liveAfterCycleBytes) {

        double medianMillis() {
            return median(cycleMillis);
        }

        double minMillis() {
            return Arrays.stream(cycleMillis).min().orElse(Double.NaN);
        }

        double maxMillis() {
            return Arrays.stream(cycleMillis).max().orElse(Double.NaN);
        }

        /** CPU time of the thread that ran the cycle (collector threads not included). */
        double medianCpuMillis() {
            return median(cpuMillis);
        }

        /** Pods placed per second of the median cycle. */
        double placementsPerSecond() {
            double m = medianMillis();
            return m > 0 ? placedPods / (m / 1000.0) : 0;
        }
    }

    private final EngineSettings settings;
    private final HeapWatch heap = new HeapWatch();
    /**
     * Wall time is the figure of merit, but on a shared machine it also counts other processes'
     * turns; the cycle thread's CPU time is reported beside it as the steadier measure.
     */
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    CycleMeasurement(EngineSettings settings) {
        this.settings = settings;
    }

    /** One cycle, untimed: for building the next scenario from its decisions. */
    CycleResult once(ClusterSnapshot snapshot) {
        return new SchedulingEngine(settings).cycle(snapshot);
    }

    Outcome measure(ClusterSnapshot snapshot, int warmup, int runs) {
        if (runs < 1) {
            throw new IllegalArgumentException("at least one measured run is needed");
        }
        for (int i = 0; i < warmup; i++) {
            once(snapshot);
        }
        double[] millis = new double[runs];
        double[] cpu = new double[runs];
        CycleResult last = null;
        long peakUsed = 0;
        long peakLive = 0;
        int collections = 0;
        long gcMillis = 0;
        int placedPods = -1;
        for (int i = 0; i < runs; i++) {
            // Drop the previous result first, so the next cycle does not pay for keeping it alive.
            last = null;
            heap.start();
            long c0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            CycleResult r = new SchedulingEngine(settings).cycle(snapshot);
            long t1 = System.nanoTime();
            long c1 = threads.getCurrentThreadCpuTime();
            HeapWatch.Reading reading = heap.stop();
            millis[i] = (t1 - t0) / 1e6;
            cpu[i] = (c1 - c0) / 1e6;
            peakUsed = Math.max(peakUsed, reading.peakUsedBytes());
            peakLive = Math.max(peakLive, reading.peakLiveAfterGcBytes());
            collections += reading.collections();
            gcMillis += reading.gcMillis();
            int pods = podsPlaced(r);
            if (placedPods >= 0 && pods != placedPods) {
                throw new IllegalStateException("the engine is not deterministic: run " + i + " placed " + pods
                        + " pods, an earlier run " + placedPods);
            }
            placedPods = pods;
            last = r;
        }
        List<String> violations = Invariants.violations(snapshot, last);
        if (!violations.isEmpty()) {
            throw new IllegalStateException("the measured cycle broke " + violations.size() + " invariant(s), first: "
                    + violations.get(0));
        }
        long liveAfter = HeapWatch.liveHeapBytes();
        return new Outcome(millis, cpu, placedPods, last.placements().size(), last.evictions().size(),
                last.pendingReasons().size(), peakUsed, peakLive, collections, gcMillis, liveAfter);
    }

    static int podsPlaced(CycleResult r) {
        int pods = 0;
        for (PlacementDecision d : r.placements()) {
            pods += d.pods().size();
        }
        return pods;
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    static List<Double> asList(double[] values) {
        List<Double> out = new ArrayList<>(values.length);
        for (double v : values) {
            out.add(v);
        }
        return out;
    }
}
