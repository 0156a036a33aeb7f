package io.gpuq.scheduler.sim.scenario;

/** A project's deserved GPUs in one node pool (-1 = everything there). */
public record PoolQuota(String pool, double deservedGpus) {
}
