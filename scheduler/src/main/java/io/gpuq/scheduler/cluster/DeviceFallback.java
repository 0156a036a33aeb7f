package io.gpuq.scheduler.cluster;

import io.gpuq.scheduler.engine.model.DeviceShare;
import io.gpuq.scheduler.engine.model.GpuDemand;
import io.gpuq.scheduler.engine.model.GpuNode;
import io.gpuq.scheduler.engine.model.PodAllocation;
import io.gpuq.scheduler.engine.model.PodRequest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Devices for a bound pod whose {@code runai/gpu-devices} is missing or unreadable (bound by someone
 * else, or edited by hand): the lowest devices with room, so its GPUs are still counted. When the
 * node has no room left the lowest devices are used anyway; the engine treats such an over-full
 * device as a conflict and never places more on it.
 */
final class DeviceFallback {
    private DeviceFallback() {
    }

    static PodAllocation choose(PodFacts f, GpuNode node, Collection<PodAllocation> known) {
        int[] used = new int[Math.max(node.gpuCount(), 1)];
        for (PodAllocation a : known) {
            if (a == null || !a.node().equals(node.name())) {
                continue;
            }
            for (DeviceShare s : a.devices()) {
                if (s.index() < used.length) {
                    used[s.index()] += s.milli();
                }
            }
        }
        PodRequest r = f.request();
        GpuDemand d = r.gpu();
        int devices = d.kind() == GpuDemand.Kind.WHOLE ? d.wholeGpus() : d.devices();
        int milli = switch (d.kind()) {
            case WHOLE -> GpuDemand.MILLI;
            case FRACTION -> d.milliPerDevice();
            case MEMORY -> Math.min(GpuDemand.MILLI, Math.max(1, d.milliPerDeviceOn(node.gpuMemoryMiB())));
            default -> 0;
        };
        List<DeviceShare> shares = new ArrayList<>();
        for (int i = 0; i < node.gpuCount() && shares.size() < devices; i++) {
            if (used[i] + milli <= GpuDemand.MILLI) {
                shares.add(new DeviceShare(i, milli));
            }
        }
        for (int i = 0; i < node.gpuCount() && shares.size() < devices; i++) {
            final int idx = i;
            if (shares.stream().noneMatch(s -> s.index() == idx)) {
                shares.add(new DeviceShare(i, milli));
            }
        }
        return new PodAllocation(f.key(), node.name(), shares, r.cpuMillis(), r.memoryMiB());
    }
}
