package io.gpuq.scheduler.engine;

import io.gpuq.scheduler.engine.model.PendingReason;
import io.gpuq.scheduler.engine.model.PodRequest;
import io.gpuq.scheduler.engine.model.Workload;

import java.util.List;
import java.util.Set;

/**
 * A pending workload prepared for one cycle: the pools it may use (in preference order), its
 * estimated GPU amount in milli-GPU, and a shape key so identical workloads share failure memos.
 * {@code invalid} is set when the workload can never be scheduled as specified.
 */
final class Job {
    final Workload workload;
    final QueueAccount project;
    final List<String> pools;
    final long milli;
    final String shapeKey;
    final PendingReason invalid;
    /** The pod every pod of the workload is alike to (GPU, CPU, memory, constraints), or null. */
    final PodRequest uniformPod;
    private String[] memoKeys;

    Job(Workload workload, QueueAccount project, List<String> pools, long milli, PendingReason invalid) {
        this.workload = workload;
        this.project = project;
        this.pools = pools;
        this.milli = milli;
        this.invalid = invalid;
        this.shapeKey = shapeKey(workload);
        this.uniformPod = uniformPod(workload);
    }

    /** The key of this shape's placement failures in {@code pool}; built once per pool. */
    String memoKey(String pool) {
        int i = pools.indexOf(pool);
        if (i < 0) {
            return shapeKey + '@' + pool;
        }
        if (memoKeys == null) {
            memoKeys = new String[pools.size()];
        }
        if (memoKeys[i] == null) {
            memoKeys[i] = shapeKey + '@' + pool;
        }
        return memoKeys[i];
    }

    String id() {
        return workload.id();
    }

    boolean preemptible() {
        return workload.preemptible();
    }

    Set<String> poolSet(String pool) {
        return Set.of(pool);
    }

    private static PodRequest uniformPod(Workload w) {
        PodRequest first = w.pods().get(0);
        for (PodRequest p : w.pods()) {
            if (p != first && !(p.gpu().equals(first.gpu()) && p.cpuMillis() == first.cpuMillis()
                    && p.memoryMiB() == first.memoryMiB() && p.nodeSelector().equals(first.nodeSelector())
                    && p.requiredAffinity().equals(first.requiredAffinity())
                    && p.tolerations().equals(first.tolerations()))) {
                return null;
            }
        }
        return first;
    }

    private static String shapeKey(Workload w) {
        StringBuilder sb = new StringBuilder(w.project()).append('|').append(w.minMember());
        for (PodRequest p : w.pods()) {
            sb.append('|').append(p.gpu()).append(',').append(p.cpuMillis()).append(',').append(p.memoryMiB())
                    .append(',').append(p.nodeSelector()).append(',').append(p.requiredAffinity())
                    .append(',').append(p.tolerations());
        }
        return sb.toString();
    }
}
