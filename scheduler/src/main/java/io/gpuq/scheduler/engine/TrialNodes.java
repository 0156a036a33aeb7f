package io.gpuq.scheduler.engine;

import io.gpuq.scheduler.engine.model.GpuDemand;
import io.gpuq.scheduler.engine.placement.NodeState;

/**
 * The nodes as a victim search's trial sees them: what room counts read of each node (milli-GPU used
 * per device, free whole devices, free CPU and memory), copied from the node state on its first touch
 * in a trial, with the trial's victims moved off and back on the copy. The node states themselves do
 * not change during a trial, so the placement policies' per-node scores and the room counts stay
 * valid, and ending a trial costs nothing: the next one copies afresh.
 */
final class TrialNodes {
    private final NodeState[] nodes;
    /** Where each node's devices start in {@link #used}; one more entry than nodes. */
    private final int[] deviceStart;
    private final int[] used;
    private final int[] freeWhole;
    private final long[] cpuFree;
    private final long[] memoryFree;
    private final boolean[] cpuLimited;
    private final boolean[] memoryLimited;
    /** The trial a node's copy belongs to; copies of earlier trials are stale. */
    private final int[] stamp;
    private int trial;

    TrialNodes(NodeState[] nodes) {
        this.nodes = nodes;
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
        this.stamp = new int[nodes.length];
    }

    /** Starts a trial on the nodes as they are now. */
    void begin() {
        trial++;
    }

    /** Moves pod {@code pod} of the entry off its node ({@code off}) or back onto it. */
    void move(RunningEntry e, int pod, boolean off) {
        int n = e.nodeIndexes[pod];
        load(n);
        int start = deviceStart[n];
        int[] shares = e.podShares[pod];
        for (int k = 0; k < shares.length; k += 2) {
            int d = start + shares[k];
            int milli = shares[k + 1];
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
        long sign = off ? 1 : -1;
        if (cpuLimited[n]) {
            cpuFree[n] += sign * e.podCpu[pod];
        }
        if (memoryLimited[n]) {
            memoryFree[n] += sign * e.podMemory[pod];
        }
    }

    private void load(int n) {
        if (stamp[n] == trial) {
            return;
        }
        NodeState s = nodes[n];
        int start = deviceStart[n];
        for (int d = 0; d < s.gpuCount(); d++) {
            used[start + d] = s.usedMilli(d);
        }
        freeWhole[n] = s.freeWholeDevices();
        cpuFree[n] = s.cpuFree();
        memoryFree[n] = s.memoryFree();
        stamp[n] = trial;
    }

    int gpuCount(int n) {
        return deviceStart[n + 1] - deviceStart[n];
    }

    /** As {@link NodeState#freeMilli}: a device held whole has all of its 1000 milli used. */
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
