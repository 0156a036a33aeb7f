package io.gpuq.scheduler.engine;

import io.gpuq.scheduler.engine.model.RunningWorkload;
import io.gpuq.scheduler.engine.model.Workload;
import io.gpuq.scheduler.engine.placement.NodeState;

/** A running workload during a cycle: where its GPUs are accounted, and whether it is being evicted. */
final class RunningEntry {
    final RunningWorkload running;
    final String pool;
    final long milli;
    final boolean placedThisCycle;
    boolean evicted;
    /** Unique in the cycle, given when the cycle state starts tracking the entry. */
    int uid = -1;
    /** False when the snapshot's allocation conflicts with another's: such a workload is never a victim. */
    boolean movable = true;
    /** Position in the cycle's running order, which victim searches must follow to stay reproducible. */
    int seq;
    /*
     * Resolved once by the cycle state, per pod: the node (null when the snapshot does not have it),
     * its index (-1 then), the pod's milli-GPU and its pool's free counter (null for unschedulable
     * nodes); its device shares as (device, milli) pairs, CPU and memory, for trials that move it
     * without touching the node; and the project account its quota is kept in (null when none).
     */
    NodeState[] nodeStates;
    int[] nodeIndexes;
    long[] podMilli;
    int[][] podShares;
    long[] podCpu;
    long[] podMemory;
    long[][] poolFree;
    QueueAccount account;

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
