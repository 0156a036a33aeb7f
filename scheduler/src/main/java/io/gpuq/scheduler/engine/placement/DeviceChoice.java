package io.gpuq.scheduler.engine.placement;

import io.gpuq.scheduler.engine.model.GpuDemand;

/**
 * Picks devices on one node. Whole GPUs only ever get completely free devices; shares only go where
 * {@link NodeState#canShare} allows, so a device held whole never gets a share and a shared device is
 * never handed out whole. Ties always go to the lowest device index, so choices are reproducible.
 */
final class DeviceChoice {
    private DeviceChoice() {
    }

    /** The {@code count} lowest-numbered completely free devices, or null when there are fewer. */
    static int[] freeDevices(NodeState node, int count) {
        if (node.freeWholeDevices() < count) {
            return null;
        }
        int[] out = new int[count];
        int n = 0;
        for (int d = 0; d < node.gpuCount() && n < count; d++) {
            if (isFree(node, d)) {
                out[n++] = d;
            }
        }
        return n == count ? out : null;
    }

    static boolean isFree(NodeState node, int device) {
        return !node.heldWhole(device) && node.usedMilli(device) == 0;
    }

    /**
     * {@code count} distinct devices that can each take {@code milli}, preferring the fullest ones
     * (best fit) or the emptiest ones; null when fewer than {@code count} can take it.
     */
    static int[] shareDevices(NodeState node, int milli, int count, boolean fullestFirst) {
        int[] out = new int[count];
        int n = 0;
        int gpus = node.gpuCount();
        boolean[] taken = count > 1 ? new boolean[gpus] : null;
        for (int k = 0; k < count; k++) {
            int pick = -1;
            for (int d = 0; d < gpus; d++) {
                if ((taken != null && taken[d]) || !node.canShare(d, milli)) {
                    continue;
                }
                if (pick < 0 || better(node.freeMilli(d), node.freeMilli(pick), fullestFirst)) {
                    pick = d;
                }
            }
            if (pick < 0) {
                return null;
            }
            out[n++] = pick;
            if (taken != null) {
                taken[pick] = true;
            }
        }
        return out;
    }

    private static boolean better(int free, int bestFree, boolean fullestFirst) {
        return fullestFirst ? free < bestFree : free > bestFree;
    }

    /** Devices for the pod's GPU demand on this node (empty for CPU-only pods), or null if it cannot fit. */
    static Choice choose(NodeState node, GpuDemand demand, boolean fullestFirst) {
        switch (demand.kind()) {
            case NONE:
                return Choice.NONE;
            case WHOLE: {
                int[] d = freeDevices(node, demand.wholeGpus());
                return d == null ? null : new Choice(d, GpuDemand.MILLI);
            }
            default: {
                int milli = node.milliPerDeviceFor(demand);
                if (milli > GpuDemand.MILLI || demand.devices() > node.gpuCount()) {
                    return null;
                }
                int[] d = shareDevices(node, milli, demand.devices(), fullestFirst);
                return d == null ? null : new Choice(d, milli);
            }
        }
    }

    /** Chosen device indices and the milli-GPU each of them gets. */
    record Choice(int[] devices, int milliPerDevice) {
        static final Choice NONE = new Choice(new int[0], 0);

        long totalMilli() {
            return (long) devices.length * milliPerDevice;
        }
    }
}
