package io.gpuq.scheduler.engine.placement;

import io.gpuq.scheduler.engine.model.GpuDemand;
import io.gpuq.scheduler.engine.model.GpuNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The expected demand as one node sees it, compiled for fast fragmentation measurement.
 *
 * <p>A node's fragmentation is the expected amount of its idle GPU capacity (milli-GPU) that pods
 * drawn from the demand cannot use. For every pod kind, the next pod's view (FGD, Weng et al.,
 * USENIX ATC'23): if a pod of this kind cannot fit at all (too few usable devices, not enough CPU or
 * memory), all idle capacity; if it fits, the idle capacity of devices too small for it. For kinds
 * that share devices this is averaged with the view of a stream of such pods: the idle capacity left
 * over after filling the node with as many of them as its devices, CPU and memory allow. The stream
 * view sees what the next pod misses: a node whose CPU runs out long before its GPUs, and the slack
 * left inside a device that takes two 0.47 shares but not a third. For whole-device kinds it only
 * made results worse on the Alibaba trace, so they keep FGD's view.
 *
 * <p>Kinds the node can never host (selector, affinity, taints, a GPU memory request larger than
 * its devices, more devices, CPU or memory than it has) count all idle capacity; they collapse into
 * one weight. Kinds that look the same to this node are merged.
 */
final class FragmentationProfile {
    private final long capacityMilli;
    private final int[] accessible;
    private final double blockedWeight;
    private final int[] shareMilli;
    private final int[] shareCount;
    private final long[] shareCpu;
    private final long[] shareMem;
    private final double[] shareWeight;
    private final int[] wholeCount;
    private final long[] wholeCpu;
    private final long[] wholeMem;
    private final double[] wholeWeight;

    private record Key(boolean whole, int milli, int count, long cpu, long mem) {
    }

    private FragmentationProfile(long capacityMilli, int[] accessible, double blockedWeight,
                                 List<Map.Entry<Key, Double>> shares, List<Map.Entry<Key, Double>> wholes) {
        this.capacityMilli = capacityMilli;
        this.accessible = accessible;
        this.blockedWeight = blockedWeight;
        int s = shares.size();
        shareMilli = new int[s];
        shareCount = new int[s];
        shareCpu = new long[s];
        shareMem = new long[s];
        shareWeight = new double[s];
        for (int i = 0; i < s; i++) {
            Key k = shares.get(i).getKey();
            shareMilli[i] = k.milli();
            shareCount[i] = k.count();
            shareCpu[i] = k.cpu();
            shareMem[i] = k.mem();
            shareWeight[i] = shares.get(i).getValue();
        }
        int w = wholes.size();
        wholeCount = new int[w];
        wholeCpu = new long[w];
        wholeMem = new long[w];
        wholeWeight = new double[w];
        for (int i = 0; i < w; i++) {
            Key k = wholes.get(i).getKey();
            wholeCount[i] = k.count();
            wholeCpu[i] = k.cpu();
            wholeMem[i] = k.mem();
            wholeWeight[i] = wholes.get(i).getValue();
        }
    }

    static FragmentationProfile of(GpuNode node, DemandDistribution demand) {
        double blocked = 0;
        Map<Key, Double> merged = new LinkedHashMap<>();
        List<DemandDistribution.Entry> entries = demand.entries();
        int[] accessible = new int[entries.size()];
        int nAccessible = 0;
        for (int i = 0; i < entries.size(); i++) {
            DemandDistribution.Entry e = entries.get(i);
            if (!NodeAccess.admits(node, e.shape())) {
                blocked += e.weight();
                continue;
            }
            accessible[nAccessible++] = i;
            Key key = keyOn(node, e.shape());
            if (key == null) {
                blocked += e.weight();
            } else {
                merged.merge(key, e.weight(), Double::sum);
            }
        }
        List<Map.Entry<Key, Double>> shares = new ArrayList<>();
        List<Map.Entry<Key, Double>> wholes = new ArrayList<>();
        for (Map.Entry<Key, Double> e : merged.entrySet()) {
            (e.getKey().whole() ? wholes : shares).add(e);
        }
        // Ascending share size lets one pass over the sorted free list serve every share kind.
        shares.sort((a, b) -> Integer.compare(a.getKey().milli(), b.getKey().milli()));
        long capacity = (long) node.gpuCount() * GpuDemand.MILLI;
        return new FragmentationProfile(capacity, Arrays.copyOf(accessible, nAccessible), blocked, shares, wholes);
    }

