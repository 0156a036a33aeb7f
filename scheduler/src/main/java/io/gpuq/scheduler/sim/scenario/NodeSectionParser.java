package io.gpuq.scheduler.sim.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads {@code nodes[]} and remembers every node name and pool for the sections that refer to them. */
final class NodeSectionParser {
    static final List<String> KEYS = List.of("name", "count", "gpus", "gpuModel", "gpuMemoryMiB", "cpuMillis",
            "memoryMiB", "capacityType", "labels");
    static final String DEFAULT_CAPACITY_TYPE = "on-demand";

    private final String source;
    private final NameRegistry names;
    private final Map<String, String> poolByNode = new LinkedHashMap<>();
    private final Set<String> pools = new LinkedHashSet<>();

    NodeSectionParser(String source) {
        this.source = source;
        this.names = new NameRegistry(source, "node");
    }

    List<NodeSpec> parse(Fields root) {
        List<YamlNode> items = root.list("nodes");
        if (items.isEmpty()) {
            throw root.error("nodes", "missing or empty; list at least one node, e.g. "
                    + "{name: h100, count: 2, gpus: 8, gpuModel: H100}");
        }
        List<NodeSpec> out = new ArrayList<>();
        for (YamlNode item : items) {
            out.add(node(Fields.of(source, item, KEYS)));
        }
        return out;
    }

    private NodeSpec node(Fields f) {
        String name = f.requiredString("name", "every node needs a name");
        names.checkForm(f, "name", name);
        Integer count = null;
        if (f.has("count")) {
            long c = f.requiredLong("count", "count is the number of identical nodes, a whole number >= 1");
            if (c < 1 || c > 100_000) {
                throw f.error("count", c + " is out of range; count must be between 1 and 100000");
            }
            count = (int) c;
        }
        long gpus = f.requiredLong("gpus", "gpus is the number of GPU devices per node, a whole number >= 0");
        if (gpus < 0 || gpus > 1024) {
            throw f.error("gpus", gpus + " is out of range; gpus must be between 0 and 1024");
        }
        String model = f.optionalString("gpuModel", "");
        long gpuMemory = nonNegative(f, "gpuMemoryMiB", 0, "gpuMemoryMiB is the memory of one GPU in MiB");
        long cpu = nonNegative(f, "cpuMillis", -1, "cpuMillis is the node's allocatable CPU in millicores;"
                + " leave it out for no CPU limit");
        long memory = nonNegative(f, "memoryMiB", -1, "memoryMiB is the node's allocatable memory in MiB;"
                + " leave it out for no memory limit");
        String capacityType = f.optionalString("capacityType", DEFAULT_CAPACITY_TYPE);
        Map<String, String> labels = f.stringMap("labels");
        if (labels.containsKey(NodeSpec.POOL_LABEL) && labels.get(NodeSpec.POOL_LABEL).isBlank()) {
            throw f.error("labels", "label " + NodeSpec.POOL_LABEL + " must name a pool; leave it out for "
                    + "the default pool");
        }
        NodeSpec spec = new NodeSpec(name, count, (int) gpus, model, gpuMemory, cpu, memory, capacityType, labels);
        for (String n : spec.nodeNames()) {
            names.add(f, "name", n);
            poolByNode.put(n, spec.pool());
        }
        pools.add(spec.pool());
        return spec;
    }

    private static long nonNegative(Fields f, String key, long absent, String what) {
        long v = f.optionalLong(key, absent, what);
        if (f.has(key) && v < 0) {
            throw f.error(key, v + " is negative; " + what + " (>= 0)");
        }
        return v;
    }

    NameRegistry names() {
        return names;
    }

    /** The pool each node name is in. */
    Map<String, String> poolByNode() {
        return poolByNode;
    }

    /** Pools that have at least one node, in file order. */
    Set<String> pools() {
        return pools;
    }
}
