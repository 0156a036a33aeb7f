package io.gpuq.scheduler.sim.scenario;

import io.gpuq.api.WorkloadType;
import io.gpuq.scheduler.engine.model.GpuDemand;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads {@code workloads[]}, checking every reference against the nodes and projects read before. */
final class WorkloadSectionParser {
    static final List<String> KEYS = List.of("name", "project", "type", "submitAt", "durationSeconds", "pods",
            "gpusPerPod", "gpuFraction", "gpuMemoryMiB", "cpuMillis", "memoryMiB", "nodePool", "minMember",
            "priority", "preemptible", "node");
    private static final List<String> GPU_KEYS = List.of("gpusPerPod", "gpuFraction", "gpuMemoryMiB");
    private static final int MAX_PODS = 10_000;

    private final String source;
    private final NameRegistry names;
    private final NameRegistry projectNames;
    private final Map<String, ProjectSpec> projects;
    private final NameRegistry nodeNames;
    private final Map<String, String> poolByNode;

    WorkloadSectionParser(String source, Map<String, ProjectSpec> projects, NameRegistry projectNames,
                          NameRegistry nodeNames, Map<String, String> poolByNode) {
        this.source = source;
        this.names = new NameRegistry(source, "workload");
        this.projects = projects;
        this.projectNames = projectNames;
        this.nodeNames = nodeNames;
        this.poolByNode = poolByNode;
    }

    List<WorkloadSpec> parse(Fields root) {
        List<WorkloadSpec> out = new ArrayList<>();
        for (YamlNode item : root.list("workloads")) {
            out.add(workload(Fields.of(source, item, KEYS)));
        }
        return out;
    }

    private WorkloadSpec workload(Fields f) {
        String name = names.register(f, "name");
        String projectName = f.requiredString("project", "the project that owns the workload");
        ProjectSpec project = projects.get(projectName);
        if (project == null) {
            throw f.error("project", projectNames.unknown(projectName));
        }
        WorkloadType type = type(f);
        long submitAt = f.optionalLong("submitAt", 0, "submitAt is a time in whole seconds >= 0");
        if (submitAt < 0) {
            throw f.error("submitAt", submitAt + " is negative; submitAt is a time in whole seconds >= 0");
        }
        Long duration = null;
        if (f.has("durationSeconds")) {
            duration = f.requiredLong("durationSeconds", "durationSeconds is whole seconds >= 1; leave it out "
                    + "to run until the end");
            if (duration < 1) {
                throw f.error("durationSeconds", duration + " is out of range; durationSeconds must be >= 1, "
                        + "or left out to run until the end");
            }
        }
        long pods = f.optionalLong("pods", 1, "pods is the number of pods, a whole number >= 1");
        if (pods < 1 || pods > MAX_PODS) {
            throw f.error("pods", pods + " is out of range; pods must be between 1 and " + MAX_PODS);
        }
        GpuDemand gpu = gpu(f);
        long cpu = nonNegative(f, "cpuMillis", "cpuMillis is the CPU request per pod in millicores");
        long memory = nonNegative(f, "memoryMiB", "memoryMiB is the memory request per pod in MiB");
        String pool = pool(f, project);
        long minMember = f.optionalLong("minMember", pods, "minMember is how many pods must start together");
        if (minMember < 1 || minMember > pods) {
            throw f.error("minMember", minMember + " is out of range; minMember must be between 1 and pods ("
                    + pods + ")");
        }
        int priority = (int) f.optionalLong("priority", type.priority(),
                "priority is a whole number that replaces the value of the type's priority class");
        Boolean preemptibleOverride = f.optionalBoolean("preemptible");
        boolean preemptible = preemptibleOverride != null ? preemptibleOverride : WorkloadType.isPreemptible(priority);
        String node = node(f, project, pool);
        return new WorkloadSpec(name, projectName, type, submitAt, duration, (int) pods, gpu, cpu, memory, pool,
                (int) minMember, priority, preemptible, node);
    }

