package io.gpuq.scheduler.sim.scenario;

/**
 * One {@code departments[]} entry. {@code deservedGpus} null means the sum of its projects';
 * {@code maxGpus} below zero means no ceiling.
 */
public record DepartmentSpec(String name, Double deservedGpus, double maxGpus, double overQuotaWeight,
                             int priority) {
}
