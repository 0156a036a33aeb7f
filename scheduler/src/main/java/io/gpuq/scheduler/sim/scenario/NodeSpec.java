package io.gpuq.scheduler.sim.scenario;

import io.gpuq.scheduler.engine.model.GpuNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One {@code nodes[]} entry: {@code count} identical nodes named {@code <name>-<i>}, or a single node
 * named {@code name} when count is absent (null). {@code cpuMillis}/{@code memoryMiB} below zero mean
 * the resource does not constrain placement.
 */
public record NodeSpec(
        String name,
        Integer count,
        int gpus,
        String gpuModel,
        long gpuMemoryMiB,
        long cpuMillis,
        long memoryMiB,
        String capacityType,
        Map<String, String> labels) {

    public static final String POOL_LABEL = "runai/node-pool";

    public NodeSpec {
        labels = Map.copyOf(labels);
    }

    public List<String> nodeNames() {
        if (count == null) {
            return List.of(name);
        }
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            names.add(name + "-" + i);
        }
        return names;
    }

    public String pool() {
        String p = labels.get(POOL_LABEL);
        return p == null || p.isEmpty() ? GpuNode.DEFAULT_POOL : p;
    }
}
