package io.gpuq.scheduler.cluster;

import io.gpuq.api.crd.NodePoolQuota;
import io.gpuq.scheduler.engine.model.Department;
import io.gpuq.scheduler.engine.model.Project;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Project and Department resources as engine queues. Creation order (timestamp, then name) is the
 * queues' tie-break, as in DESIGN §4.
 */
final class QueueConverter {
    private QueueConverter() {
    }

    static List<Project> projects(List<io.gpuq.api.crd.Project> resources) {
        List<io.gpuq.api.crd.Project> sorted = byCreation(resources, p -> p.getMetadata());
        List<Project> out = new ArrayList<>(sorted.size());
        long order = 0;
        for (io.gpuq.api.crd.Project p : sorted) {
            var spec = p.getSpec() == null ? new io.gpuq.api.crd.ProjectSpec() : p.getSpec();
            Map<String, Double> pools = new LinkedHashMap<>();
            for (NodePoolQuota q : spec.effectiveNodePools()) {
                pools.put(q.getName(), q.effectiveDeservedGpus());
            }
            out.add(new Project(p.getMetadata().getName(), spec.effectiveDepartment(), pools, spec.effectiveMaxGpus(),
                    spec.effectiveOverQuotaWeight(), spec.effectivePriority(), order++));
        }
        return out;
    }

    static List<Department> departments(List<io.gpuq.api.crd.Department> resources) {
        List<io.gpuq.api.crd.Department> sorted = byCreation(resources, d -> d.getMetadata());
        List<Department> out = new ArrayList<>(sorted.size());
        long order = 0;
        for (io.gpuq.api.crd.Department d : sorted) {
            var spec = d.getSpec() == null ? new io.gpuq.api.crd.DepartmentSpec() : d.getSpec();
            Double deserved = spec.explicitDeservedGpus().isPresent() ? spec.explicitDeservedGpus().getAsDouble() : null;
            out.add(new Department(d.getMetadata().getName(), deserved, spec.effectiveMaxGpus(),
                    spec.effectiveOverQuotaWeight(), spec.effectivePriority(), order++));
        }
        return out;
    }

    private static <T> List<T> byCreation(List<T> items,
                                          Function<T, io.fabric8.kubernetes.api.model.ObjectMeta> meta) {
        List<T> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.<T>comparingLong(i -> millis(meta.apply(i).getCreationTimestamp()))
                .thenComparing(i -> meta.apply(i).getName()));
        return sorted;
    }

    private static long millis(String ts) {
        if (ts == null) {
            return Long.MAX_VALUE;
        }
        try {
            return Instant.parse(ts).toEpochMilli();
        } catch (DateTimeParseException e) {
            return Long.MAX_VALUE;
        }
    }
}
