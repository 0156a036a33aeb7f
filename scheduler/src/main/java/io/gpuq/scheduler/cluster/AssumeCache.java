package io.gpuq.scheduler.cluster;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Placements decided but not yet visible through the informers, so the next cycle counts their
 * resources and does not hand them out again (kube-scheduler's "assumed pods"). Written by the cycle
 * thread and the bind workers; every operation is a single atomic map update.
 */
final class AssumeCache {
    private final Map<String, Assumption> byPod = new ConcurrentHashMap<>();

    void assume(Assumption a) {
        byPod.put(a.podKey(), a);
    }

    Optional<Assumption> get(String podKey) {
        return Optional.ofNullable(byPod.get(podKey));
    }

    /** Moves an assumption to {@code next} if it is still the same pod (by uid). */
    boolean transition(String podKey, String uid, Assumption.State from, Assumption.State next) {
        boolean[] done = {false};
        byPod.computeIfPresent(podKey, (k, a) -> {
            if (a.podUid().equals(uid) && a.state() == from) {
                done[0] = true;
                return a.with(next);
            }
            return a;
        });
        return done[0];
    }

    void forget(String podKey) {
        byPod.remove(podKey);
    }

    List<Assumption> all() {
        return new ArrayList<>(byPod.values());
    }

    /** Uids of the pods some placement waits on: they are being evicted and their resources are spoken for. */
    Set<String> spokenFor() {
        Set<String> out = new HashSet<>();
        for (Assumption a : byPod.values()) {
            out.addAll(a.waitFor());
        }
        return out;
    }

    int size() {
        return byPod.size();
    }
}
