package io.gpuq.scheduler.sim;

import io.gpuq.scheduler.engine.model.ClusterSnapshot;
import io.gpuq.scheduler.engine.model.CycleResult;
import io.gpuq.scheduler.engine.model.Department;
import io.gpuq.scheduler.engine.model.EvictionDecision;
import io.gpuq.scheduler.engine.model.PendingReason;
import io.gpuq.scheduler.engine.model.PlacementDecision;
import io.gpuq.scheduler.engine.model.Project;
import io.gpuq.scheduler.engine.model.QueueStatus;
import io.gpuq.scheduler.engine.model.RunningWorkload;
import io.gpuq.scheduler.engine.model.Workload;
import io.gpuq.scheduler.sim.scenario.Scenario;
import io.gpuq.scheduler.sim.scenario.WorkloadSpec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One run of a scenario in virtual time (DESIGN §7). Per cycle time t: completions due by t free their
 * resources, work submitted by t joins the queue, the engine decides, evictions and placements are
 * applied, and a snapshot is taken if t is an observe time.
 *
 * <p>Cycles in which nothing can change are skipped: after a cycle that decided nothing, the next one
 * that could decide something is the next arrival, completion or observe time, because the engine is
 * deterministic and its input has not changed. Any cycle that decided something is followed by the
 * next one, since the changed state may allow more.
 */
final class SimulationRun {
    static final int MAX_CYCLES = 200_000;
    private static final int LISTED = 5;

    private final Scenario scenario;
    private final ClusterModel model;
    private final CycleRunner engine;
    private final boolean skipIdleCycles;
    private final List<SimWorkload> workloads = new ArrayList<>();
    private final Map<String, SimWorkload> byName = new LinkedHashMap<>();
    private final List<SimWorkload> arrivals;
    private final CostMeter cost;
    private final List<SimEvent> events = new ArrayList<>();
    private final List<Observation> observations = new ArrayList<>();
    private int nextArrival;
    private CycleResult lastResult;

    SimulationRun(Scenario scenario, CycleRunner engine, boolean skipIdleCycles) {
        this.scenario = scenario;
        this.model = ClusterModel.of(scenario);
        this.engine = engine;
        this.skipIdleCycles = skipIdleCycles;
        this.cost = new CostMeter(model::node);
        AdmissionCheck admission = new AdmissionCheck(model);
        for (WorkloadSpec spec : scenario.workloads()) {
            SimWorkload w = new SimWorkload(spec, model.workload(spec.name()), admission.deny(spec).orElse(null));
            workloads.add(w);
            byName.put(spec.name(), w);
        }
        arrivals = new ArrayList<>(workloads);
        arrivals.sort(Comparator.comparingLong((SimWorkload w) -> w.spec.submitAt())
                .thenComparingLong(w -> w.model.order()));
    }

    SimulationResult run() {
        List<Long> observe = scenario.observeAt();
        long end = observe.isEmpty() ? -1 : observe.get(observe.size() - 1);
        int nextObserve = 0;
        int cycles = 0;
        boolean decided = true;
        long t = 0;
        while (true) {
            boolean changed = completeUpTo(t);
            changed |= submitUpTo(t);
            boolean observing = nextObserve < observe.size() && observe.get(nextObserve) == t;
            if (!skipIdleCycles || changed || decided || observing) {
                if (++cycles > MAX_CYCLES) {
                    throw new SimulationException(scenario.source() + ": stopped after " + MAX_CYCLES
                            + " scheduling cycles at t=" + t + " because decisions kept changing every cycle; "
                            + "add observeAt to end the run earlier");
                }
                lastResult = engine.cycle(snapshot(t));
                decided = apply(lastResult, t);
            }
            if (observing) {
                observations.add(observe(t));
                nextObserve++;
            }
            if (end >= 0 ? t >= end : drained()) {
                break;
            }
            long upcoming = nextEventTime(observe, nextObserve);
            if (!decided && upcoming == Long.MAX_VALUE) {
                throw neverDrains(t);
            }
            t = skipIdleCycles && !decided ? upcoming : t + scenario.cycleSeconds();
        }
        return result(t);
    }

    /** Frees the resources of everything whose duration ran out by {@code t}, in completion order. */
    private boolean completeUpTo(long t) {
        List<SimWorkload> done = workloads.stream().filter(w -> w.running() && w.completesAt() <= t)
                .sorted(Comparator.comparingLong(SimWorkload::completesAt).thenComparingLong(w -> w.model.order()))
                .toList();
        for (SimWorkload w : done) {
            long at = w.completesAt();
            cost.stop(w.name(), at);
            events.add(new SimEvent(at, SimEvent.Type.Completed, w.name(), EventDetails.completed(at - w.startedAt())));
            w.complete();
        }
        return !done.isEmpty();
    }

    private boolean submitUpTo(long t) {
        boolean any = false;
        while (nextArrival < arrivals.size() && arrivals.get(nextArrival).spec.submitAt() <= t) {
            SimWorkload w = arrivals.get(nextArrival++);
            w.submit(w.spec.submitAt());
            events.add(new SimEvent(w.spec.submitAt(), SimEvent.Type.Submitted, w.name(),
                    EventDetails.submitted(w.spec, w.admissionDenial != null)));
            any = true;
        }
        return any;
    }

    private ClusterSnapshot snapshot(long t) {
        List<Workload> pending = new ArrayList<>();
        List<RunningWorkload> running = new ArrayList<>();
        for (SimWorkload w : workloads) {
            if (w.schedulable()) {
                pending.add(w.model);
            } else if (w.running()) {
                running.add(new RunningWorkload(w.model, w.placement(), w.startedAt()));
            }
        }
        return new ClusterSnapshot(t, model.nodes(), model.departments(), model.projects(), pending, running);
    }

