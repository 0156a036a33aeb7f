package io.gpuq.scheduler.engine.placement;

import io.gpuq.scheduler.engine.model.DeviceShare;
import io.gpuq.scheduler.engine.model.GpuDemand;
import io.gpuq.scheduler.engine.model.GpuNode;
import io.gpuq.scheduler.engine.model.PodAllocation;
import io.gpuq.scheduler.engine.model.PodRequest;

/**
 * The mutable occupancy of one node during a cycle: milli-GPU used per device, which devices are held
 * whole, CPU and memory used. Not thread-safe; one cycle owns it.
 *
 * <p>Invariants: a device's used share never exceeds 1000 milli; a device held whole carries nothing
 * else; a device with any fraction on it is never handed out whole.
 */
public final class NodeState {
    private final GpuNode node;
    private final int[] used;
    private final boolean[] whole;
    private final int[] sharers;
    private long cpuUsed;
    private long memUsed;
    private long usedMilliTotal;
    private int freeWholeDevices;
    private int version;
    private final NodeJournal journal;
    private final int id;

    /** A node state that logs its changes nowhere. */
    public NodeState(GpuNode node) {
        this(node, null, -1);
    }

    /**
     * A node state that logs every change of its occupancy in {@code journal} under {@code id}, so
     * that per-node caches can catch up on changed nodes only (see {@link NodeJournal}).
     */
    public NodeState(GpuNode node, NodeJournal journal, int id) {
        if (journal != null && (id < 0 || id >= journal.nodeCount())) {
            throw new IllegalArgumentException("node id " + id + " of " + node.name()
                    + " is outside the journal's 0.." + (journal.nodeCount() - 1));
        }
        this.journal = journal;
        this.id = id;
        this.node = node;
        this.used = new int[node.gpuCount()];
        this.whole = new boolean[node.gpuCount()];
        this.sharers = new int[node.gpuCount()];
        this.freeWholeDevices = node.gpuCount();
    }

    public GpuNode node() {
        return node;
    }

    public String name() {
        return node.name();
    }

    public int gpuCount() {
        return used.length;
    }

    public int usedMilli(int device) {
        return used[device];
    }

    public int freeMilli(int device) {
        return whole[device] ? 0 : GpuDemand.MILLI - used[device];
    }

    public boolean heldWhole(int device) {
        return whole[device];
    }

    /** Number of pods sharing this device through fractions. */
    public int sharers(int device) {
        return sharers[device];
    }

    public long usedMilliTotal() {
        return usedMilliTotal;
    }

    public long freeMilliTotal() {
        return (long) used.length * GpuDemand.MILLI - usedMilliTotal;
    }

    /** Devices with nothing on them, which a whole-GPU pod may take. */
    public int freeWholeDevices() {
        return freeWholeDevices;
    }

    public long cpuFree() {
        return node.cpuMillis() < 0 ? Long.MAX_VALUE : node.cpuMillis() - cpuUsed;
    }

    public long memoryFree() {
        return node.memoryMiB() < 0 ? Long.MAX_VALUE : node.memoryMiB() - memUsed;
    }

    public long cpuUsed() {
        return cpuUsed;
    }

    public long memoryUsed() {
        return memUsed;
    }

    /** Changes every time the occupancy changes; lets policies cache per-node scores. */
    public int version() {
        return version;
    }

    /** The journal this node logs its changes in, or null. */
    public NodeJournal journal() {
        return journal;
    }

    /** The node's id in its journal; -1 without one. */
    public int id() {
        return id;
    }

    private void changed() {
        version++;
        if (journal != null) {
            journal.add(id);
        }
    }

    public boolean fitsCpuAndMemory(PodRequest pod) {
        return pod.cpuMillis() <= cpuFree() && pod.memoryMiB() <= memoryFree();
    }

    /** The milli-GPU per device this pod needs here (more than 1000 when it can never fit a device). */
    public int milliPerDeviceFor(GpuDemand demand) {
        return demand.milliPerDeviceOn(node.gpuMemoryMiB());
    }

    /** Whether the pod fits this node at all (GPU shape, CPU, memory), ignoring constraints. */
    public boolean fits(PodRequest pod) {
        if (!fitsCpuAndMemory(pod)) {
            return false;
        }
        GpuDemand g = pod.gpu();
        switch (g.kind()) {
            case NONE:
                return true;
            case WHOLE:
                return freeWholeDevices >= g.wholeGpus();
            default:
                int m = milliPerDeviceFor(g);
                if (m > GpuDemand.MILLI) {
                    return false;
                }
                int usable = 0;
                for (int d = 0; d < used.length; d++) {
                    if (!whole[d] && used[d] + m <= GpuDemand.MILLI) {
                        usable++;
                    }
                }
                return usable >= g.devices();
        }
    }

    /** Whether a share of {@code milli} could go on this device now. */
    public boolean canShare(int device, int milli) {
        return !whole[device] && used[device] + milli <= GpuDemand.MILLI;
    }

    /** Applies a pod's allocation, or throws and changes nothing when any device cannot take it. */
    public void apply(PodAllocation a) {
        check(a);
        for (DeviceShare s : a.devices()) {
            int d = s.index();
            if (d >= used.length) {
                throw new IllegalStateException("node " + node.name() + " has no device " + d);
            }
            if (s.isWhole()) {
                if (used[d] != 0) {
                    throw new IllegalStateException("node " + node.name() + " device " + d
                            + " is not free for a whole-GPU pod (used " + used[d] + " milli)");
                }
                whole[d] = true;
            } else {
                if (whole[d] || used[d] + s.milli() > GpuDemand.MILLI) {
                    throw new IllegalStateException("node " + node.name() + " device " + d
                            + " cannot take " + s.milli() + " milli (used " + used[d] + ")");
                }
                sharers[d]++;
            }
            if (used[d] == 0) {
                freeWholeDevices--;
            }
            used[d] += s.milli();
            usedMilliTotal += s.milli();
        }
        cpuUsed += a.cpuMillis();
        memUsed += a.memoryMiB();
        changed();
    }

    private void check(PodAllocation a) {
        int[] adding = null;
        for (DeviceShare s : a.devices()) {
            int d = s.index();
            if (d >= used.length) {
                throw new IllegalStateException("node " + node.name() + " has no device " + d);
            }
            if (adding == null) {
                adding = new int[used.length];
            }
            if (s.isWhole() ? used[d] + adding[d] != 0 : whole[d] || used[d] + adding[d] + s.milli() > GpuDemand.MILLI) {
                throw new IllegalStateException("node " + node.name() + " device " + d + " cannot take "
                        + s.milli() + " milli (used " + used[d] + (whole[d] ? ", held whole" : "") + ")");
            }
            adding[d] += s.milli();
        }
    }

    public void release(PodAllocation a) {
        for (DeviceShare s : a.devices()) {
            int d = s.index();
            used[d] -= s.milli();
            usedMilliTotal -= s.milli();
            if (s.isWhole()) {
                whole[d] = false;
            } else {
                sharers[d]--;
            }
            if (used[d] < 0) {
                throw new IllegalStateException("node " + node.name() + " device " + d + " released below zero");
            }
            if (used[d] == 0) {
                freeWholeDevices++;
            }
        }
        cpuUsed -= a.cpuMillis();
        memUsed -= a.memoryMiB();
        changed();
    }

    /** Adds usage that is not ours (pods of other schedulers): CPU and memory only. */
    public void reserveForeign(long cpuMillis, long memoryMiB) {
        cpuUsed += cpuMillis;
        memUsed += memoryMiB;
        changed();
    }
}
