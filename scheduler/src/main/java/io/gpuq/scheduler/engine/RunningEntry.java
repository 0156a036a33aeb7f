package io.gpuq.scheduler.engine;

import io.gpuq.scheduler.engine.model.RunningWorkload;
import io.gpuq.scheduler.engine.model.Workload;

/** A running workload during a cycle: where its GPUs are accounted, and whether it is being evicted. */
final class RunningEntry {
    final RunningWorkload running;
    final String pool;
    final long milli;
    final boolean placedThisCycle;
    boolean evicted;

    RunningEntry(RunningWorkload running, String pool, long milli, boolean placedThisCycle) {
        this.running = running;
        this.pool = pool;
        this.milli = milli;
        this.placedThisCycle = placedThisCycle;
    }

    Workload workload() {
        return running.workload();
    }

    String id() {
        return running.workload().id();
    }
}
