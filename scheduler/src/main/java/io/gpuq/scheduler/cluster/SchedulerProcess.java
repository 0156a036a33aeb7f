package io.gpuq.scheduler.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.gpuq.scheduler.cycle.CycleObserver;
import io.gpuq.scheduler.cycle.CycleReport;
import io.gpuq.scheduler.engine.EngineSettings;
import io.gpuq.scheduler.engine.SchedulingEngine;

import java.net.InetAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * The in-cluster scheduler: informers, the cycle loop with binder, evictor, reservations and status
 * reporting, under leader election. What surrounds it (metrics, the HTTP port, the RunaiJob
 * controller) plugs in as {@link CycleObserver}s, a {@link WriteObserver} and {@link LeaderTask}s.
 */
public final class SchedulerProcess implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SchedulerProcess.class.getName());
    /**
     * How long one write may take before it counts as failed and is retried: a stalled connection must
     * not hold a bind or an eviction (and the placement waiting on it) for long.
     */
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);

    private final ClusterInformers informers;
    private final SchedulerLoop loop;
    private final LeaderElection election;
    private final EventRecorder events;
    private final ExecutorService writers;
    private final ExecutorService statusWriters;
    private final CompletableFuture<Void> synced;

    private SchedulerProcess(KubernetesClient client, SchedulerSettings settings, LeaderSettings leader,
                             List<CycleObserver> observers, WriteObserver writes, List<LeaderTask> leaderTasks,
                             InstantSource clock) {
        KubeWriter writer = new KubeWriter(client, new RateLimiter(settings.clientQps(), settings.clientBurst()),
                WRITE_TIMEOUT);
        this.writers = pool("scheduler-bind", settings.bindConcurrency(), Integer.MAX_VALUE);
        this.statusWriters = pool("scheduler-status", 2, 4096);
        // Events have their own budget, as kube-scheduler's event broadcaster does: explaining pending
        // pods must never slow binding down.
        KubeWriter eventWriter = new KubeWriter(client, new RateLimiter(settings.clientQps(), settings.clientBurst()),
                WRITE_TIMEOUT);
        this.events = new EventRecorder(eventWriter, settings.schedulerName(), leader.identity(),
                settings.pendingEventPeriod());
        AssumeCache cache = new AssumeCache();
        Duration backoff = Duration.ofMillis(200);
        Binder binder = new Binder(writer, cache, events, writes, writers, backoff);
        Evictor evictor = new Evictor(writer, events, writes, writers, backoff);
        ReservationManager reservations = new ReservationManager(writer, writers, settings);
        StatusReporter status = new StatusReporter(writer, events, statusWriters, settings.systemNamespace());
        SchedulerLoop[] loopRef = new SchedulerLoop[1];
        this.informers = new ClusterInformers(client, settings.systemNamespace(), settings.schedulerName(),
                () -> {
                    if (loopRef[0] != null) {
                        loopRef[0].trigger();
                    }
                });
        List<LeaderTask> tasks = new ArrayList<>(leaderTasks);
        this.election = new LeaderElection(client, leader, tasks);
        this.loop = new SchedulerLoop(informers, new SnapshotAssembler(settings.schedulerName()),
                new SchedulingEngine(EngineSettings.defaults().withPolicy(settings.placementPolicy())), cache, binder,
                evictor, reservations, status, observers, clock, settings.cyclePeriod(), settings.bindTimeout(),
                election::isLeader);
        loopRef[0] = loop;
        this.synced = informers.start();
        synced.thenRun(loop::trigger);
        election.start();
        loop.start();
        LOG.info(() -> "scheduler " + settings.schedulerName() + " (" + leader.identity() + ") started: cycle every "
                + settings.cyclePeriod().toMillis() + " ms, client " + settings.clientQps() + " QPS / burst "
                + settings.clientBurst() + ", " + settings.bindConcurrency() + " concurrent binds");
    }

    public static SchedulerProcess start(KubernetesClient client, SchedulerSettings settings, LeaderSettings leader,
                                         List<CycleObserver> observers, WriteObserver writes,
                                         List<LeaderTask> leaderTasks, InstantSource clock) {
        return new SchedulerProcess(client, settings, leader, observers, writes, leaderTasks, clock);
    }

    /** Ready once the caches have synced (a standby is ready too: it can take over at once). */
    public boolean ready() {
        return informers.synced();
    }

    public CompletableFuture<Void> synced() {
        return synced;
    }

    public boolean isLeader() {
        return election.isLeader();
    }

    /** The report of the last completed cycle, or null before the first. */
    public CycleReport lastReport() {
        return loop.lastReport();
    }

    /** Asks for a cycle now (it runs on the cycle thread). */
    public void trigger() {
        loop.trigger();
    }

    /** Identity for the lease: the pod name when running in a pod, else host name and a random suffix. */
    public static String defaultIdentity() {
        String pod = System.getenv("POD_NAME");
        if (pod != null && !pod.isBlank()) {
            return pod;
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "scheduler";
        }
        return host + "-" + Long.toHexString(Double.doubleToLongBits(Math.random())).substring(0, 6);
    }

    @Override
    public void close() {
        loop.close();
        election.close();
        informers.close();
        writers.shutdown();
        statusWriters.shutdown();
        try {
            if (!writers.awaitTermination(10, TimeUnit.SECONDS)) {
                writers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        statusWriters.shutdownNow();
        events.close();
        LOG.info("scheduler stopped");
    }

    private static ExecutorService pool(String name, int threads, int queue) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                queue == Integer.MAX_VALUE ? new LinkedBlockingQueue<>() : new LinkedBlockingQueue<>(queue), r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.DiscardPolicy());
    }
}
