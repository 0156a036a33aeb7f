package io.gpuq.scheduler.packing;

/**
 * Allocated GPU capacity against arrived GPU request, both in percent of the cluster's capacity,
 * sampled after every arriving pod. Samples are pooled by arrived percent rounded to an integer and
 * read back as the mean of a pool, falling back to the neighbouring pools when one is empty: the way
 * the FGD authors turn their per-pod logs into the published curves, so the figures compare.
 */
final class AllocationCurve {
    private final long capacityMilli;
    private final double[] sum;
    private final int[] count;

    AllocationCurve(long capacityMilli, int maxPercent) {
        this.capacityMilli = capacityMilli;
        this.sum = new double[maxPercent + 2];
        this.count = new int[maxPercent + 2];
    }

    void record(long arrivedMilli, long allocatedMilli) {
        long bucket = Math.round(100.0 * arrivedMilli / capacityMilli);
        if (bucket < 0 || bucket >= sum.length) {
            return;
        }
        sum[(int) bucket] += 100.0 * allocatedMilli / capacityMilli;
        count[(int) bucket]++;
    }

    /** Allocated percent when arrived was {@code percent}, or NaN when the run never got near it. */
    double allocatedAt(int percent) {
        if (percent < 0 || percent >= sum.length) {
            return Double.NaN;
        }
        if (count[percent] > 0) {
            return sum[percent] / count[percent];
        }
        double s = 0;
        int c = 0;
        for (int p = Math.max(0, percent - 1); p <= Math.min(sum.length - 1, percent + 1); p++) {
            s += sum[p];
            c += count[p];
        }
        return c == 0 ? Double.NaN : s / c;
    }
}
