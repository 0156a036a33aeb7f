package io.gpuq.scheduler.engine.model;

import java.util.Map;
import java.util.Objects;

/**
 * A project (leaf queue). {@code deservedByPool} maps each pool the project may use to its deserved
 * GPUs there (-1 = everything). {@code maxGpus} below zero means unlimited. {@code order} is creation
 * order (older first wins ties).
 */
public record Project(
        String name,
        String department,
        Map<String, Double> deservedByPool,
        double maxGpus,
        double overQuotaWeight,
        int priority,
        long order) {

    public static final String DEFAULT_DEPARTMENT = "default";

    public Project {
        Objects.requireNonNull(name, "project name");
        department = department == null || department.isEmpty() ? DEFAULT_DEPARTMENT : department;
        deservedByPool = Map.copyOf(deservedByPool);
    }

    public boolean canUse(String pool) {
        return deservedByPool.containsKey(pool);
    }

    public boolean unlimited() {
        return maxGpus < 0;
    }
}
