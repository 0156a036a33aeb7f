package io.gpuq.scheduler.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpuq.scheduler.cycle.CycleObserver;
import io.gpuq.scheduler.cycle.CycleReport;
import io.gpuq.scheduler.engine.SchedulingEngine;
import io.gpuq.scheduler.engine.model.CycleResult;
import io.gpuq.scheduler.engine.model.DeviceShare;
import io.gpuq.scheduler.engine.model.EvictionDecision;
import io.gpuq.scheduler.engine.model.PlacementDecision;
import io.gpuq.scheduler.engine.model.PodAllocation;
import io.gpuq.scheduler.engine.model.RunningWorkload;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The scheduling cycle, on one thread: every period, and at once when new work arrives, it takes a
 * snapshot from the informers and the assumed placements, runs the engine, and hands the decisions
 * to the evictor, the assume cache and binder, the reservation manager and the status reporter.
 * Only the leader decides; a standby keeps its caches warm and does nothing else.
 */
final class SchedulerLoop implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SchedulerLoop.class.getName());

    private final ClusterInformers informers;
    private final SnapshotAssembler assembler;
    private final SchedulingEngine engine;
    private final AssumeCache cache;
    private final Binder binder;
    private final Evictor evictor;
    private final ReservationManager reservations;
    private final StatusReporter status;
    private final List<CycleObserver> observers;
    private final InstantSource clock;
    private final Duration period;
    private final Duration bindTimeout;
    private final BooleanSupplier leader;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "scheduler-cycle");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean triggered = new AtomicBoolean();
    private volatile CycleReport last;

    SchedulerLoop(ClusterInformers informers, SnapshotAssembler assembler, SchedulingEngine engine, AssumeCache cache,
                  Binder binder, Evictor evictor, ReservationManager reservations, StatusReporter status,
                  List<CycleObserver> observers, InstantSource clock, Duration period, Duration bindTimeout,
                  BooleanSupplier leader) {
        this.informers = informers;
        this.assembler = assembler;
        this.engine = engine;
        this.cache = cache;
        this.binder = binder;
        this.evictor = evictor;
        this.reservations = reservations;
        this.status = status;
        this.observers = List.copyOf(observers);
        this.clock = clock;
        this.period = period;
        this.bindTimeout = bindTimeout;
        this.leader = leader;
    }

    void start() {
        thread.scheduleWithFixedDelay(this::safeCycle, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Asks for a cycle now; requests that arrive while one is queued are merged. */
    void trigger() {
        if (triggered.compareAndSet(false, true)) {
            thread.execute(() -> {
                triggered.set(false);
                safeCycle();
            });
        }
    }

    CycleReport lastReport() {
        return last;
    }

    private void safeCycle() {
        try {
            runCycle();
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "scheduling cycle failed; the next one starts from a fresh snapshot", e);
        }
    }

    /** One cycle; returns null when this instance is not the leader or the caches are not synced. */
    CycleReport runCycle() {
        if (!leader.getAsBoolean() || !informers.synced()) {
            return null;
        }
        long started = System.nanoTime();
        Instant at = clock.instant();
        long now = at.toEpochMilli();
        ClusterContents contents = informers.contents();
        Set<String> present = confirmAssumptions(contents);
        SnapshotView view = assembler.assemble(contents, cache.all(), now);
        CycleResult result = engine.cycle(view.snapshot());

        Map<String, Set<String>> evictedByNode = new HashMap<>();
        Set<String> evictedWorkloads = new HashSet<>();
        for (EvictionDecision e : result.evictions()) {
            List<PodFacts> pods = view.members().getOrDefault(e.workloadId(), List.of());
            evictedWorkloads.add(e.workloadId());
            for (RunningWorkload rw : view.snapshot().running()) {
                if (rw.workload().id().equals(e.workloadId())) {
                    for (PodAllocation a : rw.allocations()) {
                        // By uid: a controller may create the evicted pod again under the same name at once.
                        PodFacts victim = view.pods().get(a.pod());
                        if (victim != null) {
                            evictedByNode.computeIfAbsent(a.node(), k -> new HashSet<>()).add(victim.uid());
                        }
                    }
                }
            }
            evictor.evict(e, pods);
        }
        long deadline = now + bindTimeout.toMillis();
        for (PlacementDecision p : result.placements()) {
            for (PodAllocation a : p.pods()) {
                PodFacts f = view.pods().get(a.pod());
                if (f == null) {
                    continue;
                }
                Set<String> waitFor = evictedByNode.getOrDefault(a.node(), Set.of());
                cache.assume(new Assumption(a.pod(), f.uid(), p.workloadId(), a, waitFor, deadline,
                        Assumption.State.WAITING));
            }
            LOG.fine(() -> "placed " + p.workloadId() + ": " + Binder.describe(p.pods()));
        }
        reservations.reconcile(sharedDevices(view, result, evictedWorkloads), view.reservations(), now);
        binder.dispatch(present, device -> Optional.ofNullable(view.reservations().get(device))
                .filter(r -> !r.terminating()).map(SnapshotView.ReservationPod::uuid), now);
        status.report(view, result, informers::pod, contents.projects());

        CycleReport report = new CycleReport(at, view.snapshot(), result, Duration.ofNanos(System.nanoTime() - started));
        last = report;
        for (CycleObserver o : observers) {
            try {
                o.cycleCompleted(report);
            } catch (RuntimeException ex) {
                LOG.log(Level.WARNING, "cycle observer " + o.getClass().getSimpleName() + " failed", ex);
            }
        }
        if (!result.placements().isEmpty() || !result.evictions().isEmpty()) {
            LOG.info(() -> "cycle at " + at + ": " + result.placements().size() + " placements, "
                    + result.evictions().size() + " evictions, " + result.pendingReasons().size() + " pending, "
                    + report.took().toMillis() + " ms");
        }
        return report;
    }

    /**
     * Drops assumptions the informers have caught up with (the pod shows bound) or that lost their
     * pod (deleted, or replaced by one with a new uid). Returns the keys of all existing pods.
     */
    private Set<String> confirmAssumptions(ClusterContents contents) {
        Map<String, Pod> byKey = new HashMap<>();
        for (Pod p : contents.pods()) {
            byKey.put(p.getMetadata().getNamespace() + "/" + p.getMetadata().getName(), p);
        }
        Set<String> uids = new HashSet<>();
        for (Pod p : byKey.values()) {
            uids.add(p.getMetadata().getUid());
        }
        for (Assumption a : cache.all()) {
            Pod p = byKey.get(a.podKey());
            if (p == null || !a.podUid().equals(p.getMetadata().getUid())) {
                cache.forget(a.podKey());
            } else if (p.getSpec().getNodeName() != null && !p.getSpec().getNodeName().isEmpty()
                    && a.state() != Assumption.State.WAITING) {
                cache.forget(a.podKey());
            }
        }
        return uids;
    }

    /** Devices that host fractions after this cycle: running ones not evicted, plus new placements. */
    private static Set<SnapshotView.DeviceRef> sharedDevices(SnapshotView view, CycleResult result,
                                                             Set<String> evictedWorkloads) {
        Set<SnapshotView.DeviceRef> out = new HashSet<>();
        for (RunningWorkload rw : view.snapshot().running()) {
            if (!evictedWorkloads.contains(rw.workload().id())) {
                for (PodAllocation a : rw.allocations()) {
                    addShared(out, a);
                }
            }
        }
        for (PlacementDecision p : result.placements()) {
            for (PodAllocation a : p.pods()) {
                addShared(out, a);
            }
        }
        return out;
    }

    private static void addShared(Set<SnapshotView.DeviceRef> out, PodAllocation a) {
        for (DeviceShare d : a.devices()) {
            if (!d.isWhole()) {
                out.add(new SnapshotView.DeviceRef(a.node(), d.index()));
            }
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
