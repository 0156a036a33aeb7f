package io.gpuq.cli.demo;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The evictions of the run: which workload lost its pods when, how many GPUs that freed, and why, from
 * the Event the scheduler writes on each evicted pod ({@code Reclaimed}: "Reclaimed by project … for
 * workload …", or {@code Preempted}). Pod deletions and their Events arrive on separate watches, in
 * either order; they are joined by pod uid.
 */
final class EvictionLog implements AutoCloseable {
    static final Set<String> REASONS = Set.of("Reclaimed", "Preempted");

    /** One eviction of a workload: every pod of one incarnation, however many deletions that took. */
    static final class Eviction {
        private final double at;
        private final String workload;
        private final String project;
        private final List<String> podUids = new ArrayList<>();
        private double gpus;
        private String cause;

        Eviction(double at, String workload, String project) {
            this.at = at;
            this.workload = workload;
            this.project = project;
        }

        double at() {
            return at;
        }

        String workload() {
            return workload;
        }

        String project() {
            return project;
        }

        synchronized double gpus() {
            return gpus;
        }

        /** The scheduler's Event message, or null when no Event named a pod of this eviction. */
        synchronized String cause() {
            return cause;
        }

        /** The reclaiming project named by the cause ("Reclaimed by project X for ..."), or null. */
        synchronized String reclaimer() {
            String prefix = "Reclaimed by project ";
            if (cause == null || !cause.startsWith(prefix)) {
                return null;
            }
            int end = cause.indexOf(' ', prefix.length());
            return end < 0 ? cause.substring(prefix.length()) : cause.substring(prefix.length(), end);
        }

        synchronized void add(String podUid, double podGpus) {
            podUids.add(podUid);
            gpus += podGpus;
        }

        synchronized boolean has(String podUid) {
            return podUids.contains(podUid);
        }

        synchronized void explain(String message) {
            if (cause == null) {
                cause = message;
            }
        }
    }

    private final List<Eviction> evictions = new ArrayList<>();
    /** Event messages whose pod deletion has not been seen yet, by pod uid. */
    private final Map<String, String> unmatched = new LinkedHashMap<>();
    private SharedIndexInformer<Event> informer;

    /** Starts reading the scheduler's eviction Events in every namespace. */
    synchronized EvictionLog start(KubernetesClient client) {
        informer = client.v1().events().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Event event) {
                observe(event);
            }

            @Override
            public void onUpdate(Event before, Event after) {
                observe(after);
            }

            @Override
            public void onDelete(Event event, boolean unknownFinalState) {
                // Events expire; the eviction they explained stays in the log.
            }
        }, 0);
        return this;
    }

    private void observe(Event event) {
        if (!REASONS.contains(event.getReason()) || event.getInvolvedObject() == null
                || !"Pod".equals(event.getInvolvedObject().getKind()) || event.getInvolvedObject().getUid() == null) {
            return;
        }
        String uid = event.getInvolvedObject().getUid();
        String message = event.getMessage() == null ? event.getReason() : event.getMessage();
        synchronized (this) {
            for (Eviction e : evictions) {
                if (e.has(uid)) {
                    e.explain(message);
                    return;
                }
            }
            unmatched.put(uid, message);
            if (unmatched.size() > 10_000) {
                unmatched.remove(unmatched.keySet().iterator().next());
            }
        }
    }

    /** A new eviction of {@code workload} that began at scenario second {@code at}. */
    synchronized Eviction open(double at, String workload, String project) {
        Eviction e = new Eviction(at, workload, project);
        evictions.add(e);
        return e;
    }

    /** Adds an evicted pod to {@code eviction}, with its Event's message if that came first. */
    synchronized void addPod(Eviction eviction, String podUid, double gpus) {
        eviction.add(podUid, gpus);
        String message = unmatched.remove(podUid);
        if (message != null) {
            eviction.explain(message);
        }
    }

    synchronized List<Eviction> all() {
        return List.copyOf(evictions);
    }

    /** Whether every eviction has its cause (the summary waits briefly for late Events). */
    synchronized boolean allExplained() {
        return evictions.stream().allMatch(e -> e.cause() != null);
    }

    @Override
    public synchronized void close() {
        if (informer != null) {
            informer.close();
            informer = null;
        }
    }
}
