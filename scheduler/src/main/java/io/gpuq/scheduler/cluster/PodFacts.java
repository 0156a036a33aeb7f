package io.gpuq.scheduler.cluster;

import io.gpuq.scheduler.engine.model.PodRequest;

/**
 * What the scheduler reads from one of its pods. {@code key} is {@code namespace/name};
 * {@code group} is the gang key ({@code namespace/pod-group-name}, or the pod's own key);
 * {@code invalid} is a message when the pod cannot be scheduled as written (then {@code request}
 * is null).
 */
record PodFacts(
        String key,
        String namespace,
        String name,
        String uid,
        String project,
        String group,
        int minMember,
        String type,
        int priority,
        boolean preemptible,
        long submitMillis,
        PodRequest request,
        String nodeName,
        boolean terminating,
        String devices,
        String invalid) {

    boolean bound() {
        return nodeName != null && !nodeName.isEmpty();
    }
}
