package io.gpuq.scheduler.engine.placement;

import io.gpuq.scheduler.engine.model.GpuDemand;
import io.gpuq.scheduler.engine.model.PodRequest;

import java.util.Arrays;
import java.util.List;

/**
 * Fragmentation-aware placement, after FGD (Weng et al., "Beware of Fragmentation", USENIX ATC'23):
 * put the pod where, and on the device where, it raises the node's expected unusable GPU capacity
 * the least (see {@link FragmentationProfile} for the measure), plus a scarcity cost.
 *
 * <p>Where it departs from FGD's kube-scheduler plugin, each measured on the Alibaba trace:
 * <ul>
 *   <li>for pod kinds that share devices the measure also looks past the next pod (see
 *       {@link FragmentationProfile});</li>
 *   <li>scarcity: capacity that some pod kinds can use only there (a GPU model few nodes have, asked
 *       for by a large share of the demand) costs more to take. A node's pressure is the demand whose
 *       node constraints admit it, each pod kind's demand spread over the capacity of all candidate
 *       nodes it may use, relative to the average over the candidates; taking a milli-GPU costs
 *       {@link #SCARCITY_WEIGHT} times that pressure. Flexible pods thus leave scarce models to the
 *       pods that need them. Without node constraints in the demand, pressure is the same everywhere
 *       and changes nothing;</li>
 *   <li>increases are compared exactly rather than squashed through a sigmoid into 0..100 integer
 *       scores with random ties; remaining ties (common: many nodes are in the same state) go to the
 *       fuller node, as binpacking would, and within a node to the fullest device (best fit).</li>
 * </ul>
 * With an empty demand sample every node measures zero and the order is plain binpacking.
 */
final class FragmentationAwarePolicy extends ScoringPolicy<FragmentationMemo> {
    static final String NAME = "default";

    /** Milli-GPU of fragmentation one milli-GPU taken from a node at average pressure is worth. */
    static final double SCARCITY_WEIGHT = 0.5;

    /** Fragmentation is a sum of products of weights and milli values; differences below this are noise. */
    private static final double RESOLUTION = 1e-6;

    private final DemandDistribution demand;
    private final SingleDevice single = new SingleDevice();
    private int[] scratch = new int[8];

    /** The outcome of trying a one-device share on each distinct free capacity of a node. */
    private static final class SingleDevice {
        int freeValue;
        double after;
    }

