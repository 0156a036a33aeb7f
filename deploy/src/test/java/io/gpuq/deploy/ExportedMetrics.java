package io.gpuq.deploy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gpuq.webhook.server.AdmissionMetrics;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The series gpuq and its optional sources export, by sample name (histograms as their
 * {@code _bucket}/{@code _count}/{@code _sum} series). The webhook's come from scraping its real
 * metrics registry; the scheduler's are the contract of DESIGN §5 plus the series the scheduler adds
 * for the dashboards.
 */
final class ExportedMetrics {

    /** DESIGN §5 and the scheduler's additions: name → type. */
    static final java.util.Map<String, String> SCHEDULER = java.util.Map.ofEntries(
            java.util.Map.entry("runai_allocated_gpus", "gauge"),
            java.util.Map.entry("runai_gpu_utilization_per_project", "gauge"),
            java.util.Map.entry("runai_pending_other_in_queue", "gauge"),
            java.util.Map.entry("runai_job_wait_time_seconds", "histogram"),
            java.util.Map.entry("runai_allocated_gpu_count_per_project", "gauge"),
            java.util.Map.entry("runai_project_guaranteed_gpus", "gauge"),
            java.util.Map.entry("runai_project_info", "gauge"),
            java.util.Map.entry("runai_queue_info", "gauge"),
            java.util.Map.entry("runai_allocated_gpu_count_per_node", "gauge"),
            java.util.Map.entry("runai_gpu_count_per_node", "gauge"),
            java.util.Map.entry("runai_allocated_gpu_count_per_workload", "gauge"),
            java.util.Map.entry("runai_requested_gpus_per_workload", "gauge"),
            java.util.Map.entry("runai_wait_time_seconds_per_workload", "gauge"),
            java.util.Map.entry("runai_project_fair_share_gpus", "gauge"),
            java.util.Map.entry("runai_project_deserved_gpus", "gauge"),
            java.util.Map.entry("runai_gpu_hourly_price", "gauge"),
            java.util.Map.entry("runai_allocated_gpu_seconds_total", "counter"),
            java.util.Map.entry("runai_project_gpu_cost_total", "counter"),
            java.util.Map.entry("runai_unallocated_gpu_cost_total", "counter"),
            java.util.Map.entry("runai_fleet_gpu_cost_total", "counter"),
            java.util.Map.entry("runai_gpu_utilization_source_up", "gauge"),
            java.util.Map.entry("runai_scheduler_cycle_duration_seconds", "histogram"),
            java.util.Map.entry("runai_scheduler_evictions_total", "counter"),
            java.util.Map.entry("runai_scheduler_binds_total", "counter"),
            java.util.Map.entry("runai_scheduler_is_leader", "gauge"),
            java.util.Map.entry("runai_pending_workloads", "gauge"),
            java.util.Map.entry("runai_fragmented_gpus_per_node", "gauge"));

    /** NVIDIA dcgm-exporter's default fields; only panels and alerts that say "DCGM" may use them. */
    static final Set<String> DCGM = Set.of("DCGM_FI_DEV_GPU_UTIL", "DCGM_FI_DEV_GPU_TEMP", "DCGM_FI_DEV_MEM_COPY_UTIL",
            "DCGM_FI_DEV_FB_USED", "DCGM_FI_DEV_FB_FREE", "DCGM_FI_DEV_POWER_USAGE", "DCGM_FI_DEV_SM_CLOCK",
            "DCGM_FI_DEV_MEM_CLOCK", "DCGM_FI_DEV_XID_ERRORS");

    /** Prometheus' own per-target series. */
    static final Set<String> PROMETHEUS = Set.of("up");

    private static final Pattern SAMPLE = Pattern.compile("^([A-Za-z_:][A-Za-z0-9_:]*)[{ ]", Pattern.MULTILINE);

    private ExportedMetrics() {
    }

    static Set<String> schedulerSeries() {
        Set<String> out = new TreeSet<>();
        SCHEDULER.forEach((name, type) -> {
            if (type.equals("histogram")) {
                out.add(name + "_bucket");
                out.add(name + "_count");
                out.add(name + "_sum");
            } else {
                out.add(name);
            }
        });
        return out;
    }

    /** Sample names in a scrape of the webhook's registry, with one cache registered as the webhook does. */
    static Set<String> webhookSeries() {
        AdmissionMetrics metrics = new AdmissionMetrics();
        Cache<String, String> cache = Caffeine.newBuilder().recordStats().maximumSize(10).build();
        cache.getIfPresent("probe");
        metrics.registerCache("namespaces", cache);
        String text = new String(metrics.scrape(), StandardCharsets.UTF_8);
        Set<String> out = new TreeSet<>();
        Matcher m = SAMPLE.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        // Families with no sample yet (a counter whose labels appear with the first event) are not in the
        // text; their names are in the registry's snapshots.
        for (MetricSnapshot family : metrics.registry().scrape()) {
            String name = family.getMetadata().getPrometheusName();
            if (family instanceof CounterSnapshot) {
                out.add(name + "_total");
            } else if (family instanceof HistogramSnapshot) {
                out.add(name + "_bucket");
                out.add(name + "_count");
                out.add(name + "_sum");
            } else if (family instanceof GaugeSnapshot) {
                out.add(name);
            }
        }
        return out;
    }

    /** Every sample name gpuq exports (scheduler and webhook), not counting optional sources. */
    static Set<String> gpuqSeries() {
        Set<String> out = new TreeSet<>(schedulerSeries());
        out.addAll(webhookSeries());
        return out;
    }
}
