package io.gpuq.scheduler.runaijob;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;

import java.util.Set;

/** Where a job's pod stands, as far as the job's failure policy cares. */
enum PodFate {
    /** Not running yet: waiting to be scheduled, bound, or starting. */
    PENDING,
    RUNNING,
    SUCCEEDED,
    /** Failed on its own (a non-zero exit, a crash): counts against the job's backoff limit. */
    FAILED,
    /** Stopped by the cluster (evicted, preempted, node shut down): does not count against the job. */
    EVICTED,
    /** Being deleted; its name is taken until it is gone. */
    TERMINATING;

    /**
     * Pod status reasons that mean the cluster, not the workload, ended the pod: the kubelet's
     * node-pressure eviction and priority preemption.
     */
    private static final Set<String> DISRUPTION_REASONS = Set.of("Evicted", "Preempted");

    /**
     * Kubernetes (1.26 and later) marks pods it stops on purpose with this condition: eviction through
     * the Eviction API, scheduler preemption, taint-based deletion, node shutdown.
     */
    static final String DISRUPTION_TARGET = "DisruptionTarget";

    static PodFate of(Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            return TERMINATING;
        }
        PodStatus status = pod.getStatus();
        String phase = status == null ? null : status.getPhase();
        if ("Failed".equals(phase)) {
            return disrupted(status) ? EVICTED : FAILED;
        }
        if ("Succeeded".equals(phase)) {
            return SUCCEEDED;
        }
        if ("Running".equals(phase)) {
            return RUNNING;
        }
        return PENDING;
    }

    boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == EVICTED;
    }

    private static boolean disrupted(PodStatus status) {
        if (status.getReason() != null && DISRUPTION_REASONS.contains(status.getReason())) {
            return true;
        }
        if (status.getConditions() != null) {
            for (PodCondition c : status.getConditions()) {
                if (DISRUPTION_TARGET.equals(c.getType()) && "True".equals(c.getStatus())) {
                    return true;
                }
            }
        }
        return false;
    }
}
