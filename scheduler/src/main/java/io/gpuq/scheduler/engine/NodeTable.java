package io.gpuq.scheduler.engine;

import io.gpuq.scheduler.engine.model.GpuDemand;
import io.gpuq.scheduler.engine.model.PodAllocation;
import io.gpuq.scheduler.engine.placement.NodeState;

/**
 * What room counts read of each node (milli-GPU used per device, free whole devices, free CPU and
 * memory), in flat arrays by node index, for views of the nodes other than their real state: a
 * victim trial's, or the nodes without their evictable work. Kept as {@link NodeState} keeps it: a
 * device held whole has all of its 1000 milli used.
 */
final class NodeTable {
    private final int[] deviceStart;
    private final int[] used;
    private final int[] freeWhole;
    private final long[] cpuFree;
    private final long[] memoryFree;
    private final boolean[] cpuLimited;
    private final boolean[] memoryLimited;

    NodeTable(NodeState[] nodes) {
        this.deviceStart = new int[nodes.length + 1];
        for (int i = 0; i < nodes.length; i++) {
            deviceStart[i + 1] = deviceStart[i] + nodes[i].gpuCount();
        }
        this.used = new int[deviceStart[nodes.length]];
        this.freeWhole = new int[nodes.length];
        this.cpuFree = new long[nodes.length];
        this.memoryFree = new long[nodes.length];
        this.cpuLimited = new boolean[nodes.length];
        this.memoryLimited = new boolean[nodes.length];
        for (int i = 0; i < nodes.length; i++) {
            cpuLimited[i] = nodes[i].node().cpuMillis() >= 0;
            memoryLimited[i] = nodes[i].node().memoryMiB() >= 0;
        }
    }

    /** Sets node {@code n} to the node state's occupancy. */
    void copy(int n, NodeState s) {
        int start = deviceStart[n];
        for (int d = 0; d < s.gpuCount(); d++) {
            used[start + d] = s.usedMilli(d);
        }
        freeWhole[n] = s.freeWholeDevices();
        cpuFree[n] = s.cpuFree();
        memoryFree[n] = s.memoryFree();
    }

    /** Sets node {@code n} to what {@code other} has for it. */
    void copy(int n, NodeTable other) {
        int start = deviceStart[n];
        System.arraycopy(other.used, start, used, start, deviceStart[n + 1] - start);
        freeWhole[n] = other.freeWhole[n];
        cpuFree[n] = other.cpuFree[n];
        memoryFree[n] = other.memoryFree[n];
    }

    /** Moves pod {@code pod} of the entry off node {@code n} ({@code off}) or back onto it. */
    void move(int n, RunningEntry e, int pod, boolean off) {
        int[] shares = e.podShares[pod];
        move(n, shares, 0, shares.length, e.podCpu[pod], e.podMemory[pod], off);
    }

    /** Takes an allocation's shares, CPU and memory off node {@code n} ({@code off}) or adds them. */
    void move(int n, PodAllocation a, boolean off) {
        int start = deviceStart[n];
        for (var s : a.devices()) {
            shiftDevice(n, start + s.index(), s.milli(), off);
        }
        shiftCpuAndMemory(n, a.cpuMillis(), a.memoryMiB(), off);
    }

    /** Moves a pod off node {@code n} or back on: its (device, milli) pairs in {@code shares[from..to)}. */
    void move(int n, int[] shares, int from, int to, long cpu, long memory, boolean off) {
        int start = deviceStart[n];
        for (int k = from; k < to; k += 2) {
            shiftDevice(n, start + shares[k], shares[k + 1], off);
        }
        shiftCpuAndMemory(n, cpu, memory, off);
    }

    private void shiftDevice(int n, int d, int milli, boolean off) {
        if (off) {
            used[d] -= milli;
            if (used[d] == 0) {
                freeWhole[n]++;
            }
        } else {
            if (used[d] == 0) {
                freeWhole[n]--;
            }
            used[d] += milli;
        }
    }

    private void shiftCpuAndMemory(int n, long cpu, long memory, boolean off) {
        long sign = off ? 1 : -1;
        if (cpuLimited[n]) {
            cpuFree[n] += sign * cpu;
        }
        if (memoryLimited[n]) {
            memoryFree[n] += sign * memory;
        }
    }

    int gpuCount(int n) {
        return deviceStart[n + 1] - deviceStart[n];
    }

    /** As {@link NodeState#freeMilli}. */
    int freeMilli(int n, int device) {
        return GpuDemand.MILLI - used[deviceStart[n] + device];
    }

    int freeWholeDevices(int n) {
        return freeWhole[n];
    }

    long cpuFree(int n) {
        return cpuFree[n];
    }

    long memoryFree(int n) {
        return memoryFree[n];
    }
}
