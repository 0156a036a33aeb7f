package io.gpuq.scheduler.metrics;

import io.gpuq.scheduler.utilization.DcgmUtilization;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * {@code runai_gpu_utilization_per_project} and the state of its source. A scrape asks for a refresh
 * (sent only when the cached answer is due, answered later) and exports what is already known, so it
 * never waits on Prometheus. Without a source, or without a fresh answer, the per-project family is
 * absent and {@code runai_gpu_utilization_source_up} is 0.
 */
final class UtilizationCollector implements MultiCollector {
    private final DcgmUtilization source;

    /** @param source null when no Prometheus is configured */
    UtilizationCollector(DcgmUtilization source) {
        this.source = source;
    }

    @Override
    public MetricSnapshots collect() {
        GaugeFamily up = new GaugeFamily(MetricNames.GPU_UTILIZATION_SOURCE_UP,
                "1 when the latest query for DCGM GPU utilization succeeded, else 0.");
        GaugeFamily stale = new GaugeFamily(MetricNames.GPU_UTILIZATION_STALE,
                "1 while the utilization exported is kept from an earlier answer because the latest query failed.");
        GaugeFamily age = new GaugeFamily(MetricNames.GPU_UTILIZATION_AGE_SECONDS,
                "Seconds since the exported utilization was read from Prometheus.");
        GaugeFamily perProject = new GaugeFamily(MetricNames.GPU_UTILIZATION_PER_PROJECT,
                "Average utilization (0-100) of the project's GPUs, fractional pods weighted by their share.",
                "project");
        if (source == null) {
            return new MetricSnapshots(up.add(0).build(), stale.add(0).build());
        }
        source.refresh();
        Optional<Map<String, Double>> values = source.perProject();
        values.ifPresent(m -> m.forEach((project, v) -> perProject.add(v, project)));
        up.add(source.up() ? 1 : 0);
        stale.add(source.stale() ? 1 : 0);
        OptionalDouble seconds = source.ageSeconds();
        if (seconds.isPresent()) {
            age.add(seconds.getAsDouble());
        }
        return new MetricSnapshots(up.build(), stale.build(), age.build(), perProject.build());
    }
}
