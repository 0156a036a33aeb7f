package io.gpuq.scheduler.cluster;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * The Lease lock of the leader election, with two corrections to how fabric8 maps a Lease:
 * <ul>
 *   <li>A Lease with fields missing (written by hand, or by a tool that leaves out the times) reads as
 *       an expired lease of its holder, so it is taken over once it is seen not to be renewed. fabric8
 *       fails on it, and a failure while campaigning ends the campaign for good: a standby would never
 *       lead again.</li>
 *   <li>Releasing the lease on shutdown writes an empty holder. fabric8 writes none, which its merge
 *       patch leaves as it was, so a standby had to wait for the released lease to expire instead of
 *       taking it at its next try.</li>
 * </ul>
 */
final class TolerantLeaseLock extends LeaseLock {
    private static final ZonedDateTime NEVER = ZonedDateTime.ofInstant(Instant.EPOCH, ZoneOffset.UTC);

    TolerantLeaseLock(String namespace, String name, String identity) {
        super(namespace, name, identity);
    }

    @Override
    protected Lease toResource(LeaderElectionRecord record, ObjectMetaBuilder meta) {
        Lease lease = super.toResource(record, meta);
        if (lease.getSpec().getHolderIdentity() == null) {
            lease.getSpec().setHolderIdentity("");
        }
        return lease;
    }

    @Override
    protected LeaderElectionRecord toRecord(Lease lease) {
        LeaseSpec spec = lease.getSpec() == null ? new LeaseSpec() : lease.getSpec();
        Integer seconds = spec.getLeaseDurationSeconds();
        return new LeaderElectionRecord(
                spec.getHolderIdentity(),
                Duration.ofSeconds(seconds == null ? 0 : Math.max(0, seconds)),
                spec.getAcquireTime() == null ? NEVER : spec.getAcquireTime(),
                spec.getRenewTime() == null ? NEVER : spec.getRenewTime(),
                spec.getLeaseTransitions() == null ? 0 : spec.getLeaseTransitions());
    }
}
