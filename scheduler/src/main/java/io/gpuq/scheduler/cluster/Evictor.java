package io.gpuq.scheduler.cluster;

import io.gpuq.scheduler.engine.model.EvictionDecision;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.logging.Logger;

/**
 * Evicts every pod of a victim workload through the Eviction API, so PodDisruptionBudgets are
 * honoured, and tells the pod why (an Event naming the reclaimer or preemptor). A budget that forbids
 * the eviction is reported and not forced; the reclaimer's placement then expires and is decided
 * again.
 */
final class Evictor {
    private static final Logger LOG = Logger.getLogger(Evictor.class.getName());
    private static final int ATTEMPTS = 4;

    private final KubeWriter writer;
    private final EventRecorder events;
    private final WriteObserver observer;
    private final ExecutorService workers;
    private final Duration backoff;

    Evictor(KubeWriter writer, EventRecorder events, WriteObserver observer, ExecutorService workers, Duration backoff) {
        this.writer = writer;
        this.events = events;
        this.observer = observer;
        this.workers = workers;
        this.backoff = backoff;
    }

    void evict(EvictionDecision decision, List<PodFacts> pods) {
        boolean reclaim = decision.kind() == EvictionDecision.Kind.RECLAIM;
        String reason = reclaim ? "reclaim" : "preempt";
        // The engine's message starts by naming the reclaimer too; say it once.
        String why = decision.message().replaceFirst("^(reclaimed|preempted) by [^:]*: ", "");
        String message = (reclaim ? "Reclaimed by project " + decision.byProject() : "Preempted")
                + " for workload " + decision.byWorkload() + ": " + why;
        LOG.info(() -> "evicting workload " + decision.workloadId() + " of project " + decision.project() + " ("
                + pods.size() + " pods): " + message);
        for (PodFacts pod : pods) {
            if (pod.terminating()) {
                continue;
            }
            workers.execute(() -> evictOne(pod, reason, reclaim ? "Reclaimed" : "Preempted", message));
        }
    }

    private void evictOne(PodFacts pod, String reason, String eventReason, String message) {
        ApiResult r = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            r = writer.evict(pod.namespace(), pod.name());
            if (r.ok() || r.notFound() || (!r.retriable())) {
                break;
            }
            if (r.code() == 429 && r.message().contains("disruption budget")) {
                break;
            }
            try {
                Thread.sleep(backoff.multipliedBy(1L << (attempt - 1)).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        ApiResult result = r;
        if (result.ok()) {
            observer.evicted(reason);
            events.pod(pod.namespace(), pod.name(), pod.uid(), true, eventReason, message);
        } else if (result.notFound()) {
            LOG.fine(() -> "pod " + pod.key() + " was already gone when evicted");
        } else {
            events.pod(pod.namespace(), pod.name(), pod.uid(), true, "EvictionBlocked",
                    "Could not evict (" + result.code() + "): " + result.message());
            LOG.warning(() -> "eviction of " + pod.key() + " failed (" + result.code() + " " + result.message()
                    + "); the reclaimer waits and the decision is retried");
        }
    }
}
