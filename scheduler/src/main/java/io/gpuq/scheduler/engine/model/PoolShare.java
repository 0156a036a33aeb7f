package io.gpuq.scheduler.engine.model;

/** One queue's numbers in one node pool, in GPUs. */
public record PoolShare(double deservedGpus, double fairShareGpus, double allocatedGpus) {
}
