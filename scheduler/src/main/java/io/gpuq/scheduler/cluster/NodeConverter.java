package io.gpuq.scheduler.cluster;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.gpuq.api.Labels;
import io.gpuq.api.Names;
import io.gpuq.scheduler.engine.model.GpuNode;
import io.gpuq.scheduler.engine.model.Taint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Kubernetes Node as the engine sees it: GPUs from {@code allocatable[nvidia.com/gpu]} (the label
 * of GPU feature discovery when the device plugin has not reported yet), model and memory per device
 * from the feature discovery labels, the pool from {@code runai/node-pool}, CPU and memory from
 * allocatable, taints, readiness and cordoning.
 */
final class NodeConverter {
    /** Capacity-type labels of common provisioners, read when {@code runai/capacity-type} is absent. */
    private static final List<String> CAPACITY_TYPE_LABELS = List.of(
            "karpenter.sh/capacity-type", "eks.amazonaws.com/capacityType", "node.kubernetes.io/capacity-type");
    private static final String GKE_SPOT = "cloud.google.com/gke-spot";

    private NodeConverter() {
    }

    static GpuNode convert(Node node) {
        Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
        var allocatable = node.getStatus() == null ? null : node.getStatus().getAllocatable();
        int gpus = Quantities.count(allocatable, Names.GPU_RESOURCE);
        if (gpus == 0 && allocatable == null) {
            gpus = parseInt(labels.get(Labels.GPU_COUNT));
        }
        long cpu = allocatable != null && allocatable.containsKey("cpu") ? Quantities.cpuMillis(allocatable) : -1;
        long mem = allocatable != null && allocatable.containsKey("memory") ? Quantities.memoryMiB(allocatable) : -1;
        List<Taint> taints = new ArrayList<>();
        if (node.getSpec() != null && node.getSpec().getTaints() != null) {
            for (var t : node.getSpec().getTaints()) {
                taints.add(new Taint(t.getKey(), t.getValue(), t.getEffect()));
            }
        }
        boolean unschedulable = node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
        return new GpuNode(node.getMetadata().getName(), labels.get(Labels.NODE_POOL),
                labels.getOrDefault(Labels.GPU_PRODUCT, ""), parseInt(labels.get(Labels.GPU_MEMORY_MIB)), gpus,
                cpu, mem, capacityType(labels), labels, taints, ready(node), unschedulable);
    }

    static String capacityType(Map<String, String> labels) {
        String explicit = labels.get(Labels.CAPACITY_TYPE);
        if (explicit != null && !explicit.isBlank()) {
            return normalise(explicit);
        }
        for (String label : CAPACITY_TYPE_LABELS) {
            String v = labels.get(label);
            if (v != null && !v.isBlank()) {
                return normalise(v);
            }
        }
        if ("true".equals(labels.get(GKE_SPOT))) {
            return "spot";
        }
        return "on-demand";
    }

    /** {@code SPOT}, {@code ON_DEMAND}, {@code on-demand} all become the price table's spelling. */
    private static String normalise(String v) {
        return v.trim().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** A node without a Ready condition (as some test clusters create them) counts as ready. */
    private static boolean ready(Node node) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) {
            return true;
        }
        for (NodeCondition c : node.getStatus().getConditions()) {
            if ("Ready".equals(c.getType())) {
                return "True".equals(c.getStatus());
            }
        }
        return true;
    }

    private static int parseInt(String v) {
        if (v == null) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(v.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
