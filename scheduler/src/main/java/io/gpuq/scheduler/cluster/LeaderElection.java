package io.gpuq.scheduler.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the fabric8 LeaderElector on a Lease and keeps trying after losing it: a standby keeps
 * campaigning, and a leader that lost its lease (a partition, a slow API) steps down and campaigns
 * again. The lease is released on shutdown so a standby takes over at once.
 */
final class LeaderElection implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LeaderElection.class.getName());

    private final KubernetesClient client;
    private final LeaderSettings settings;
    private final List<LeaderTask> tasks;
    private final AtomicBoolean leading = new AtomicBoolean();
    private volatile boolean closed;
    private volatile CompletableFuture<?> running;

    LeaderElection(KubernetesClient client, LeaderSettings settings, List<LeaderTask> tasks) {
        this.client = client;
        this.settings = settings;
        this.tasks = List.copyOf(tasks);
    }

    void start() {
        if (!settings.enabled()) {
            becomeLeader();
            return;
        }
        campaign();
    }

    private void campaign() {
        if (closed) {
            return;
        }
        LeaderElector elector = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                .withName(settings.leaseName())
                .withLeaseDuration(settings.leaseDuration())
                .withRenewDeadline(settings.renewDeadline())
                .withRetryPeriod(settings.retryPeriod())
                .withLock(new TolerantLeaseLock(settings.leaseNamespace(), settings.leaseName(), settings.identity()))
                .withLeaderCallbacks(new LeaderCallbacks(this::becomeLeader, this::stepDown,
                        leader -> LOG.info(() -> leader == null || leader.isEmpty()
                                ? "the scheduler lease " + settings.leaseNamespace() + "/" + settings.leaseName()
                                        + " is free; standbys take it at their next try"
                                : "scheduler leader is now " + leader)))
                .withReleaseOnCancel(true)
                .build()).build();
        CompletableFuture<?> f = elector.start();
        running = f;
        f.whenComplete((v, t) -> {
            if (t != null && !(t instanceof java.util.concurrent.CancellationException)) {
                LOG.log(Level.WARNING, "leader election of " + settings.identity() + " ended with an error", t);
            }
            stepDown();
            if (!closed) {
                LOG.info(() -> settings.identity() + " campaigns for the lease again");
                campaign();
            }
        });
    }

    private void becomeLeader() {
        if (leading.compareAndSet(false, true)) {
            LOG.info(() -> settings.identity() + " leads: binding, evicting and running controllers");
            for (LeaderTask t : tasks) {
                try {
                    t.startLeading();
                } catch (RuntimeException e) {
                    LOG.log(Level.SEVERE, "cannot start " + t.getClass().getSimpleName() + " as leader", e);
                }
            }
        }
    }

    private void stepDown() {
        if (leading.compareAndSet(true, false)) {
            LOG.info(() -> settings.identity() + " no longer leads: decisions stop");
            for (LeaderTask t : tasks) {
                try {
                    t.stopLeading();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "cannot stop " + t.getClass().getSimpleName(), e);
                }
            }
        }
    }

    boolean isLeader() {
        return leading.get();
    }

    @Override
    public void close() {
        closed = true;
        CompletableFuture<?> f = running;
        if (f != null) {
            f.cancel(true);
        }
        stepDown();
    }
}
