package io.gpuq.scheduler.runtime;

import io.gpuq.scheduler.cluster.LeaderSettings;
import io.gpuq.scheduler.cluster.SchedulerSettings;

import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;

/**
 * Everything {@code gpuq scheduler} is started with. {@code prometheusUrl} may be null: then there
 * is no utilization and no chargeback endpoint. {@code clock} is the time costs and waits are counted
 * in (the demo runs it faster than the wall clock).
 */
public record RuntimeOptions(SchedulerSettings scheduler, LeaderSettings leader, String httpHost, int httpPort,
                             String priceConfigMap, Duration configScan, URI prometheusUrl, InstantSource clock) {
    public RuntimeOptions {
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(leader, "leader");
        Objects.requireNonNull(httpHost, "httpHost");
        Objects.requireNonNull(priceConfigMap, "priceConfigMap");
        Objects.requireNonNull(configScan, "configScan");
        Objects.requireNonNull(clock, "clock");
        if (httpPort < 0 || httpPort > 65535) {
            throw new IllegalArgumentException("HTTP port must be between 0 and 65535, was " + httpPort);
        }
    }
}