    /** How this node sees a shape its constraints admit, or null when the node is too small for it. */
    private static Key keyOn(GpuNode node, DemandShape s) {
        if ((node.cpuMillis() >= 0 && s.cpuMillis() > node.cpuMillis())
                || (node.memoryMiB() >= 0 && s.memoryMiB() > node.memoryMiB())) {
            return null;
        }
        GpuDemand g = s.gpu();
        if (g.kind() == GpuDemand.Kind.WHOLE) {
            return g.wholeGpus() > node.gpuCount() ? null
                    : new Key(true, GpuDemand.MILLI, g.wholeGpus(), s.cpuMillis(), s.memoryMiB());
        }
        int milli = g.milliPerDeviceOn(node.gpuMemoryMiB());
        if (milli > GpuDemand.MILLI || g.devices() > node.gpuCount()) {
            return null;
        }
        return new Key(false, milli, g.devices(), s.cpuMillis(), s.memoryMiB());
    }

    /** GPU capacity of the node in milli-GPU. */
    long capacityMilli() {
        return capacityMilli;
    }

    /**
     * Indices into {@link DemandDistribution#entries()} of the pod kinds whose node constraints admit
     * this node, whether or not it is large enough for them.
     */
    int[] accessible() {
        return accessible;
    }

    /**
     * Expected unusable idle GPU capacity, in milli-GPU, of a node whose devices have the given free
     * capacities ({@code freeAscending[0..n)}, sorted ascending) and the given free CPU and memory.
     */
    double fragmentation(int[] freeAscending, int n, long cpuFree, long memFree) {
        long total = 0;
        int freeDevices = 0;
        for (int i = 0; i < n; i++) {
            total += freeAscending[i];
            if (freeAscending[i] == GpuDemand.MILLI) {
                freeDevices++;
            }
        }
        if (total == 0) {
            return 0;
        }
        double f = blockedWeight * total;
        int idx = 0;
        long tooSmall = 0;
        for (int i = 0; i < shareMilli.length; i++) {
            int m = shareMilli[i];
            while (idx < n && freeAscending[idx] < m) {
                tooSmall += freeAscending[idx];
                idx++;
            }
            int usableDevices = n - idx;
            boolean fits = usableDevices >= shareCount[i] && shareCpu[i] <= cpuFree && shareMem[i] <= memFree;
            long nextPod = fits ? tooSmall : total;
            long pods;
            if (shareCount[i] == 1) {
                pods = 0;
                for (int j = idx; j < n; j++) {
                    pods += freeAscending[j] / m;
                }
            } else {
                pods = usableDevices / shareCount[i];
            }
            pods = Math.min(pods, podsByCpuAndMemory(shareCpu[i], shareMem[i], cpuFree, memFree));
            long stream = total - pods * m * shareCount[i];
            f += shareWeight[i] * 0.5 * (nextPod + stream);
        }
        long partial = total - (long) GpuDemand.MILLI * freeDevices;
        for (int i = 0; i < wholeCount.length; i++) {
            boolean fits = freeDevices >= wholeCount[i] && wholeCpu[i] <= cpuFree && wholeMem[i] <= memFree;
            f += wholeWeight[i] * (fits ? partial : total);
        }
        return f;
    }

    private static long podsByCpuAndMemory(long cpu, long mem, long cpuFree, long memFree) {
        long pods = Long.MAX_VALUE;
        if (cpu > 0) {
            pods = Math.max(0, cpuFree) / cpu;
        }
        if (mem > 0) {
            pods = Math.min(pods, Math.max(0, memFree) / mem);
        }
        return pods;
    }
}
