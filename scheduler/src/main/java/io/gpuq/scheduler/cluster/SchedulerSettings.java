package io.gpuq.scheduler.cluster;

import java.time.Duration;
import java.util.Objects;

/**
 * How the in-cluster scheduler runs. Defaults follow kube-scheduler where it has an equivalent
 * (client QPS 50, burst 100, lease 15 s / renew 10 s / retry 2 s).
 *
 * @param bindTimeout        how long a decided placement may wait (for evicted pods to go, for a
 *                           reservation to report its device) before it is dropped and re-decided
 * @param pendingEventPeriod how often one pending pod gets another FailedScheduling event
 */
public record SchedulerSettings(
        String schedulerName,
        String systemNamespace,
        Duration cyclePeriod,
        double clientQps,
        int clientBurst,
        int bindConcurrency,
        String placementPolicy,
        String reservationNamespace,
        String reservationImage,
        Duration bindTimeout,
        Duration pendingEventPeriod,
        Duration reservationGrace) {

    public SchedulerSettings {
        Objects.requireNonNull(schedulerName, "schedulerName");
        Objects.requireNonNull(systemNamespace, "systemNamespace");
        Objects.requireNonNull(reservationNamespace, "reservationNamespace");
        Objects.requireNonNull(reservationImage, "reservationImage");
        if (cyclePeriod.isNegative() || cyclePeriod.isZero()) {
            throw new IllegalArgumentException("cycle period must be > 0, was " + cyclePeriod);
        }
        if (!(clientQps > 0)) {
            throw new IllegalArgumentException("client QPS must be > 0, was " + clientQps);
        }
        if (clientBurst < 1) {
            throw new IllegalArgumentException("client burst must be >= 1, was " + clientBurst);
        }
        if (bindConcurrency < 1) {
            throw new IllegalArgumentException("bind concurrency must be >= 1, was " + bindConcurrency);
        }
    }

    public static SchedulerSettings defaults() {
        return new SchedulerSettings(io.gpuq.api.Names.SCHEDULER_NAME, io.gpuq.api.Names.SYSTEM_NAMESPACE,
                Duration.ofSeconds(1), 50, 100, 16, "default", "runai-reservation", "gpuq/gpuq:latest",
                Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(10));
    }

    public SchedulerSettings withCyclePeriod(Duration period) {
        return new SchedulerSettings(schedulerName, systemNamespace, period, clientQps, clientBurst, bindConcurrency,
                placementPolicy, reservationNamespace, reservationImage, bindTimeout, pendingEventPeriod,
                reservationGrace);
    }

    public SchedulerSettings withClient(double qps, int burst, int concurrency) {
        return new SchedulerSettings(schedulerName, systemNamespace, cyclePeriod, qps, burst, concurrency,
                placementPolicy, reservationNamespace, reservationImage, bindTimeout, pendingEventPeriod,
                reservationGrace);
    }

    public SchedulerSettings withBindTimeout(Duration timeout) {
        return new SchedulerSettings(schedulerName, systemNamespace, cyclePeriod, clientQps, clientBurst,
                bindConcurrency, placementPolicy, reservationNamespace, reservationImage, timeout, pendingEventPeriod,
                reservationGrace);
    }
}
