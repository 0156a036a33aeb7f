package io.gpuq.scheduler.metrics;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Statistics of the registered Caffeine caches as {@code caffeine_cache_*{cache}}, named as the Caffeine
 * module of the Prometheus Java client names them so that dashboards written for it work (that module
 * is not available to this build).
 */
final class CacheMetrics {
    private final Map<String, Cache<?, ?>> caches = new ConcurrentHashMap<>();

    CacheMetrics(PrometheusRegistry registry) {
        counter(registry, "caffeine_cache_hit", "Cache lookups that found an entry.", CacheStats::hitCount);
        counter(registry, "caffeine_cache_miss", "Cache lookups that found no entry.", CacheStats::missCount);
        counter(registry, "caffeine_cache_requests", "Cache lookups.", CacheStats::requestCount);
        counter(registry, "caffeine_cache_eviction", "Entries evicted for size or expiry.", CacheStats::evictionCount);
        counter(registry, "caffeine_cache_load_failure", "Loads that failed.", CacheStats::loadFailureCount);
        GaugeWithCallback.builder().name("caffeine_cache_estimated_size")
                .help("Estimated number of entries in the cache.")
                .labelNames("cache")
                .callback(cb -> caches.forEach((name, cache) -> cb.call(cache.estimatedSize(), name)))
                .register(registry);
    }

    void register(String name, Cache<?, ?> cache) {
        caches.put(name, cache);
    }

    private void counter(PrometheusRegistry registry, String name, String help, ToDoubleFunction<CacheStats> value) {
        CounterWithCallback.builder().name(name)
                .help(help)
                .labelNames("cache")
                .callback(cb -> caches.forEach((cacheName, cache) ->
                        cb.call(value.applyAsDouble(cache.stats()), cacheName)))
                .register(registry);
    }
}
