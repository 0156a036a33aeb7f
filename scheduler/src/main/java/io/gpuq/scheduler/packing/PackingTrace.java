package io.gpuq.scheduler.packing;

import io.gpuq.scheduler.engine.model.GpuNode;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** A cluster (node list) and a workload (pod list) in the format of Alibaba's cluster-trace-gpu-v2023. */
public record PackingTrace(String name, List<GpuNode> nodes, List<TracePod> pods) {
    public PackingTrace {
        nodes = List.copyOf(nodes);
        pods = List.copyOf(pods);
    }

    /**
     * Reads both files. The trace is named after the pod file, without its extension.
     *
     * @throws TraceFormatException when either file is empty, lacks a column or holds a bad value
     * @throws java.io.UncheckedIOException when a file cannot be read
     */
    public static PackingTrace load(Path nodesFile, Path podsFile) {
        List<GpuNode> nodes = NodeTraceReader.read(nodesFile);
        Set<String> models = new TreeSet<>();
        for (GpuNode n : nodes) {
            if (n.gpuCount() > 0) {
                models.add(n.gpuModel());
            }
        }
        List<TracePod> pods = PodTraceReader.read(podsFile, models);
        String file = podsFile.getFileName().toString();
        int dot = file.lastIndexOf('.');
        return new PackingTrace(dot > 0 ? file.substring(0, dot) : file, nodes, pods);
    }

    public int gpuCount() {
        int n = 0;
        for (GpuNode node : nodes) {
            n += node.gpuCount();
        }
        return n;
    }

    public int podCount() {
        return pods.size();
    }
}
