package io.gpuq.scheduler.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.gpuq.api.crd.Project;
import io.gpuq.api.crd.ProjectStatus;
import io.gpuq.scheduler.engine.model.CycleResult;
import io.gpuq.scheduler.engine.model.PendingReason;
import io.gpuq.scheduler.engine.model.QueueStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Tells users what the scheduler decided: every pending pod gets {@code PodScheduled=False} with
 * reason {@code Unschedulable} and the engine's explanation (written only when it changes) plus a
 * rate-limited {@code FailedScheduling} Event; every Project gets its status (fair share,
 * allocated, non-preemptible allocated, pending workloads), written only when it changes.
 */
final class StatusReporter {
    private static final Logger LOG = Logger.getLogger(StatusReporter.class.getName());

    private final KubeWriter writer;
    private final EventRecorder events;
    private final ExecutorService workers;
    private final String systemNamespace;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    StatusReporter(KubeWriter writer, EventRecorder events, ExecutorService workers, String systemNamespace) {
        this.writer = writer;
        this.events = events;
        this.workers = workers;
        this.systemNamespace = systemNamespace;
    }

    void report(SnapshotView view, CycleResult result, Function<String, Pod> podByKey, List<Project> projects) {
        Map<String, PendingReason> reasons = new HashMap<>(result.pendingReasons());
        reasons.putAll(view.heldBack());
        for (var e : reasons.entrySet()) {
            PendingReason reason = e.getValue();
            String message = reason.reason() + ": " + reason.message();
            for (PodFacts f : view.members().getOrDefault(e.getKey(), List.of())) {
                explain(f, podByKey.apply(f.key()), message);
            }
        }
        for (PodFacts f : view.invalid()) {
            explain(f, podByKey.apply(f.key()), "Invalid: " + f.invalid());
        }
        for (Project p : projects) {
            QueueStatus q = result.projects().get(p.getMetadata().getName());
            if (q != null) {
                updateProject(p, q);
            }
        }
    }

    private void explain(PodFacts f, Pod pod, String message) {
        if (pod == null) {
            return;
        }
        events.pod(f.namespace(), f.name(), f.uid(), true, "FailedScheduling", message);
        PodCondition current = null;
        if (pod.getStatus() != null && pod.getStatus().getConditions() != null) {
            for (PodCondition c : pod.getStatus().getConditions()) {
                if ("PodScheduled".equals(c.getType())) {
                    current = c;
                }
            }
        }
        if (current != null && "False".equals(current.getStatus()) && message.equals(current.getMessage())) {
            return;
        }
        String key = "pod:" + f.key();
        if (!inFlight.add(key)) {
            return;
        }
        List<PodCondition> conditions = new ArrayList<>();
        if (pod.getStatus() != null && pod.getStatus().getConditions() != null) {
            for (PodCondition c : pod.getStatus().getConditions()) {
                if (!"PodScheduled".equals(c.getType())) {
                    conditions.add(c);
                }
            }
        }
        conditions.add(new PodConditionBuilder().withType("PodScheduled").withStatus("False")
                .withReason("Unschedulable").withMessage(message)
                .withLastTransitionTime(Instant.now().toString()).build());
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("conditions", conditions);
        if (pod.getStatus() == null || pod.getStatus().getPhase() == null) {
            status.put("phase", "Pending");
        }
        workers.execute(() -> {
            try {
                ApiResult r = writer.mergePatchStatus(writer.client().pods().inNamespace(f.namespace()).withName(f.name()),
                        Map.of("status", status));
                if (!r.ok() && !r.notFound()) {
                    LOG.fine(() -> "cannot explain pending pod " + f.key() + ": " + r.code() + " " + r.message());
                }
            } finally {
                inFlight.remove(key);
            }
        });
    }

    private void updateProject(Project p, QueueStatus q) {
        ProjectStatus s = p.getStatus();
        double fair = round(q.fairShareGpus());
        double allocated = round(q.allocatedGpus());
        double np = round(q.allocatedNonPreemptibleGpus());
        int pending = q.pendingWorkloads();
        if (s != null && Objects.equals(s.getFairShareGpus(), fair) && Objects.equals(s.getAllocatedGpus(), allocated)
                && Objects.equals(s.getAllocatedNonPreemptibleGpus(), np)
                && Objects.equals(s.getPendingWorkloads(), pending)) {
            return;
        }
        String name = p.getMetadata().getName();
        String key = "project:" + name;
        if (!inFlight.add(key)) {
            return;
        }
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("fairShareGpus", fair);
        status.put("allocatedGpus", allocated);
        status.put("allocatedNonPreemptibleGpus", np);
        status.put("pendingWorkloads", pending);
        workers.execute(() -> {
            try {
                ApiResult r = writer.mergePatchStatus(writer.client().resources(Project.class)
                        .inNamespace(systemNamespace).withName(name), Map.of("status", status));
                if (!r.ok() && !r.notFound()) {
                    LOG.fine(() -> "cannot update the status of project " + name + ": " + r.code() + " " + r.message());
                }
            } finally {
                inFlight.remove(key);
            }
        });
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
