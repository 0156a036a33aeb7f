package io.gpuq.scheduler.packing;

import io.gpuq.scheduler.engine.model.GpuNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads a node list ({@code sn,cpu_milli,memory_mib,gpu,model}) into engine nodes, in file order. */
final class NodeTraceReader {
    static final List<String> COLUMNS = List.of("sn", "cpu_milli", "memory_mib", "gpu", "model");

    private NodeTraceReader() {
    }

    static List<GpuNode> read(Path path) {
        CsvFile csv = CsvFile.read(path, COLUMNS);
        List<GpuNode> nodes = new ArrayList<>(csv.rows().size());
        Set<String> names = new HashSet<>();
        for (CsvFile.Row row : csv.rows()) {
            String name = row.text("sn");
            if (name.isEmpty()) {
                throw row.error("sn", "empty node name; every node needs a unique name");
            }
            if (!names.add(name)) {
                throw row.error("sn", "duplicate node name '" + name + "'; node names must be unique");
            }
            long cpu = row.nonNegative("cpu_milli");
            long memory = row.nonNegative("memory_mib");
            long gpus = row.nonNegative("gpu");
            if (gpus > 1024) {
                throw row.error("gpu", gpus + " GPUs on one node; at most 1024 are allowed");
            }
            String model = row.text("model");
            if (gpus > 0 && model.isEmpty()) {
                throw row.error("model", "empty GPU model on a node with " + gpus + " GPUs; a model name is required");
            }
            Map<String, String> labels = model.isEmpty() ? Map.of() : Map.of(GpuModels.MODEL_LABEL, model);
            nodes.add(new GpuNode(name, GpuNode.DEFAULT_POOL, model, GpuModels.memoryMiB(model), (int) gpus,
                    cpu, memory, "", labels, List.of(), true, false));
        }
        return nodes;
    }
}
