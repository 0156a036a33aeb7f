package io.gpuq.scheduler.engine.model;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A node as the engine sees it. {@code cpuMillis} / {@code memoryMiB} below zero mean that resource
 * does not constrain placement. Labels always contain {@code kubernetes.io/hostname}.
 */
public record GpuNode(
        String name,
        String pool,
        String gpuModel,
        long gpuMemoryMiB,
        int gpuCount,
        long cpuMillis,
        long memoryMiB,
        String capacityType,
        Map<String, String> labels,
        List<Taint> taints,
        boolean ready,
        boolean unschedulable) {

    public static final String HOSTNAME_LABEL = "kubernetes.io/hostname";
    public static final String DEFAULT_POOL = "default";

    public GpuNode {
        Objects.requireNonNull(name, "node name");
        pool = pool == null || pool.isEmpty() ? DEFAULT_POOL : pool;
        gpuModel = gpuModel == null ? "" : gpuModel;
        capacityType = capacityType == null ? "" : capacityType;
        if (gpuCount < 0) {
            throw new IllegalArgumentException("node " + name + ": gpuCount must be >= 0, was " + gpuCount);
        }
        Map<String, String> l = new HashMap<>(labels == null ? Map.of() : labels);
        l.putIfAbsent(HOSTNAME_LABEL, name);
        labels = Map.copyOf(l);
        taints = taints == null ? List.of() : List.copyOf(taints);
    }

    /** A ready, schedulable node with no taints. */
    public static GpuNode simple(String name, String pool, String gpuModel, long gpuMemoryMiB, int gpuCount,
                                 long cpuMillis, long memoryMiB) {
        return new GpuNode(name, pool, gpuModel, gpuMemoryMiB, gpuCount, cpuMillis, memoryMiB, "",
                Map.of(), List.of(), true, false);
    }
}
