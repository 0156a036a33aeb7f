package io.gpuq.cli.demo;

import io.gpuq.api.Labels;
import io.gpuq.scheduler.sim.scenario.NodeSpec;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The labels a scenario node carries in the demo: those NVIDIA GPU feature discovery puts on a GPU
 * node ({@code nvidia.com/gpu.product}, {@code .memory}, {@code .count}, {@code .present}), the
 * kubelet's own ({@code kubernetes.io/hostname}, {@code kubernetes.io/os}), the capacity type the price
 * table is keyed by, and the scenario's labels (its node pool among them), which win.
 */
final class GpuFeatureLabels {
    private GpuFeatureLabels() {
    }

    static Map<String, String> of(NodeSpec spec, String nodeName) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("kubernetes.io/hostname", nodeName);
        labels.put("kubernetes.io/os", "linux");
        if (spec.gpus() > 0) {
            labels.put("nvidia.com/gpu.present", "true");
            labels.put(Labels.GPU_COUNT, Integer.toString(spec.gpus()));
            String product = product(spec.gpuModel(), spec.gpuMemoryMiB());
            if (!product.isEmpty()) {
                labels.put(Labels.GPU_PRODUCT, product);
            }
            if (spec.gpuMemoryMiB() > 0) {
                labels.put(Labels.GPU_MEMORY_MIB, Long.toString(spec.gpuMemoryMiB()));
            }
        }
        if (spec.capacityType() != null && !spec.capacityType().isBlank()) {
            labels.put(Labels.CAPACITY_TYPE, spec.capacityType());
        }
        labels.putAll(spec.labels());
        return labels;
    }

    /**
     * The product name as GPU feature discovery spells it: {@code H100} with 80 GiB becomes
     * {@code NVIDIA-H100-80GB}; a name that already looks like a product name is kept. The price
     * table's short model names match it token by token.
     */
    static String product(String model, long memoryMiB) {
        if (model == null || model.isBlank()) {
            return "";
        }
        String name = model.trim().replaceAll("[^A-Za-z0-9_.-]+", "-");
        String upper = name.toUpperCase(Locale.ROOT);
        if (!upper.startsWith("NVIDIA") && !upper.startsWith("TESLA")) {
            name = "NVIDIA-" + name;
        }
        if (memoryMiB > 0 && !upper.matches(".*\\d+GB.*")) {
            name = name + "-" + Math.round(memoryMiB / 1024.0) + "GB";
        }
        // A label value: at most 63 characters, beginning and ending with a letter or digit.
        name = name.length() <= 63 ? name : name.substring(0, 63);
        return name.replaceAll("[-_.]+$", "");
    }
}
