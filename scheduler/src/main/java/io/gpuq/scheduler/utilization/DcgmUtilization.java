package io.gpuq.scheduler.utilization;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gpuq.scheduler.metrics.query.PrometheusClient;
import io.gpuq.scheduler.metrics.query.PrometheusQueryException;
import io.gpuq.scheduler.metrics.query.VectorSample;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * GPU utilization per project from DCGM exporter data, read through the Prometheus HTTP API.
 *
 * <p>Nothing here waits on Prometheus: {@link #refresh()} sends a query only when the cached answer is
 * older than the refresh interval (a Caffeine cache keyed by the query, so callers on several threads
 * share one request) and returns at once; readers get the last good answer. When a query fails or times
 * out that answer is kept, {@link #up()} turns false, and after {@code staleAfter} without a good answer
 * {@link #perProject()} is empty, so the per-project series disappear instead of showing old values.
 *
 * <p>Staleness is measured on {@code wallClock}, the real time Prometheus lives in, not the scheduler's
 * clock (which a demo may run faster).
 */
public final class DcgmUtilization {

    private static final Logger LOG = Logger.getLogger(DcgmUtilization.class.getName());

    /** One query's outcome; a failure is cached too, so a broken Prometheus is asked once per interval. */
    private record Answer(List<VectorSample> samples, String error) {
    }

    private record Reading(List<VectorSample> samples, Instant at) {
    }

    private final UtilizationSettings settings;
    private final PrometheusClient client;
    private final InstantSource wallClock;
    private final AsyncCache<String, Answer> answers;
    private volatile PodShares pods = PodShares.NONE;
    private volatile Reading lastGood;
    private volatile boolean up;
    private volatile boolean failing;

    public DcgmUtilization(UtilizationSettings settings) {
        this(settings, InstantSource.system());
    }

    public DcgmUtilization(UtilizationSettings settings, InstantSource wallClock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
        this.client = new PrometheusClient(settings.prometheusUrl(), settings.timeout());
        this.answers = Caffeine.newBuilder()
                .expireAfterWrite(settings.refreshInterval())
                .maximumSize(16)
                .ticker(() -> {
                    Instant now = wallClock.instant();
                    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
                })
                .recordStats()
                .buildAsync();
    }

    public UtilizationSettings settings() {
        return settings;
    }

    /** The running pods and their projects, from the latest cycle; used for the next reads. */
    public void attribute(PodShares running) {
        pods = Objects.requireNonNull(running, "running");
    }

    /**
     * Sends a query when the cached answer is older than the refresh interval; returns at once. The
     * future completes when the answer (good or not) has been taken in; it never fails.
     */
    public CompletableFuture<Void> refresh() {
        return answers.get(settings.query(), (query, executor) -> ask(query)).thenApply(a -> null);
    }

    private CompletableFuture<Answer> ask(String query) {
        return client.instantQuery(query, null).handle((samples, error) -> {
            Answer answer = error == null ? new Answer(samples, null) : new Answer(List.of(), message(error));
            takeIn(answer);
            return answer;
        });
    }

    private void takeIn(Answer answer) {
        Instant now = wallClock.instant();
        if (answer.error() == null) {
            boolean first = lastGood == null;
            lastGood = new Reading(answer.samples(), now);
            up = true;
            if (first || failing) {
                LOG.info("GPU utilization: Prometheus at " + client.server() + " answered '" + settings.query()
                        + "' with " + answer.samples().size() + " sample(s); asking again about every "
                        + settings.refreshInterval().toSeconds() + " s");
            }
            failing = false;
            return;
        }
        up = false;
        Reading kept = lastGood;
        String keeping = kept == null ? "no utilization is exported until a query succeeds"
                : "keeping the values read at " + kept.at() + " until " + kept.at().plus(settings.staleAfter());
        // One warning when queries start failing; repeats only at FINE so a long outage does not flood the log.
        LOG.log(failing ? Level.FINE : Level.WARNING, "GPU utilization query failed: " + answer.error() + "; "
                + keeping + "; retrying in about " + settings.refreshInterval().toSeconds() + " s");
        failing = true;
    }

    private static String message(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && !(t instanceof PrometheusQueryException)) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    /** Utilization (0–100) per project, or empty when no good answer is younger than {@code staleAfter}. */
    public Optional<Map<String, Double>> perProject() {
        Reading r = lastGood;
        if (r == null || age(r).compareTo(settings.staleAfter()) > 0) {
            return Optional.empty();
        }
        return Optional.of(ProjectUtilization.compute(r.samples(), pods));
    }

    /** Whether the latest query succeeded. */
    public boolean up() {
        return up;
    }

    /** True while the values exported come from an earlier answer because the latest query failed. */
    public boolean stale() {
        return !up && perProject().isPresent();
    }

    /** Seconds since the values exported were read; empty when none are. */
    public OptionalDouble ageSeconds() {
        Reading r = lastGood;
        if (r == null || age(r).compareTo(settings.staleAfter()) > 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(age(r).toMillis() / 1000.0);
    }

    /** The answers cache, for its statistics. */
    public Cache<String, ?> cache() {
        return answers.synchronous();
    }

    private Duration age(Reading r) {
        Duration d = Duration.between(r.at(), wallClock.instant());
        return d.isNegative() ? Duration.ZERO : d;
    }
}
