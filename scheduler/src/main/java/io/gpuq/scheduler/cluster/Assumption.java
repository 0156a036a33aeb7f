package io.gpuq.scheduler.cluster;

import io.gpuq.scheduler.engine.model.PodAllocation;

import java.util.Set;

/**
 * A placement the engine decided and the API does not show yet. {@code waitFor} are the uids of the
 * evicted pods whose resources the placement needs; the pod is bound only when they are gone (a pod
 * its controller created again under the same name is another pod).
 * {@code deadlineMillis} bounds the wait: after it the assumption is dropped and the pod is
 * scheduled afresh.
 */
record Assumption(String podKey, String podUid, String workloadId, PodAllocation allocation, Set<String> waitFor,
                  long deadlineMillis, State state) {

    enum State {
        /** Waiting for evicted pods to go or for the reservations of its shared devices. */
        WAITING,
        /** Handed to the binder. */
        BINDING,
        /** The binding was accepted; waiting for the informer to show the pod bound. */
        BOUND
    }

    Assumption {
        waitFor = Set.copyOf(waitFor);
    }

    Assumption with(State next) {
        return new Assumption(podKey, podUid, workloadId, allocation, waitFor, deadlineMillis, next);
    }
}
