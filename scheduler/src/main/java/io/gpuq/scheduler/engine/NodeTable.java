package io.gpuq.scheduler.engine;

import io.gpuq.scheduler.engine.model.DeviceShare;
import io.gpuq.scheduler.engine.model.GpuDemand;
import io.gpuq.scheduler.engine.model.PodAllocation;
import io.gpuq.scheduler.engine.placement.NodeState;

/**
 * What room counts read of each node (milli-GPU used per device, free whole devices, free CPU and
 * memory), in flat arrays by node index, for views of the nodes other than their real state: a
 * victim trial's, or the nodes without their evictable work. Kept as {@link NodeState} keeps it: a
 * device held whole has all of its 1000 milli used.
 *
 * <p>Each node's numbers lie next to each other, so that moving a pod and counting the room after
 * touch one or two cache lines: trials do that millions of times per cycle, on nodes all over the
 * cluster.
 */
final class NodeTable {
    private static final int CPU_LIMITED = 1;
    private static final int MEMORY_LIMITED = 2;

    /**
     * Node {@code n}'s ints start at {@code start[n]}: the milli-GPU used on each device, then its
     * free whole devices, then whether its CPU and memory are limited (bits).
     */
    private final int[] start;
    private final int[] ints;
    /** Node {@code n}'s free CPU at {@code 2n}, its free memory at {@code 2n + 1}. */
    private final long[] longs;

    NodeTable(NodeState[] nodes) {
        this.start = new int[nodes.length + 1];
        for (int n = 0; n < nodes.length; n++) {
            start[n + 1] = start[n] + nodes[n].gpuCount() + 2;
        }
        this.ints = new int[start[nodes.length]];
        this.longs = new long[2 * nodes.length];
        for (int n = 0; n < nodes.length; n++) {
            int flags = (nodes[n].node().cpuMillis() >= 0 ? CPU_LIMITED : 0)
                    | (nodes[n].node().memoryMiB() >= 0 ? MEMORY_LIMITED : 0);
            ints[start[n + 1] - 1] = flags;
        }
    }

    /** Sets node {@code n} to the node state's occupancy. */
    void copy(int n, NodeState s) {
        int at = start[n];
        int gpus = s.gpuCount();
        for (int d = 0; d < gpus; d++) {
            ints[at + d] = s.usedMilli(d);
        }
        ints[at + gpus] = s.freeWholeDevices();
        longs[2 * n] = s.cpuFree();
        longs[2 * n + 1] = s.memoryFree();
    }

    /** Sets node {@code n} to what {@code other} has for it. */
    void copy(int n, NodeTable other) {
        int at = start[n];
        System.arraycopy(other.ints, at, ints, at, start[n + 1] - at);
        longs[2 * n] = other.longs[2 * n];
        longs[2 * n + 1] = other.longs[2 * n + 1];
    }

    /** Moves pod {@code pod} of the entry off node {@code n} ({@code off}) or back onto it. */
    void move(int n, RunningEntry e, int pod, boolean off) {
        int[] shares = e.podShares[pod];
        move(n, shares, 0, shares.length, e.podCpu[pod], e.podMemory[pod], off);
    }

    /** Takes an allocation's shares, CPU and memory off node {@code n} ({@code off}) or adds them. */
    void move(int n, PodAllocation a, boolean off) {
        int at = start[n];
        int free = start[n + 1] - 2;
        for (DeviceShare s : a.devices()) {
            shiftDevice(at + s.index(), free, s.milli(), off);
        }
        shiftCpuAndMemory(n, a.cpuMillis(), a.memoryMiB(), off);
    }

    /** Moves a pod off node {@code n} or back on: its (device, milli) pairs in {@code shares[from..to)}. */
    void move(int n, int[] shares, int from, int to, long cpu, long memory, boolean off) {
        int at = start[n];
        int free = start[n + 1] - 2;
        for (int k = from; k < to; k += 2) {
            shiftDevice(at + shares[k], free, shares[k + 1], off);
        }
        shiftCpuAndMemory(n, cpu, memory, off);
    }

    private void shiftDevice(int device, int freeWhole, int milli, boolean off) {
        if (off) {
            ints[device] -= milli;
            if (ints[device] == 0) {
                ints[freeWhole]++;
            }
        } else {
            if (ints[device] == 0) {
                ints[freeWhole]--;
            }
            ints[device] += milli;
        }
    }

    private void shiftCpuAndMemory(int n, long cpu, long memory, boolean off) {
        int flags = ints[start[n + 1] - 1];
        long sign = off ? 1 : -1;
        if ((flags & CPU_LIMITED) != 0) {
            longs[2 * n] += sign * cpu;
        }
        if ((flags & MEMORY_LIMITED) != 0) {
            longs[2 * n + 1] += sign * memory;
        }
    }

    int gpuCount(int n) {
        return start[n + 1] - start[n] - 2;
    }

    /** As {@link NodeState#freeMilli}. */
    int freeMilli(int n, int device) {
        return GpuDemand.MILLI - ints[start[n] + device];
    }

    int freeWholeDevices(int n) {
        return ints[start[n + 1] - 2];
    }

    long cpuFree(int n) {
        return longs[2 * n];
    }

    long memoryFree(int n) {
        return longs[2 * n + 1];
    }
}
