package io.gpuq.scheduler.engine.model;

import java.util.Objects;

/**
 * A department (the parent queue of projects). {@code deservedGpus} null means the sum of its
 * projects'; {@code maxGpus} below zero means no ceiling (summed over all pools).
 */
public record Department(
        String name,
        Double deservedGpus,
        double maxGpus,
        double overQuotaWeight,
        int priority,
        long order) {

    public Department {
        Objects.requireNonNull(name, "department name");
    }

    /** The implicit department of projects that name none: no ceiling, default weight and priority. */
    public static Department implicitDefault() {
        return new Department(Project.DEFAULT_DEPARTMENT, null, -1, 1, 100, Long.MIN_VALUE);
    }
}
