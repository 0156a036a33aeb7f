package io.gpuq.scheduler.cluster;

import java.time.Duration;
import java.util.Objects;

/**
 * Leader election with a coordination.k8s.io Lease. With {@code enabled} false the instance leads
 * from the start (a single replica, or the demo).
 */
public record LeaderSettings(boolean enabled, String leaseName, String leaseNamespace, String identity,
                             Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
    public LeaderSettings {
        Objects.requireNonNull(leaseName, "leaseName");
        Objects.requireNonNull(leaseNamespace, "leaseNamespace");
        Objects.requireNonNull(identity, "identity");
        if (enabled && renewDeadline.compareTo(leaseDuration) >= 0) {
            throw new IllegalArgumentException("the renew deadline (" + renewDeadline
                    + ") must be shorter than the lease duration (" + leaseDuration + ")");
        }
        if (enabled && retryPeriod.compareTo(renewDeadline) >= 0) {
            throw new IllegalArgumentException("the retry period (" + retryPeriod
                    + ") must be shorter than the renew deadline (" + renewDeadline + ")");
        }
    }

    public static LeaderSettings disabled(String identity) {
        return new LeaderSettings(false, "gpuq-scheduler", "default", identity, Duration.ofSeconds(15),
                Duration.ofSeconds(10), Duration.ofSeconds(2));
    }

    public static LeaderSettings lease(String name, String namespace, String identity, Duration leaseDuration) {
        Duration renew = leaseDuration.multipliedBy(2).dividedBy(3);
        Duration retry = leaseDuration.dividedBy(7).isZero() ? Duration.ofMillis(100) : leaseDuration.dividedBy(7);
        return new LeaderSettings(true, name, namespace, identity, leaseDuration, renew, retry);
    }
}
