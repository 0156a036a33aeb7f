package io.gpuq.scheduler.packing;

import io.gpuq.scheduler.engine.model.GpuDemand;
import io.gpuq.scheduler.engine.model.NodeSelectorRequirement;
import io.gpuq.scheduler.engine.model.NodeSelectorTerm;
import io.gpuq.scheduler.engine.model.PodRequest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a pod list ({@code name,cpu_milli,memory_mib,num_gpu,gpu_milli[,gpu_spec,...]}). A pod with
 * one GPU and {@code gpu_milli} below 1000 takes that share of one device; any other GPU pod takes
 * {@code num_gpu} whole devices. {@code gpu_spec} (optional column) lists acceptable GPU models
 * separated by {@code |}; empty means any model. Other columns are ignored.
 */
final class PodTraceReader {
    static final List<String> COLUMNS = List.of("name", "cpu_milli", "memory_mib", "num_gpu", "gpu_milli");
    static final String GPU_SPEC = "gpu_spec";

    private PodTraceReader() {
    }

    /** @param models the GPU models present in the cluster; a {@code gpu_spec} naming another is an error */
    static List<TracePod> read(Path path, Set<String> models) {
        CsvFile csv = CsvFile.read(path, COLUMNS);
        Map<String, List<NodeSelectorTerm>> affinities = new HashMap<>();
        List<TracePod> pods = new ArrayList<>(csv.rows().size());
        for (CsvFile.Row row : csv.rows()) {
            String name = row.text("name");
            if (name.isEmpty()) {
                throw row.error("name", "empty pod name; every pod needs a name");
            }
            long cpu = row.nonNegative("cpu_milli");
            long memory = row.nonNegative("memory_mib");
            long numGpu = row.nonNegative("num_gpu");
            long milli = row.nonNegative("gpu_milli");
            if (numGpu > 1024) {
                throw row.error("num_gpu", numGpu + " GPUs for one pod; at most 1024 are allowed");
            }
            GpuDemand demand;
            long gpuMilli;
            if (numGpu == 0) {
                if (milli != 0) {
                    throw row.error("gpu_milli", milli + " with num_gpu 0; a CPU-only pod must have gpu_milli 0");
                }
                demand = GpuDemand.none();
                gpuMilli = 0;
            } else {
                if (milli < 1 || milli > GpuDemand.MILLI) {
                    throw row.error("gpu_milli", milli + " is out of range; a GPU pod needs 1..1000 milli-GPU per device");
                }
                if (numGpu == 1 && milli < GpuDemand.MILLI) {
                    demand = GpuDemand.fraction((int) milli, 1);
                    gpuMilli = milli;
                } else {
                    demand = GpuDemand.whole((int) numGpu);
                    gpuMilli = numGpu * GpuDemand.MILLI;
                }
            }
            List<NodeSelectorTerm> affinity = List.of();
            if (csv.hasColumn(GPU_SPEC)) {
                String spec = row.text(GPU_SPEC);
                affinity = affinities.computeIfAbsent(spec, s -> modelAffinity(row, s, models));
            }
            PodRequest request = new PodRequest(name, demand, cpu, memory, Map.of(), affinity, List.of());
            pods.add(new TracePod(request, gpuMilli));
        }
        return pods;
    }

    private static List<NodeSelectorTerm> modelAffinity(CsvFile.Row row, String spec, Set<String> models) {
        TreeSet<String> wanted = new TreeSet<>();
        for (String m : spec.split("\\|")) {
            String model = m.strip();
            if (model.isEmpty()) {
                continue;
            }
            if (!models.contains(model)) {
                throw row.error(GPU_SPEC, "unknown GPU model '" + model + "'; allowed: " + String.join(", ", new TreeSet<>(models))
                        + " (separated by |, or empty for any)");
            }
            wanted.add(model);
        }
        if (wanted.isEmpty()) {
            return List.of();
        }
        NodeSelectorRequirement r = new NodeSelectorRequirement(GpuModels.MODEL_LABEL, "In", List.copyOf(wanted));
        return List.of(new NodeSelectorTerm(List.of(r)));
    }
}
