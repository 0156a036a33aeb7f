package io.gpuq.scheduler.cycle;

/**
 * Told about every completed scheduling cycle, after its decisions were handed to the cluster
 * adapter. Implementations must be quick and must not throw: they run on the cycle thread.
 */
@FunctionalInterface
public interface CycleObserver {
    void cycleCompleted(CycleReport report);
}
