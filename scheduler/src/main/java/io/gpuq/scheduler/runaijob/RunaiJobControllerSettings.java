package io.gpuq.scheduler.runaijob;

import java.time.Duration;

/**
 * How the RunaiJob controller runs.
 *
 * @param namespace      the only namespace whose RunaiJobs are run, or {@code null} for every namespace
 * @param resyncPeriod   how often every job is reconciled even without an event, to repair anything a
 *                       lost event left behind; zero turns it off
 * @param workers        jobs reconciled in parallel (one job is never reconciled by two workers at once)
 * @param retryBaseDelay first delay before a job whose reconcile failed (an API error) is tried again;
 *                       doubled on each further failure
 * @param retryMaxDelay  ceiling of that delay
 */
public record RunaiJobControllerSettings(String namespace, Duration resyncPeriod, int workers,
                                         Duration retryBaseDelay, Duration retryMaxDelay) {

    public static final Duration DEFAULT_RESYNC_PERIOD = Duration.ofMinutes(5);
    public static final int DEFAULT_WORKERS = 4;
    public static final Duration DEFAULT_RETRY_BASE_DELAY = Duration.ofMillis(200);
    public static final Duration DEFAULT_RETRY_MAX_DELAY = Duration.ofMinutes(1);

    public RunaiJobControllerSettings {
        if (namespace != null && namespace.isBlank()) {
            throw new IllegalArgumentException("namespace must be a namespace name, or null for all namespaces; got a blank string");
        }
        requireNonNegative("resyncPeriod", resyncPeriod);
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1; got " + workers);
        }
        requireNonNegative("retryBaseDelay", retryBaseDelay);
        requireNonNegative("retryMaxDelay", retryMaxDelay);
        if (retryBaseDelay.isZero()) {
            throw new IllegalArgumentException("retryBaseDelay must be positive, or a failing job would be retried in a busy loop");
        }
        if (retryMaxDelay.compareTo(retryBaseDelay) < 0) {
            throw new IllegalArgumentException("retryMaxDelay (" + retryMaxDelay + ") must not be below retryBaseDelay ("
                    + retryBaseDelay + ")");
        }
    }

    /** Every namespace, default periods. */
    public static RunaiJobControllerSettings allNamespaces() {
        return new RunaiJobControllerSettings(null, DEFAULT_RESYNC_PERIOD, DEFAULT_WORKERS,
                DEFAULT_RETRY_BASE_DELAY, DEFAULT_RETRY_MAX_DELAY);
    }

    /** One namespace, default periods. */
    public static RunaiJobControllerSettings inNamespace(String namespace) {
        if (namespace == null) {
            throw new IllegalArgumentException("namespace must be given; use allNamespaces() to watch every namespace");
        }
        return allNamespaces().withNamespace(namespace);
    }

    public RunaiJobControllerSettings withNamespace(String namespace) {
        return new RunaiJobControllerSettings(namespace, resyncPeriod, workers, retryBaseDelay, retryMaxDelay);
    }

    public RunaiJobControllerSettings withResyncPeriod(Duration resyncPeriod) {
        return new RunaiJobControllerSettings(namespace, resyncPeriod, workers, retryBaseDelay, retryMaxDelay);
    }

    public RunaiJobControllerSettings withWorkers(int workers) {
        return new RunaiJobControllerSettings(namespace, resyncPeriod, workers, retryBaseDelay, retryMaxDelay);
    }

    public RunaiJobControllerSettings withRetryDelays(Duration base, Duration max) {
        return new RunaiJobControllerSettings(namespace, resyncPeriod, workers, base, max);
    }

    /** True when every namespace is watched. */
    public boolean allNamespacesWatched() {
        return namespace == null;
    }

    private static void requireNonNegative(String name, Duration d) {
        if (d == null) {
            throw new IllegalArgumentException(name + " must be given");
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative; got " + d);
        }
    }
}
