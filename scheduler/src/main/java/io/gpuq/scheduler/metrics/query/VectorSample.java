package io.gpuq.scheduler.metrics.query;

import java.util.Map;

/** One element of an instant vector returned by the Prometheus HTTP API: its labels and value. */
public record VectorSample(Map<String, String> labels, double value) {
    public VectorSample {
        labels = Map.copyOf(labels);
    }

    /** The label's value, or null when the sample does not carry it. */
    public String label(String name) {
        return labels.get(name);
    }
}
