package io.gpuq.scheduler.utilization;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how often GPU utilization is read.
 *
 * @param prometheusUrl   the Prometheus that scrapes the DCGM exporter
 * @param query           PromQL returning one sample per GPU with its pod's labels, 0–100
 * @param timeout         how long one query may take
 * @param refreshInterval how long one answer is used before the next query is sent
 * @param staleAfter      how long the last good answer is kept while queries fail; after that
 *                        {@code runai_gpu_utilization_per_project} is absent until a query succeeds
 */
public record UtilizationSettings(URI prometheusUrl, String query, Duration timeout, Duration refreshInterval,
                                  Duration staleAfter) {

    public static final String DEFAULT_QUERY = "DCGM_FI_DEV_GPU_UTIL";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(30);
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofMinutes(5);

    public UtilizationSettings {
        Objects.requireNonNull(prometheusUrl, "prometheusUrl");
        if (query == null || query.isBlank()) {
            throw new IllegalArgumentException("the utilization query is empty; the default is " + DEFAULT_QUERY);
        }
        positive(timeout, "timeout");
        positive(refreshInterval, "refreshInterval");
        positive(staleAfter, "staleAfter");
        if (staleAfter.compareTo(refreshInterval) < 0) {
            throw new IllegalArgumentException("staleAfter (" + staleAfter + ") is shorter than refreshInterval ("
                    + refreshInterval + "): every answer would be stale before the next query");
        }
    }

    /** The defaults: {@value #DEFAULT_QUERY}, 5 s timeout, a query every 30 s, values kept 5 min. */
    public static UtilizationSettings defaults(URI prometheusUrl) {
        return new UtilizationSettings(prometheusUrl, DEFAULT_QUERY, DEFAULT_TIMEOUT, DEFAULT_REFRESH, DEFAULT_STALE_AFTER);
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }
}
