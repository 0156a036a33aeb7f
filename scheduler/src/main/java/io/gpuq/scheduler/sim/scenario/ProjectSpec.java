package io.gpuq.scheduler.sim.scenario;

import io.gpuq.scheduler.engine.model.GpuNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code projects[]} entry. {@code department} null means the implicit default department.
 * {@code nodePools} is empty when the project uses only the default pool with {@code deservedGpus}
 * there; otherwise the project may use exactly the pools listed.
 */
public record ProjectSpec(
        String name,
        String department,
        double deservedGpus,
        double overQuotaWeight,
        double maxGpus,
        int priority,
        List<PoolQuota> nodePools) {

    public ProjectSpec {
        nodePools = List.copyOf(nodePools);
    }

    /** Deserved GPUs per usable pool, in the order the file lists them. */
    public Map<String, Double> deservedByPool() {
        Map<String, Double> m = new LinkedHashMap<>();
        if (nodePools.isEmpty()) {
            m.put(GpuNode.DEFAULT_POOL, deservedGpus);
        } else {
            for (PoolQuota q : nodePools) {
                m.put(q.pool(), q.deservedGpus());
            }
        }
        return m;
    }

    public boolean canUse(String pool) {
        return deservedByPool().containsKey(pool);
    }
}