    FragmentationAwarePolicy(DemandDistribution demand) {
        this.demand = demand;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected FragmentationMemo newMemo(NodeState node) {
        return new FragmentationMemo(node, FragmentationProfile.of(node.node(), demand));
    }

    @Override
    protected double[] biasPerMilli(List<FragmentationMemo> candidates) {
        List<DemandDistribution.Entry> entries = demand.entries();
        if (entries.isEmpty() || candidates.isEmpty()) {
            return null;
        }
        double[] supply = new double[entries.size()];
        double capacity = 0;
        for (FragmentationMemo m : candidates) {
            long c = m.profile.capacityMilli();
            capacity += c;
            for (int i : m.profile.accessible()) {
                supply[i] += c;
            }
        }
        if (capacity == 0) {
            return null;
        }
        double[] bias = new double[candidates.size()];
        for (int j = 0; j < bias.length; j++) {
            FragmentationMemo m = candidates.get(j);
            long deviceMemory = m.node.node().gpuMemoryMiB();
            double all = 0;
            for (DemandDistribution.Entry e : entries) {
                all += e.weight() * demandMilli(e.shape().gpu(), deviceMemory);
            }
            double here = 0;
            for (int i : m.profile.accessible()) {
                here += entries.get(i).weight() * demandMilli(entries.get(i).shape().gpu(), deviceMemory) / supply[i];
            }
            bias[j] = all == 0 ? 0 : SCARCITY_WEIGHT * here * capacity / all;
        }
        return bias;
    }

    private static long demandMilli(GpuDemand g, long deviceMemoryMiB) {
        long devices = g.kind() == GpuDemand.Kind.WHOLE ? g.wholeGpus() : g.devices();
        return Math.min(g.totalMilliOn(deviceMemoryMiB), devices * GpuDemand.MILLI);
    }

    @Override
    protected void evaluate(NodeState node, FragmentationMemo memo, PodRequest pod, Evaluation out) {
        if (!node.fitsCpuAndMemory(pod)) {
            out.reject();
            return;
        }
        double before = memo.fragmentationNow();
        int[] free = memo.freeAscending;
        int n = free.length;
        if (scratch.length < n) {
            scratch = new int[n];
        }
        long cpuAfter = node.cpuFree() - pod.cpuMillis();
        long memAfter = node.memoryFree() - pod.memoryMiB();
        GpuDemand g = pod.gpu();
        int[] devices;
        int milli;
        double after;
        switch (g.kind()) {
            case NONE:
                devices = null;
                milli = 0;
                after = memo.profile.fragmentation(free, n, cpuAfter, memAfter);
                break;
            case WHOLE:
                devices = DeviceChoice.freeDevices(node, g.wholeGpus());
                if (devices == null) {
                    out.reject();
                    return;
                }
                milli = GpuDemand.MILLI;
                after = afterWhole(memo, free, n, g.wholeGpus(), cpuAfter, memAfter);
                break;
            default:
                milli = node.milliPerDeviceFor(g);
                if (milli > GpuDemand.MILLI || g.devices() > n) {
                    out.reject();
                    return;
                }
                if (g.devices() == 1) {
                    if (!bestSingleDevice(memo, free, n, milli, cpuAfter, memAfter)) {
                        out.reject();
                        return;
                    }
                    devices = new int[] {lowestDeviceWithFree(node, single.freeValue)};
                    after = single.after;
                } else {
                    devices = DeviceChoice.shareDevices(node, milli, g.devices(), true);
                    if (devices == null) {
                        out.reject();
                        return;
                    }
                    after = afterShares(memo, node, devices, milli, cpuAfter, memAfter);
                }
                break;
        }
        long added = devices == null ? 0 : (long) devices.length * milli;
        double increase = Math.rint((after - before) / RESOLUTION) * RESOLUTION;
        out.accept(devices, milli, increase,
                -Utilization.gpuAfter(node, added, 1.0),
                -Utilization.cpuAfter(node, pod.cpuMillis()));
    }

    /**
     * Tries the share on each distinct free capacity that can take it and records in {@link #single}
     * the one that adds the least fragmentation (the fullest on ties); false when no device can take
     * it. Devices with the same free capacity are interchangeable for the measure, so one try each.
     */
    private boolean bestSingleDevice(FragmentationMemo memo, int[] free, int n, int milli, long cpuAfter,
                                     long memAfter) {
        int chosen = -1;
        double bestAfter = 0;
        for (int i = 0; i < n; i++) {
            int v = free[i];
            if (v < milli || (i > 0 && free[i - 1] == v)) {
                continue;
            }
            System.arraycopy(free, 0, scratch, 0, n);
            scratch[i] = v - milli;
            // Only this entry moved down; bubble it back into place to keep the list sorted.
            for (int j = i; j > 0 && scratch[j] < scratch[j - 1]; j--) {
                int t = scratch[j];
                scratch[j] = scratch[j - 1];
                scratch[j - 1] = t;
            }
            double after = memo.profile.fragmentation(scratch, n, cpuAfter, memAfter);
            if (chosen < 0 || after < bestAfter - RESOLUTION) {
                chosen = v;
                bestAfter = after;
            }
        }
        single.freeValue = chosen;
        single.after = bestAfter;
        return chosen >= 0;
    }

    private static int lowestDeviceWithFree(NodeState node, int freeValue) {
        for (int d = 0; d < node.gpuCount(); d++) {
            if (node.freeMilli(d) == freeValue) {
                return d;
            }
        }
        throw new IllegalStateException("node " + node.name() + " has no device with " + freeValue + " milli free");
    }

    private double afterWhole(FragmentationMemo memo, int[] free, int n, int count, long cpuAfter, long memAfter) {
        // The free devices are the largest entries; taking them leaves zeros at the front.
        Arrays.fill(scratch, 0, count, 0);
        System.arraycopy(free, 0, scratch, count, n - count);
        return memo.profile.fragmentation(scratch, n, cpuAfter, memAfter);
    }

    private double afterShares(FragmentationMemo memo, NodeState node, int[] devices, int milli,
                               long cpuAfter, long memAfter) {
        int n = node.gpuCount();
        for (int d = 0; d < n; d++) {
            scratch[d] = node.freeMilli(d);
        }
        for (int d : devices) {
            scratch[d] -= milli;
        }
        Arrays.sort(scratch, 0, n);
        return memo.profile.fragmentation(scratch, n, cpuAfter, memAfter);
    }
}
