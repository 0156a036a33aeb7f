package io.gpuq.scheduler.engine.placement;

import io.gpuq.scheduler.engine.model.DeviceShare;
import io.gpuq.scheduler.engine.model.PodAllocation;
import io.gpuq.scheduler.engine.model.PodRequest;

import java.util.ArrayList;
import java.util.List;

/**
 * One policy's verdict for one pod shape on one node state: whether it fits, where on the node it
 * would go, and a lexicographic cost (lower is better). Mutable and reused, because the engine asks
 * for millions of these per cycle and most of them come from the cache.
 */
final class Evaluation {
    private static final int[] NO_DEVICES = new int[0];

    /** The node version this verdict was computed for; stale once the node changes. */
    int version = Integer.MIN_VALUE;
    boolean fits;
    double primary;
    double secondary;
    double tertiary;
    int[] devices = NO_DEVICES;
    int milliPerDevice;
    /** Milli-GPU the pod adds to the node. */
    long addedMilli;

    boolean isFreshFor(NodeState node) {
        return version == node.version();
    }

    void reject() {
        fits = false;
        devices = NO_DEVICES;
        milliPerDevice = 0;
        addedMilli = 0;
    }

    void accept(int[] chosen, int milli, double primary, double secondary, double tertiary) {
        this.fits = true;
        this.devices = chosen == null ? NO_DEVICES : chosen;
        this.milliPerDevice = milli;
        this.addedMilli = (long) this.devices.length * milli;
        this.primary = primary;
        this.secondary = secondary;
        this.tertiary = tertiary;
    }

    /**
     * Whether this verdict beats {@code other}; {@code primary} values are compared after adding each
     * verdict's per-milli bias for the node times the milli-GPU it adds.
     */
    boolean cheaperThan(double bias, Evaluation other, double otherBias) {
        double p = primary + bias * addedMilli;
        double q = other.primary + otherBias * other.addedMilli;
        if (p != q) {
            return p < q;
        }
        if (secondary != other.secondary) {
            return secondary < other.secondary;
        }
        return tertiary < other.tertiary;
    }

    PodAllocation toAllocation(PodRequest pod, NodeState node) {
        List<DeviceShare> shares = new ArrayList<>(devices.length);
        for (int d : devices) {
            shares.add(new DeviceShare(d, milliPerDevice));
        }
        return new PodAllocation(pod.name(), node.name(), shares, pod.cpuMillis(), pod.memoryMiB());
    }
}
