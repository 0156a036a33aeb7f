package io.gpuq.scheduler.packing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The order in which pods arrive in one benchmark run, as the FGD simulator builds it: the trace's
 * pods in a seeded random order, followed by pods drawn from the trace with replacement until the
 * total GPU request reaches {@code tune} times the cluster's capacity. The workload is cut there: a
 * trace that asks for more than that on its own is truncated, which is what the simulator's random
 * removal amounts to for the shuffled order.
 */
final class ArrivalSequence {
    private ArrivalSequence() {
    }

    static List<TracePod> build(List<TracePod> trace, long capacityMilli, double tune, long seed) {
        Random random = new Random(seed);
        List<TracePod> shuffled = new ArrayList<>(trace);
        Collections.shuffle(shuffled, random);
        double target = tune * capacityMilli;
        List<TracePod> out = new ArrayList<>(shuffled.size());
        long total = 0;
        for (TracePod p : shuffled) {
            if (total + p.gpuMilli() > target) {
                return out;
            }
            out.add(p);
            total += p.gpuMilli();
        }
        if (trace.isEmpty() || trace.stream().allMatch(p -> p.gpuMilli() == 0)) {
            return out;
        }
        while (true) {
            TracePod p = trace.get(random.nextInt(trace.size()));
            if (total + p.gpuMilli() > target) {
                return out;
            }
            out.add(p);
            total += p.gpuMilli();
        }
    }
}
