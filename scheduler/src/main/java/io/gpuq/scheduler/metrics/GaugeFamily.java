package io.gpuq.scheduler.metrics;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;

/** Collects the samples of one gauge family for one snapshot. */
final class GaugeFamily {
    private final String[] labelNames;
    private final GaugeSnapshot.Builder builder;

    GaugeFamily(String name, String help, String... labelNames) {
        this.labelNames = labelNames;
        this.builder = GaugeSnapshot.builder().name(name).help(help);
    }

    GaugeFamily add(double value, String... labelValues) {
        builder.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                .value(value)
                .labels(Labels.of(labelNames, labelValues))
                .build());
        return this;
    }

    GaugeSnapshot build() {
        return builder.build();
    }
}
