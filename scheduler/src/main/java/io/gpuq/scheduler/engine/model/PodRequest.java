package io.gpuq.scheduler.engine.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** One pod of a workload: its GPU demand, CPU/memory requests and node constraints. */
public record PodRequest(
        String name,
        GpuDemand gpu,
        long cpuMillis,
        long memoryMiB,
        Map<String, String> nodeSelector,
        List<NodeSelectorTerm> requiredAffinity,
        List<Toleration> tolerations) {

    public PodRequest {
        Objects.requireNonNull(name, "pod name");
        gpu = gpu == null ? GpuDemand.none() : gpu;
        nodeSelector = nodeSelector == null ? Map.of() : Map.copyOf(nodeSelector);
        requiredAffinity = requiredAffinity == null ? List.of() : List.copyOf(requiredAffinity);
        tolerations = tolerations == null ? List.of() : List.copyOf(tolerations);
    }

    public static PodRequest of(String name, GpuDemand gpu, long cpuMillis, long memoryMiB) {
        return new PodRequest(name, gpu, cpuMillis, memoryMiB, Map.of(), List.of(), List.of());
    }
}
