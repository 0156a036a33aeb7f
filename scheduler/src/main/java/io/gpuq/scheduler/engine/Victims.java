package io.gpuq.scheduler.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Evictable workloads of one project in one pool that have a pod on a node of a candidate list, in
 * running order and in victim order.
 *
 * <p>Victim trials read the victim-ordered list thousands of times per cycle, a few hundred entries
 * each, and what they read of a workload (its pods' nodes, device shares, CPU and memory, the GPUs
 * the reclaim rule counts, its priority) lives in objects spread over the heap. The packed form holds
 * the same in flat arrays in victim order, so a trial reads them in sequence; whether an entry is
 * evicted is asked of the cycle state by the entry's uid.
 */
final class Victims {
    final List<RunningEntry> inRunningOrder;
    /** The same, in {@link VictimSearch#VICTIM_ORDER} (running order among equals). */
    final List<RunningEntry> inVictimOrder;
    private Packed packed;

    Victims(List<RunningEntry> inRunningOrder) {
        this.inRunningOrder = inRunningOrder;
        this.inVictimOrder = new ArrayList<>(inRunningOrder);
        this.inVictimOrder.sort(VictimSearch.VICTIM_ORDER);
    }

    /** The first one in running order that is not evicted, or null. */
    RunningEntry firstAvailable() {
        for (RunningEntry e : inRunningOrder) {
            if (!e.evicted) {
                return e;
            }
        }
        return null;
    }

    /** The victim-ordered entries in flat arrays; entries must have been resolved by the cycle state. */
    Packed packed() {
        if (packed == null) {
            packed = new Packed(inVictimOrder);
        }
        return packed;
    }

    /** {@link #inVictimOrder} as flat arrays; entry {@code j}'s pods are {@code podStart[j]..podStart[j+1]}. */
    static final class Packed {
        final int size;
        final RunningEntry[] entries;
        final int[] uid;
        final int[] priority;
        /** GPUs the reclaim rule counts when the entry is taken: none when its project keeps no account there. */
        final long[] ruleMilli;
        final int[] podStart;
        /** Per pod: node index (-1 for a node not in the cycle), device shares, CPU and memory. */
        final int[] podNode;
        /** Pod {@code p}'s (device, milli) pairs are {@code shares[shareStart[p]..shareStart[p+1])}. */
        final int[] shareStart;
        final int[] shares;
        final long[] podCpu;
        final long[] podMemory;

        Packed(List<RunningEntry> list) {
            size = list.size();
            entries = list.toArray(new RunningEntry[0]);
            uid = new int[size];
            priority = new int[size];
            ruleMilli = new long[size];
            podStart = new int[size + 1];
            int pods = 0;
            int pairs = 0;
            for (RunningEntry e : entries) {
                pods += e.nodeIndexes.length;
                for (int[] s : e.podShares) {
                    pairs += s.length;
                }
            }
            podNode = new int[pods];
            shareStart = new int[pods + 1];
            shares = new int[pairs];
            podCpu = new long[pods];
            podMemory = new long[pods];
            int p = 0;
            int at = 0;
            for (int j = 0; j < size; j++) {
                RunningEntry e = entries[j];
                uid[j] = e.uid;
                priority[j] = e.workload().priority();
                ruleMilli[j] = e.account != null ? e.milli : 0;
                podStart[j] = p;
                for (int k = 0; k < e.nodeIndexes.length; k++, p++) {
                    podNode[p] = e.nodeIndexes[k];
                    shareStart[p] = at;
                    int[] s = e.podShares[k];
                    System.arraycopy(s, 0, shares, at, s.length);
                    at += s.length;
                    podCpu[p] = e.podCpu[k];
                    podMemory[p] = e.podMemory[k];
                }
            }
            podStart[size] = p;
            shareStart[pods] = at;
        }
    }
}
