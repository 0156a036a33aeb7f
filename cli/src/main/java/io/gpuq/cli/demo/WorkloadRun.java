package io.gpuq.cli.demo;

import io.gpuq.scheduler.sim.scenario.WorkloadSpec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What became of one scenario workload in the demo: not submitted yet, denied at admission, or its
 * pods' phases, how often it was evicted and when it last started. Guarded by its own lock; the
 * replay updates it from informer threads.
 */
final class WorkloadRun {
    enum State { WAITING, DENIED, PENDING, RUNNING, COMPLETED }

    private final WorkloadSpec spec;
    /** Phase of each current pod by name (a recreated pod starts again as Pending). */
    private final Map<String, String> phases = new LinkedHashMap<>();
    private final Map<String, String> uids = new LinkedHashMap<>();
    private boolean submitted;
    private String denial;
    private int evictions;
    private boolean running;
    private boolean completed;
    private EvictionLog.Eviction openEviction;

    WorkloadRun(WorkloadSpec spec) {
        this.spec = spec;
    }

    WorkloadSpec spec() {
        return spec;
    }

    synchronized void submitted() {
        submitted = true;
    }

    synchronized void denied(String message) {
        denial = message;
    }

    synchronized String denial() {
        return denial;
    }

    synchronized State state() {
        if (denial != null) {
            return State.DENIED;
        }
        if (!submitted) {
            return State.WAITING;
        }
        if (completed) {
            return State.COMPLETED;
        }
        return running ? State.RUNNING : State.PENDING;
    }

    synchronized int evictions() {
        return evictions;
    }

    /** Whether the replay is done with it: it completed or was denied. */
    synchronized boolean settled() {
        return completed || denial != null;
    }

    /**
     * Records a pod's phase. Returns what changed for the workload as a whole: {@code RUNNING} when
     * its last pod started, {@code COMPLETED} when its last pod succeeded, else null.
     */
    synchronized State podPhase(String pod, String uid, String phase) {
        phases.put(pod, phase == null ? "Pending" : phase);
        uids.put(pod, uid);
        if (phases.size() < spec.pods()) {
            return null;
        }
        if (!completed && phases.values().stream().allMatch("Succeeded"::equals)) {
            completed = true;
            running = false;
            return State.COMPLETED;
        }
        if (!running && !completed && phases.values().stream().allMatch(p -> "Running".equals(p) || "Succeeded".equals(p))) {
            running = true;
            openEviction = null;
            return State.RUNNING;
        }
        return null;
    }

    /**
     * A pod of this workload was deleted. Returns true when a controller would recreate it (the
     * workload is neither finished nor denied, and the pod had not succeeded).
     */
    synchronized boolean podDeleted(String pod, String uid) {
        if (!uid.equals(uids.get(pod))) {
            return false;
        }
        String phase = phases.remove(pod);
        uids.remove(pod);
        running = false;
        return !completed && denial == null && !"Succeeded".equals(phase);
    }

    /**
     * The eviction the deleted pod belongs to: the open one of this incarnation, or a new one
     * (opened with {@code open}) when the workload was running.
     */
    synchronized EvictionLog.Eviction eviction(java.util.function.Supplier<EvictionLog.Eviction> open) {
        if (openEviction == null) {
            openEviction = open.get();
            evictions++;
        }
        return openEviction;
    }
}
