package io.gpuq.scheduler.utilization;

import io.gpuq.scheduler.metrics.query.VectorSample;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-project GPU utilization from per-GPU DCGM samples: the average of the project's GPUs, each sample
 * weighted by the share of that device the pod holds (a pod with half a device counts half). Samples
 * whose pod is not a running pod of a known project are left out.
 *
 * <p>The pod is read from {@code exported_pod}/{@code exported_namespace} when present (Prometheus renames
 * the exporter's own labels that way when it scrapes without {@code honor_labels}, and {@code pod} is
 * then the exporter's pod), otherwise from {@code pod}/{@code namespace}.
 */
final class ProjectUtilization {

    private ProjectUtilization() {
    }

    static Map<String, Double> compute(List<VectorSample> samples, PodShares pods) {
        Map<String, double[]> sums = new HashMap<>();
        for (VectorSample s : samples) {
            String pod = s.label("exported_pod");
            String namespace = s.label("exported_namespace");
            if (pod == null || pod.isEmpty()) {
                pod = s.label("pod");
                namespace = s.label("namespace");
            }
            PodShare share = pods.find(namespace, pod);
            if (share == null || Double.isInfinite(s.value())) {
                continue;
            }
            double gpus = share.gpusOn(s.label("gpu"));
            if (gpus <= 0) {
                continue;
            }
            double[] acc = sums.computeIfAbsent(share.project(), k -> new double[2]);
            acc[0] += Math.max(0, Math.min(100, s.value())) * gpus;
            acc[1] += gpus;
        }
        Map<String, Double> out = new TreeMap<>();
        sums.forEach((project, acc) -> out.put(project, acc[0] / acc[1]));
        return Collections.unmodifiableMap(out);
    }
}
