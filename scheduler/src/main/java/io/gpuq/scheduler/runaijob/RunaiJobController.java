package io.gpuq.scheduler.runaijob;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.gpuq.api.Labels;
import io.gpuq.api.crd.RunaiJob;
import io.gpuq.scheduler.cluster.LeaderTask;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs RunaiJobs: makes each job's pods ({@code <job>-<index>}) and, for distributed jobs, its headless
 * Service, keeps {@code status} current, and applies the restart and failure policy (see
 * {@link JobReconciler} and RUNAIJOB.md).
 * <p>
 * Shared informers watch RunaiJobs, and the pods and Services labelled {@code runai/job-name}; every
 * event puts its job's key on a work queue, and worker threads reconcile one job at a time each. A
 * reconcile that fails (an API error such as 500, 409 or 429, a timeout) is retried with exponential
 * backoff; nothing an API server answers stops the controller.
 * <p>
 * The scheduler runs the controller only while it holds leadership (it is a {@link LeaderTask}), so it
 * can be started, closed and started again: each {@link #start()} builds fresh informers, queue and workers, and {@link #close()}
 * lets in-flight reconciles finish (briefly) and stops them all. All state that matters lives in the
 * cluster (the jobs' status and their pods' annotations), so a new leader continues where the old one
 * stopped.
 */
public final class RunaiJobController implements AutoCloseable, LeaderTask {

    private static final Logger LOG = Logger.getLogger(RunaiJobController.class.getName());

    /** How long {@link #close()} lets running reconciles finish before interrupting them. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    private final KubernetesClient client;
    private final RunaiJobControllerSettings settings;
    private final Clock clock;
    private Session session;

    /**
     * @param client   the client the controller reads and writes with; it stays open after {@link #close()}
     * @param settings which namespaces, how often to resync, how many workers, how to back off
     */
    public RunaiJobController(KubernetesClient client, RunaiJobControllerSettings settings) {
        if (client == null || settings == null) {
            throw new IllegalArgumentException("a client and settings are required");
        }
        this.client = client;
        this.settings = settings;
        this.clock = Clock.systemUTC();
    }

    /**
     * Starts watching and returns at once; workers begin once the informers have listed everything, so
     * no reconcile ever sees a half-filled cache. Starting a running controller does nothing.
     */
    public synchronized void start() {
        if (session != null) {
            LOG.fine("RunaiJob controller already running");
            return;
        }
        session = new Session();
        session.start();
        LOG.info("RunaiJob controller started (" + (settings.allNamespacesWatched() ? "all namespaces" : "namespace "
                + settings.namespace()) + ", " + settings.workers() + " workers, resync every " + settings.resyncPeriod() + ")");
    }

    /** Stops the informers and workers; {@link #start()} may be called again afterwards. */
    @Override
    public synchronized void close() {
        if (session == null) {
            return;
        }
        session.stop();
        session = null;
        LOG.info("RunaiJob controller stopped");
    }

    /** Leadership gained: {@link #start()}. */
    @Override
    public void startLeading() {
        start();
    }

    /** Leadership lost: {@link #close()}, so only the leader ever writes pods or status. */
    @Override
    public void stopLeading() {
        close();
    }

    public synchronized boolean isRunning() {
        return session != null;
    }

    /** True once the running controller's informers have listed everything and its workers run. */
    public synchronized boolean hasSynced() {
        return session != null && session.synced;
    }

    /** Informers, queue and workers of one start. */
    private final class Session {

        private final WorkQueue<JobKey> queue = new WorkQueue<>(settings.retryBaseDelay(), settings.retryMaxDelay(),
                "runaijob-retry-timer");
        private final SharedIndexInformer<RunaiJob> jobs;
        private final SharedIndexInformer<Pod> pods;
        private final SharedIndexInformer<Service> services;
        private final JobReconciler reconciler;
        private final PodDeletions deletions = new PodDeletions();
        private final List<Thread> workers = new ArrayList<>();
        private volatile boolean synced;
        private volatile boolean stopping;
        private CompletableFuture<Void> sync;

        Session() {
            jobs = watching("RunaiJobs", scoped(client.resources(RunaiJob.class)).runnableInformer(settings.resyncPeriod().toMillis()));
            pods = watching("pods", scoped(client.pods()).withLabel(Labels.JOB_NAME).runnableInformer(0));
            services = watching("Services", scoped(client.services()).withLabel(Labels.JOB_NAME).runnableInformer(0));
            pods.addIndexers(Map.of(JobReconciler.PODS_BY_JOB, JobReconciler::podIndexKeys));
            jobs.addEventHandler(enqueuing(JobKey::of, gone -> { }));
            pods.addEventHandler(enqueuing(Session::ownerKey, deletions::gone));
            services.addEventHandler(enqueuing(Session::ownerKey, gone -> { }));
            reconciler = new JobReconciler(client, jobs.getStore(), pods.getIndexer(), services.getStore(), deletions,
                    new JobEvents(client, clock), clock);
        }

        void start() {
            sync = CompletableFuture.allOf(jobs.start().toCompletableFuture(), pods.start().toCompletableFuture(),
                    services.start().toCompletableFuture());
            sync.thenRun(this::startWorkers);
        }

        private synchronized void startWorkers() {
            if (stopping) {
                return;
            }
            synced = true;
            for (int i = 0; i < settings.workers(); i++) {
                Thread worker = new Thread(this::work, "runaijob-worker-" + i);
                worker.setDaemon(true);
                workers.add(worker);
                worker.start();
            }
            LOG.info("RunaiJob controller caches synced: " + jobs.getStore().list().size() + " jobs, "
                    + pods.getStore().list().size() + " job pods; reconciling");
        }

        void stop() {
            List<Thread> running;
            synchronized (this) {
                stopping = true;
                running = List.copyOf(workers);
            }
            queue.shutDown();
            if (sync != null) {
                sync.cancel(false);
            }
            joinAll(running, CLOSE_GRACE);
            for (Thread worker : running) {
                if (worker.isAlive()) {
                    LOG.warning("RunaiJob controller: " + worker.getName() + " still reconciling after " + CLOSE_GRACE
                            + "; interrupting it (the next start continues from the cluster's state)");
                    worker.interrupt();
                }
            }
            joinAll(running, Duration.ofSeconds(1));
            jobs.stop();
            pods.stop();
            services.stop();
        }

        private void work() {
            while (!stopping) {
                JobKey key;
                try {
                    key = queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (key == null) {
                    return;
                }
                try {
                    JobReconciler.Outcome outcome = reconciler.reconcile(key);
                    queue.forget(key);
                    outcome.requeue().ifPresent(delay -> queue.addAfter(key, delay));
                } catch (RuntimeException e) {
                    if (stopping) {
                        LOG.fine(() -> "RunaiJob " + key + ": reconcile cut short by the controller stopping: " + e.getMessage());
                        return;
                    }
                    retry(key, e);
                } finally {
                    queue.done(key);
                }
            }
        }

        private void retry(JobKey key, RuntimeException e) {
            Duration delay = queue.addRateLimited(key);
            int attempt = queue.failures(key);
            Throwable cause = e instanceof JobReconciler.StepFailedException ? e.getCause() : e;
            String step = e instanceof JobReconciler.StepFailedException s ? "step '" + s.step() + "'" : "reconcile";
            if (cause instanceof KubernetesClientException api) {
                LOG.warning("RunaiJob " + key + ": " + step + " failed (" + ApiErrors.describe(api) + "); retry " + attempt
                        + " in " + delay.toMillis() + " ms");
            } else {
                LOG.log(Level.SEVERE, "RunaiJob " + key + ": " + step + " failed unexpectedly; retry " + attempt + " in "
                        + delay.toMillis() + " ms", cause);
            }
        }

        private <T extends HasMetadata> SharedIndexInformer<T> watching(String what, SharedIndexInformer<T> informer) {
            informer.exceptionHandler((started, error) -> {
                LOG.log(Level.WARNING, "RunaiJob controller: informer for " + what + (started ? " lost its watch" : " cannot list")
                        + " (" + ApiErrors.firstLine(error.getMessage()) + "); retrying", LOG.isLoggable(Level.FINE) ? error : null);
                return !stopping;
            });
            return informer;
        }

        /** Puts the object's job on the queue; {@code onGone} hears of deletions first. */
        private <T extends HasMetadata> ResourceEventHandler<T> enqueuing(Function<T, JobKey> keyOf, Consumer<T> onGone) {
            return new ResourceEventHandler<>() {
                @Override
                public void onAdd(T obj) {
                    enqueue(keyOf.apply(obj));
                }

                @Override
                public void onUpdate(T before, T after) {
                    enqueue(keyOf.apply(after));
                }

                @Override
                public void onDelete(T obj, boolean finalStateUnknown) {
                    onGone.accept(obj);
                    enqueue(keyOf.apply(obj));
                }
            };
        }

        private void enqueue(JobKey key) {
            if (key != null) {
                queue.add(key);
            }
        }

        /** The job a pod or Service belongs to, from its {@code runai/job-name} label. */
        private static JobKey ownerKey(HasMetadata object) {
            Map<String, String> labels = object.getMetadata().getLabels();
            String job = labels == null ? null : labels.get(Labels.JOB_NAME);
            return job == null ? null : new JobKey(object.getMetadata().getNamespace(), job);
        }
    }

    private <T extends HasMetadata, L extends KubernetesResourceList<T>, R extends Resource<T>>
    FilterWatchListDeletable<T, L, R> scoped(MixedOperation<T, L, R> operation) {
        return settings.allNamespacesWatched() ? operation.inAnyNamespace() : operation.inNamespace(settings.namespace());
    }

    private static void joinAll(List<Thread> threads, Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        for (Thread t : threads) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                t.join(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
