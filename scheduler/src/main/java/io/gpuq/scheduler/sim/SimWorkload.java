package io.gpuq.scheduler.sim;

import io.gpuq.scheduler.engine.model.PendingReason;
import io.gpuq.scheduler.engine.model.PodAllocation;
import io.gpuq.scheduler.engine.model.Workload;
import io.gpuq.scheduler.sim.scenario.WorkloadSpec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The simulator's mutable record of one workload across its life: submitted, started, evicted, done. */
final class SimWorkload {
    final WorkloadSpec spec;
    final Workload model;
    /** Set when the webhook would refuse its pods; such a workload never reaches the engine. */
    final PendingReason admissionDenial;

    private boolean submitted;
    private WorkloadState state = WorkloadState.PENDING;
    private long startedAt = -1;
    private long completesAt = Long.MAX_VALUE;
    private int evictions;
    private List<PodAllocation> placement = List.of();
    private PendingReason reason;
    private long pendingSince;
    private long waited;

    SimWorkload(WorkloadSpec spec, Workload model, PendingReason admissionDenial) {
        this.spec = spec;
        this.model = model;
        this.admissionDenial = admissionDenial;
        this.reason = admissionDenial;
    }

    String name() {
        return spec.name();
    }

    void submit(long time) {
        submitted = true;
        pendingSince = time;
    }

    /** Pods are recorded in index order whatever order the engine returned them in. */
    void start(List<PodAllocation> pods, long time) {
        List<PodAllocation> sorted = new ArrayList<>(pods);
        sorted.sort(Comparator.comparingInt(a -> podIndex(a.pod())));
        placement = List.copyOf(sorted);
        waited += time - pendingSince;
        state = WorkloadState.RUNNING;
        startedAt = time;
        completesAt = spec.durationSeconds() == null ? Long.MAX_VALUE : time + spec.durationSeconds();
        reason = null;
    }

    /** Back to pending, as its controller recreates the pods; the duration starts over on the next start. */
    void evict(long time) {
        state = WorkloadState.PENDING;
        placement = List.of();
        completesAt = Long.MAX_VALUE;
        evictions++;
        pendingSince = time;
    }

    void complete() {
        state = WorkloadState.COMPLETED;
        completesAt = Long.MAX_VALUE;
    }

    void setReason(PendingReason r) {
        reason = r;
    }

    private int podIndex(String pod) {
        String prefix = spec.name() + "-";
        if (pod.startsWith(prefix)) {
            try {
                return Integer.parseInt(pod.substring(prefix.length()));
            } catch (NumberFormatException e) {
                return Integer.MAX_VALUE;
            }
        }
        return Integer.MAX_VALUE;
    }

    boolean submitted() {
        return submitted;
    }

    WorkloadState state() {
        return state;
    }

    boolean pending() {
        return submitted && state == WorkloadState.PENDING;
    }

    boolean running() {
        return submitted && state == WorkloadState.RUNNING;
    }

    /** Whether the engine may see it: submitted, pending and admitted by the webhook. */
    boolean schedulable() {
        return pending() && admissionDenial == null;
    }

    long startedAt() {
        return startedAt;
    }

    /** The exact completion time, or {@link Long#MAX_VALUE} when not running or running forever. */
    long completesAt() {
        return completesAt;
    }

    int evictions() {
        return evictions;
    }

    List<PodAllocation> placement() {
        return placement;
    }

    PendingReason reason() {
        return reason;
    }

    /** Time spent pending up to {@code now}. */
    long waitSeconds(long now) {
        return waited + (pending() ? now - pendingSince : 0);
    }
}
