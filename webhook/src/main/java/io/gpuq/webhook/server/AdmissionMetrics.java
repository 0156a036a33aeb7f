package io.gpuq.webhook.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import io.gpuq.webhook.admission.AdmissionEndpoint;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;

/**
 * The webhook's Prometheus metrics (DESIGN §5): review counts and durations per webhook, HTTP-level
 * rejections, Caffeine cache statistics and the JVM's own metrics, in one registry per server so that
 * several servers in one JVM (tests) do not share counters.
 */
public final class AdmissionMetrics {

    public static final String REQUESTS = "runai_admission_requests_total";
    public static final String DURATION = "runai_admission_duration_seconds";
    public static final String REJECTED = "runai_admission_rejected_requests_total";
    public static final String OPEN_CONNECTIONS = "runai_admission_open_connections";

    /**
     * Starts at 0.5 ms: a review on a warm event loop takes tens of microseconds, so coarse default
     * buckets would put every request in the first one.
     */
    static final double[] DURATION_BUCKETS = {
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    /** The operations the API server sends; anything else is counted as OTHER to bound the label set. */
    static final Set<String> OPERATIONS = Set.of("CREATE", "UPDATE", "DELETE", "CONNECT");

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests;
    private final Histogram duration;
    private final Counter rejected;
    private final Map<AdmissionEndpoint, DistributionDataPoint> durationByEndpoint = new EnumMap<>(AdmissionEndpoint.class);
    private final Map<AdmissionEndpoint, Map<String, CounterDataPoint[]>> requestPoints = new EnumMap<>(AdmissionEndpoint.class);
    private final Map<String, Cache<?, ?>> caches = new ConcurrentHashMap<>();
    private final AtomicInteger openConnections = new AtomicInteger();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    public AdmissionMetrics() {
        requests = Counter.builder().name(REQUESTS)
                .help("Admission reviews answered, by webhook, operation and whether the request was allowed.")
                .labelNames("webhook", "operation", "allowed")
                .register(registry);
        duration = Histogram.builder().name(DURATION)
                .help("Time from a complete request body to the response being written (parse, review, serialize).")
                .unit(Unit.SECONDS)
                .labelNames("webhook")
                .classicOnly()
                .classicUpperBounds(DURATION_BUCKETS)
                .register(registry);
        rejected = Counter.builder().name(REJECTED)
                .help("Requests answered with an HTTP error instead of a review (bad JSON, too large, too slow, ...).")
                .labelNames("webhook", "code")
                .register(registry);
        for (AdmissionEndpoint e : AdmissionEndpoint.values()) {
            durationByEndpoint.put(e, duration.labelValues(e.metricName()));
            Map<String, CounterDataPoint[]> byOperation = new ConcurrentHashMap<>();
            for (String op : OPERATIONS) {
                byOperation.put(op, new CounterDataPoint[] {
                    requests.labelValues(e.metricName(), op, "false"),
                    requests.labelValues(e.metricName(), op, "true")});
            }
            requestPoints.put(e, byOperation);
        }
        GaugeWithCallback.builder().name(OPEN_CONNECTIONS)
                .help("Connections open on the admission port.")
                .callback(cb -> cb.call(openConnections.get()))
                .register(registry);
        registerCacheFamilies();
        JvmMetrics.builder().register(registry);
    }

    /** Exports hit, miss, eviction, load-failure counts and the size of this cache as {@code cache="name"}. */
    public void registerCache(String name, Cache<?, ?> cache) {
        caches.put(name, cache);
    }

    /** All cache names registered so far. */
    public Set<String> cacheNames() {
        return Set.copyOf(caches.keySet());
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    void recordReview(AdmissionEndpoint endpoint, String operation, boolean allowed, long nanos) {
        String op = operation != null && OPERATIONS.contains(operation) ? operation : "OTHER";
        CounterDataPoint[] points = requestPoints.get(endpoint).computeIfAbsent(op, o -> new CounterDataPoint[] {
            requests.labelValues(endpoint.metricName(), o, "false"),
            requests.labelValues(endpoint.metricName(), o, "true")});
        points[allowed ? 1 : 0].inc();
        durationByEndpoint.get(endpoint).observe(nanos / 1e9);
    }

    /** Connections open on the admission port right now. */
    public int openConnections() {
        return openConnections.get();
    }

    AtomicInteger openConnectionCounter() {
        return openConnections;
    }

    void recordRejected(AdmissionEndpoint endpoint, int status) {
        rejected.labelValues(endpoint.metricName(), Integer.toString(status)).inc();
    }

    /** The registry in the Prometheus text format. Calls MXBeans: run it off the event loop. */
    public byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public String contentType() {
        return writer.getContentType();
    }

    /*
     * Named as the Caffeine module of the Prometheus Java client names them, so dashboards written for
     * that module work; the module itself is not available to this build.
     */
    private void registerCacheFamilies() {
        cacheCounter("caffeine_cache_hit", "Cache lookups that found an entry.", CacheStats::hitCount);
        cacheCounter("caffeine_cache_miss", "Cache lookups that found no entry.", CacheStats::missCount);
        cacheCounter("caffeine_cache_requests", "Cache lookups.", CacheStats::requestCount);
        cacheCounter("caffeine_cache_eviction", "Entries evicted for size or expiry.", CacheStats::evictionCount);
        cacheCounter("caffeine_cache_load_failure", "Loads that failed.", CacheStats::loadFailureCount);
        GaugeWithCallback.builder().name("caffeine_cache_estimated_size")
                .help("Estimated number of entries in the cache.")
                .labelNames("cache")
                .callback(cb -> caches.forEach((name, cache) -> cb.call(cache.estimatedSize(), name)))
                .register(registry);
    }

    private void cacheCounter(String name, String help, ToDoubleFunction<CacheStats> value) {
        CounterWithCallback.builder().name(name)
                .help(help)
                .labelNames("cache")
                .callback(cb -> caches.forEach((cacheName, cache) ->
                        cb.call(value.applyAsDouble(cache.stats()), cacheName)))
                .register(registry);
    }
}
