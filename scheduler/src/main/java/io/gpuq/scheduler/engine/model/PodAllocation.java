package io.gpuq.scheduler.engine.model;

import java.util.List;
import java.util.Objects;

/** Where one pod runs: the node and the device shares it holds there. */
public record PodAllocation(String pod, String node, List<DeviceShare> devices, long cpuMillis, long memoryMiB) {
    public PodAllocation {
        Objects.requireNonNull(pod, "pod");
        Objects.requireNonNull(node, "node");
        devices = List.copyOf(devices);
    }

    public long gpuMilli() {
        long sum = 0;
        for (DeviceShare d : devices) {
            sum += d.milli();
        }
        return sum;
    }
}
