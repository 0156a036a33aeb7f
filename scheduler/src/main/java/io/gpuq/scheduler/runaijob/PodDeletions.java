package io.gpuq.scheduler.runaijob;

import io.fabric8.kubernetes.api.model.Pod;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pods the controller has deleted and the informer cache still shows. Without this, the pass that runs
 * before the cache catches up would see a gang it has just restarted still running with a rank missing,
 * and restart it again (a second Event, a second round of deletions). client-go controllers keep the
 * same kind of "expectations". Only successful deletions are remembered, by pod UID, until the pod's
 * deletion reaches the informer; a fresh start begins with a fresh cache and an empty set.
 */
final class PodDeletions {

    private final Set<String> uids = ConcurrentHashMap.newKeySet();

    void requested(Pod pod) {
        String uid = pod.getMetadata().getUid();
        if (uid != null) {
            uids.add(uid);
        }
    }

    boolean isRequested(Pod pod) {
        String uid = pod.getMetadata().getUid();
        return uid != null && uids.contains(uid);
    }

    /** The informer reported the pod gone. */
    void gone(Pod pod) {
        String uid = pod.getMetadata().getUid();
        if (uid != null) {
            uids.remove(uid);
        }
    }

    int size() {
        return uids.size();
    }
}
