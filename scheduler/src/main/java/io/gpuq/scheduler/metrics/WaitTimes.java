package io.gpuq.scheduler.metrics;

import io.gpuq.scheduler.engine.model.PlacementDecision;
import io.gpuq.scheduler.engine.model.RunningWorkload;
import io.gpuq.scheduler.engine.model.Workload;
import io.prometheus.metrics.core.metrics.Histogram;

import java.util.HashSet;
import java.util.Set;

/**
 * {@code runai_job_wait_time_seconds{project}}: one observation per workload, submit → first placement.
 * A workload evicted and placed again is not observed twice; one already running when first seen (a
 * scheduler restart) is not observed at all, since its start was measured before. Workloads that leave
 * the cluster are forgotten, and the series of deleted projects are removed.
 */
final class WaitTimes {
    private final Histogram histogram;
    private final Set<String> started = new HashSet<>();
    private Set<String> projects = Set.of();

    WaitTimes(Histogram histogram) {
        this.histogram = histogram;
    }

    synchronized void update(CycleView view) {
        Set<String> known = CycleFamilies.projectNames(view);
        for (String p : known) {
            if (!projects.contains(p)) {
                histogram.initLabelValues(p);
            }
        }
        for (String p : projects) {
            if (!known.contains(p)) {
                histogram.remove(p);
            }
        }
        projects = known;

        Set<String> placements = new HashSet<>();
        for (PlacementDecision p : view.result.placements()) {
            placements.add(p.workloadId());
        }
        Set<String> present = new HashSet<>();
        for (Workload w : view.pending) {
            present.add(w.id());
        }
        for (RunningWorkload r : view.running) {
            String id = r.workload().id();
            present.add(id);
            if (started.add(id) && placements.contains(id)) {
                Workload w = r.workload();
                histogram.labelValues(w.project()).observe(Math.max(0, view.atMillis - w.submitTime()) / 1000.0);
            }
        }
        started.retainAll(present);
    }
}
