package io.gpuq.scheduler.sim;

import io.gpuq.scheduler.engine.model.ClusterSnapshot;
import io.gpuq.scheduler.engine.model.CycleResult;

/**
 * One scheduling cycle as the simulator sees it: {@code SchedulingEngine::cycle} in production, a
 * scripted stand-in in tests of the simulator's own bookkeeping. Must be deterministic: the same
 * snapshot (apart from its time) gives the same decisions, which is what lets the simulator skip
 * cycles in which nothing changed.
 */
@FunctionalInterface
public interface CycleRunner {
    CycleResult cycle(ClusterSnapshot snapshot);
}