    /** Applies evictions before placements: evicted resources are free for this cycle's placements. */
    private boolean apply(CycleResult result, long t) {
        for (EvictionDecision e : result.evictions()) {
            SimWorkload w = known(e.workloadId(), "evicted");
            if (!w.running()) {
                throw new IllegalStateException("the engine evicted " + w.name() + " at t=" + t
                        + ", which is not running");
            }
            cost.stop(w.name(), t);
            w.evict(t);
            events.add(new SimEvent(t, SimEvent.Type.Evicted, w.name(), EventDetails.evicted(e)));
        }
        for (PlacementDecision p : result.placements()) {
            SimWorkload w = known(p.workloadId(), "placed");
            if (!w.schedulable() || p.pods().isEmpty()) {
                throw new IllegalStateException("the engine placed " + w.name() + " at t=" + t
                        + ", which is not pending or has no pods in the decision");
            }
            w.start(p.pods(), t);
            cost.start(w.name(), w.spec.project(), w.placement(), t);
            events.add(new SimEvent(t, SimEvent.Type.Started, w.name(), EventDetails.started(w.placement())));
        }
        for (SimWorkload w : workloads) {
            if (w.schedulable()) {
                w.setReason(result.pendingReasons().get(w.name()));
            }
        }
        return !result.evictions().isEmpty() || !result.placements().isEmpty();
    }

    private SimWorkload known(String id, String what) {
        SimWorkload w = byName.get(id);
        if (w == null) {
            throw new IllegalStateException("the engine " + what + " unknown workload " + id);
        }
        return w;
    }

    private Observation observe(long t) {
        Map<String, QueueStatus> projects = new LinkedHashMap<>();
        for (Project p : model.projects()) {
            QueueStatus s = lastResult.projects().get(p.name());
            if (s != null) {
                projects.put(p.name(), s);
            }
        }
        Map<String, QueueStatus> departments = new LinkedHashMap<>();
        for (Department d : model.departments()) {
            QueueStatus s = lastResult.departments().get(d.name());
            if (s != null) {
                departments.put(d.name(), s);
            }
        }
        Map<String, WorkloadView> views = new LinkedHashMap<>();
        for (SimWorkload w : workloads) {
            if (w.submitted()) {
                views.put(w.name(), new WorkloadView(w.state(), w.placement()));
            }
        }
        return new Observation(t, projects, departments, views);
    }

    private boolean drained() {
        return nextArrival == arrivals.size() && workloads.stream().noneMatch(w -> w.pending() || w.running());
    }

    /** The next cycle time at which an arrival, a completion or an observation happens. */
    private long nextEventTime(List<Long> observe, int nextObserve) {
        long next = Long.MAX_VALUE;
        if (nextArrival < arrivals.size()) {
            next = cycleAtOrAfter(arrivals.get(nextArrival).spec.submitAt());
        }
        for (SimWorkload w : workloads) {
            if (w.running() && w.completesAt() != Long.MAX_VALUE) {
                next = Math.min(next, cycleAtOrAfter(w.completesAt()));
            }
        }
        if (nextObserve < observe.size()) {
            next = Math.min(next, observe.get(nextObserve));
        }
        return next;
    }

    private long cycleAtOrAfter(long time) {
        long c = scenario.cycleSeconds();
        return (time + c - 1) / c * c;
    }

    private SimulationException neverDrains(long t) {
        List<SimWorkload> pending = workloads.stream().filter(SimWorkload::pending).toList();
        List<SimWorkload> forever = workloads.stream().filter(SimWorkload::running).toList();
        StringBuilder sb = new StringBuilder(scenario.source()).append(": the run never drains: at t=").append(t)
                .append(" nothing more can change, but");
        if (!pending.isEmpty()) {
            sb.append(' ').append(pending.size()).append(" workload(s) stay pending (")
                    .append(pending.stream().limit(LISTED).map(w -> w.name() + ": " + reasonText(w.reason()))
                            .collect(Collectors.joining("; ")))
                    .append(pending.size() > LISTED ? "; …)" : ")");
        }
        if (!forever.isEmpty()) {
            sb.append(pending.isEmpty() ? " " : " and ").append(forever.size())
                    .append(" run without durationSeconds (")
                    .append(forever.stream().limit(LISTED).map(SimWorkload::name).collect(Collectors.joining(", ")))
                    .append(forever.size() > LISTED ? ", …)" : ")");
        }
        return new SimulationException(sb.append("; add observeAt to end the run at a chosen time").toString());
    }

    private SimulationResult result(long endTime) {
        cost.stopAll(endTime);
        List<WorkloadOutcome> outcomes = new ArrayList<>();
        for (SimWorkload w : workloads) {
            if (!w.submitted()) {
                continue;
            }
            outcomes.add(new WorkloadOutcome(w.name(), w.spec.project(), w.state(), w.spec.submitAt(),
                    w.startedAt() < 0 ? null : w.startedAt(), w.waitSeconds(endTime), w.evictions(),
                    w.pending() ? reasonText(w.reason()) : null, w.placement()));
        }
        List<SimEvent> ordered = new ArrayList<>(events);
        ordered.sort(Comparator.comparingLong(SimEvent::time));
        List<String> projectNames = model.projects().stream().map(Project::name).toList();
        return new SimulationResult(observations, outcomes, ordered,
                cost.costs(projectNames, new PriceTable(scenario.prices())));
    }

    private static String reasonText(PendingReason r) {
        return r == null ? null : r.reason() + ": " + r.message();
    }
}