    private WorkloadType type(Fields f) {
        if (!f.has("type")) {
            return WorkloadType.DEFAULT;
        }
        String label = f.requiredString("type", "");
        Optional<WorkloadType> t = WorkloadType.fromLabel(label);
        if (t.isEmpty()) {
            throw f.error("type", "unknown workload type '" + label + "'; allowed: " + WorkloadType.allowedLabels());
        }
        return t.get();
    }

    private GpuDemand gpu(Fields f) {
        List<String> given = GPU_KEYS.stream().filter(f::has).toList();
        if (given.size() > 1) {
            throw f.error(given.get(1), "only one of gpusPerPod, gpuFraction, gpuMemoryMiB may be given, found "
                    + String.join(" and ", given) + "; use gpusPerPod for whole GPUs, gpuFraction for a share "
                    + "of one GPU, gpuMemoryMiB for GPU memory, or none for a CPU-only workload");
        }
        if (given.isEmpty()) {
            return GpuDemand.none();
        }
        switch (given.get(0)) {
            case "gpusPerPod": {
                long n = f.requiredLong("gpusPerPod", "gpusPerPod is whole GPUs per pod, a whole number >= 1; "
                        + "use gpuFraction for a share of one GPU");
                if (n < 1 || n > 1024) {
                    throw f.error("gpusPerPod", n + " is out of range; gpusPerPod must be between 1 and 1024 "
                            + "(leave GPU keys out for a CPU-only workload)");
                }
                return GpuDemand.whole((int) n);
            }
            case "gpuFraction": {
                BigDecimal fr = f.requiredNumber("gpuFraction", "gpuFraction is a share of one GPU");
                String rule = "a fraction must be > 0 and < 1 (use gpusPerPod for whole GPUs)";
                if (fr.signum() <= 0 || fr.compareTo(BigDecimal.ONE) >= 0) {
                    throw f.error("gpuFraction", fr.toPlainString() + " is out of range; " + rule);
                }
                int milli = fr.movePointRight(3).setScale(0, RoundingMode.HALF_UP).intValueExact();
                if (milli <= 0 || milli >= GpuDemand.MILLI) {
                    throw f.error("gpuFraction", fr.toPlainString() + " rounds to " + milli / 1000.0
                            + " at the scheduler's 0.001 GPU resolution; " + rule);
                }
                return GpuDemand.fraction(milli, 1);
            }
            default: {
                long mib = f.requiredLong("gpuMemoryMiB", "gpuMemoryMiB is the GPU memory per pod in MiB, >= 1");
                if (mib < 1) {
                    throw f.error("gpuMemoryMiB", mib + " is out of range; gpuMemoryMiB must be >= 1 MiB");
                }
                return GpuDemand.memory(mib, 1);
            }
        }
    }

    private String pool(Fields f, ProjectSpec project) {
        if (!f.has("nodePool")) {
            return null;
        }
        String pool = f.requiredString("nodePool", "");
        if (!project.canUse(pool)) {
            throw f.error("nodePool", "project " + project.name() + " may not use pool '" + pool
                    + "'; its pools: " + String.join(", ", project.deservedByPool().keySet()));
        }
        return pool;
    }

    private String node(Fields f, ProjectSpec project, String pool) {
        if (!f.has("node")) {
            return null;
        }
        String node = f.requiredString("node", "");
        if (!nodeNames.contains(node)) {
            throw f.error("node", nodeNames.unknown(node));
        }
        String nodePool = poolByNode.get(node);
        if (!project.canUse(nodePool) || (pool != null && !pool.equals(nodePool))) {
            throw f.error("node", "node " + node + " is in pool '" + nodePool + "', which this workload may not "
                    + "use; allowed pools: " + (pool != null ? pool
                    : String.join(", ", project.deservedByPool().keySet())));
        }
        return node;
    }

    private static long nonNegative(Fields f, String key, String what) {
        long v = f.optionalLong(key, 0, what);
        if (v < 0) {
            throw f.error(key, v + " is negative; " + what + " (>= 0)");
        }
        return v;
    }
}
