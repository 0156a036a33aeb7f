package io.gpuq.scheduler.engine;

import io.gpuq.scheduler.engine.model.ClusterSnapshot;
import io.gpuq.scheduler.engine.model.CycleResult;
import io.gpuq.scheduler.engine.model.EvictionDecision;
import io.gpuq.scheduler.engine.model.GpuDemand;
import io.gpuq.scheduler.engine.model.GpuNode;
import io.gpuq.scheduler.engine.model.PendingReason;
import io.gpuq.scheduler.engine.model.PlacementDecision;
import io.gpuq.scheduler.engine.model.PodAllocation;
import io.gpuq.scheduler.engine.model.PodRequest;
import io.gpuq.scheduler.engine.model.PoolShare;
import io.gpuq.scheduler.engine.model.Project;
import io.gpuq.scheduler.engine.model.QueueStatus;
import io.gpuq.scheduler.engine.model.RunningWorkload;
import io.gpuq.scheduler.engine.model.Workload;
import io.gpuq.scheduler.engine.placement.NodeJournal;
import io.gpuq.scheduler.engine.placement.NodeState;
import io.gpuq.scheduler.engine.placement.PlacementPolicies;
import io.gpuq.scheduler.engine.placement.PlacementPolicy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** One cycle: build the state, divide fair shares, allocate in queue order, reclaim, preempt, report. */
final class CycleRun {
    /** Within a queue: higher pod priority first, then earlier submission, then creation order. */
    private static final Comparator<Job> JOB_ORDER = Comparator
            .comparingInt((Job j) -> -j.workload.priority())
            .thenComparingLong(j -> j.workload.submitTime())
            .thenComparingLong(j -> j.workload.order());

    private final ClusterSnapshot snapshot;
    private final EngineSettings settings;
    private final Map<String, Long> poolCapacity = new TreeMap<>();
    private final Map<String, Long> poolDeviceMemory = new HashMap<>();
    private final List<PlacementDecision> placements = new ArrayList<>();
    private final List<EvictionDecision> evictions = new ArrayList<>();
    private final Map<String, PendingReason> reasons = new LinkedHashMap<>();
    private final List<Job> jobs = new ArrayList<>();
    private CycleState state;
    private VictimSearch victims;
    private boolean rememberFailedSearches = true;
    private boolean searchTrials = true;

    CycleRun(ClusterSnapshot snapshot, EngineSettings settings) {
        this.snapshot = snapshot;
        this.settings = settings;
    }

    /** Runs every victim search in full: the decisions must be the same as with failures remembered. */
    CycleRun withoutSearchMemory() {
        rememberFailedSearches = false;
        return this;
    }

    /**
     * Runs every victim search step by step, evicting tentatively and placing the job after each
     * victim, never as a trial on the nodes alone: the decisions must be the same as with trials.
     */
    CycleRun withStepByStepSearches() {
        searchTrials = false;
        return this;
    }

    /** After {@link #run}: how many victim searches ran as trials. */
    int searchTrialsRun() {
        return victims.trialsRun();
    }

    /** After {@link #run}: how many victim searches a remembered failure answered. */
    int searchesAnsweredFromMemory() {
        return victims.answeredFromMemory();
    }

    CycleResult run() {
        // One node state per name (the last one listed wins), with ids in the order names first appear.
        Map<String, GpuNode> byName = new LinkedHashMap<>();
        for (GpuNode n : snapshot.nodes()) {
            byName.put(n.name(), n);
            if (n.ready() && !n.unschedulable()) {
                poolCapacity.merge(n.pool(), (long) n.gpuCount() * GpuDemand.MILLI, Long::sum);
                poolDeviceMemory.merge(n.pool(), n.gpuMemoryMiB(), Math::max);
            }
        }
        NodeJournal journal = new NodeJournal(byName.size());
        Map<String, NodeState> nodes = new LinkedHashMap<>();
        for (GpuNode n : byName.values()) {
            nodes.put(n.name(), new NodeState(n, journal, nodes.size()));
        }
        QueueBook book = new QueueBook(snapshot.departments(), snapshot.projects(), poolCapacity);
        for (Project p : snapshot.projects()) {
            for (String pool : p.deservedByPool().keySet()) {
                poolCapacity.putIfAbsent(pool, 0L);
            }
        }
        List<PodRequest> demandSample = new ArrayList<>();
        for (Workload w : snapshot.pending()) {
            demandSample.addAll(w.pods());
        }
        for (RunningWorkload r : snapshot.running()) {
            demandSample.addAll(r.workload().pods());
        }
        PlacementPolicy policy = PlacementPolicies.create(settings.placementPolicy(), demandSample);
        state = new CycleState(nodes, journal, book, policy);
        victims = new VictimSearch(state, rememberFailedSearches, searchTrials);

        for (RunningWorkload r : snapshot.running()) {
            addRunning(r, nodes);
        }
        for (Workload w : snapshot.pending()) {
            Job job = prepare(w, book);
            jobs.add(job);
            if (job.invalid == null) {
                for (String pool : job.pools) {
                    book.addRequest(w.project(), pool, job.milli);
                }
            }
        }
        book.computeFairShares(poolCapacity);
        allocate(book);
        return result(book);
    }

    private void addRunning(RunningWorkload r, Map<String, NodeState> nodes) {
        String pool = null;
        long milli = 0;
        for (PodAllocation a : r.allocations()) {
            NodeState n = nodes.get(a.node());
            if (n == null) {
                continue;
            }
            if (pool == null) {
                pool = n.node().pool();
            }
            milli += a.gpuMilli();
        }
        if (pool == null) {
            pool = r.workload().nodePool() != null ? r.workload().nodePool() : GpuNode.DEFAULT_POOL;
        }
        state.addRunning(new RunningEntry(r, pool, milli, false));
        state.book.addRequest(r.workload().project(), pool, milli);
    }

    private Job prepare(Workload w, QueueBook book) {
        QueueAccount project = book.project(w.project());
        Project spec = book.projectSpec(w.project());
        if (project == null || spec == null) {
            return new Job(w, null, List.of(), 0, new PendingReason(PendingReason.Code.INVALID,
                    "project \"" + w.project() + "\" does not exist; create a Project for it"));
        }
        List<String> pools = new ArrayList<>();
        if (w.nodePool() != null) {
            if (!spec.canUse(w.nodePool())) {
                return new Job(w, project, List.of(), 0, new PendingReason(PendingReason.Code.INVALID,
                        "project " + w.project() + " may not use node pool \"" + w.nodePool()
                                + "\"; its pools are " + new java.util.TreeSet<>(spec.deservedByPool().keySet())));
            }
            pools.add(w.nodePool());
        } else {
            pools.addAll(new java.util.TreeSet<>(spec.deservedByPool().keySet()));
        }
        long refMemory = 0;
        for (String p : pools) {
            refMemory = Math.max(refMemory, poolDeviceMemory.getOrDefault(p, 0L));
        }
        long milli = 0;
        for (PodRequest pod : w.pods()) {
            long m = pod.gpu().totalMilliOn(refMemory);
            if (pod.gpu().kind() == GpuDemand.Kind.MEMORY && m > (long) GpuDemand.MILLI * pod.gpu().devices()) {
                m = (long) GpuDemand.MILLI * pod.gpu().devices();
            }
            milli += m;
        }
        return new Job(w, project, pools, milli, null);
    }

    private void allocate(QueueBook book) {
        Map<QueueAccount, Deque<Job>> queues = new LinkedHashMap<>();
        Map<QueueAccount, List<Job>> grouped = new LinkedHashMap<>();
        for (Job j : jobs) {
            if (j.invalid != null) {
                reasons.put(j.id(), j.invalid);
                continue;
            }
            grouped.computeIfAbsent(j.project, k -> new ArrayList<>()).add(j);
        }
        for (Map.Entry<QueueAccount, List<Job>> e : grouped.entrySet()) {
            e.getValue().sort(JOB_ORDER);
            queues.put(e.getKey(), new ArrayDeque<>(e.getValue()));
        }
        while (!queues.isEmpty()) {
            QueueAccount next = null;
            for (QueueAccount q : queues.keySet()) {
                if (next == null || queueOrder(q, next) < 0) {
                    next = q;
                }
            }
            Deque<Job> dq = queues.get(next);
            Job job = dq.pollFirst();
            if (dq.isEmpty()) {
                queues.remove(next);
            }
            attempt(job);
        }
    }

    /** Queue order: departments then projects; below deserved first, then least saturated, priority, age. */
    private static int queueOrder(QueueAccount a, QueueAccount b) {
        if (a.parent != b.parent) {
            int c = compareQueues(a.parent, b.parent);
            if (c != 0) {
                return c;
            }
        }
        return compareQueues(a, b);
    }

    private static int compareQueues(QueueAccount a, QueueAccount b) {
        boolean aBelow = a.allocatedTotal() < a.deservedTotal();
        boolean bBelow = b.allocatedTotal() < b.deservedTotal();
        if (aBelow != bBelow) {
            return aBelow ? -1 : 1;
        }
        int c = Double.compare(ratio(a), ratio(b));
        if (c != 0) {
            return c;
        }
        c = Integer.compare(b.priority, a.priority);
        if (c != 0) {
            return c;
        }
        return Long.compare(a.order, b.order);
    }

    private static double ratio(QueueAccount q) {
        long fs = q.fairShareTotal();
        long a = q.allocatedTotal();
        if (fs <= 0) {
            return a > 0 ? Double.MAX_VALUE : 0;
        }
        return a / (double) fs;
    }

    private void attempt(Job job) {
        QueueAccount p = job.project;
        QueueAccount d = p.parent;
        long m = job.milli;
        if (p.max >= 0 && p.allocatedTotal() + m > p.max) {
            reasons.put(job.id(), new PendingReason(PendingReason.Code.PROJECT_LIMIT, String.format(
                    "project %s would exceed its maxGpus: allocated %s + requested %s > limit %s",
                    p.name, gpus(p.allocatedTotal()), gpus(m), gpus(p.max))));
            return;
        }
        if (d.max >= 0 && d.allocatedTotal() + m > d.max) {
            reasons.put(job.id(), new PendingReason(PendingReason.Code.DEPARTMENT_CEILING, String.format(
                    "department %s is at its ceiling: allocated %s + requested %s > maxGpus %s",
                    d.name, gpus(d.allocatedTotal()), gpus(m), gpus(d.max))));
            return;
        }
        if (!job.preemptible()) {
            Set<String> pools = Set.copyOf(job.pools);
            if (p.allocatedNonPreemptible + m > p.deservedIn(pools)) {
                reasons.put(job.id(), new PendingReason(PendingReason.Code.NON_PREEMPTIBLE_OVER_DESERVED,
                        String.format("non-preemptible work of project %s may only use its deserved quota: "
                                        + "non-preemptible allocated %s + requested %s > deserved %s",
                                p.name, gpus(p.allocatedNonPreemptible), gpus(m), gpus(p.deservedIn(pools)))));
                return;
            }
            if (d.allocatedNonPreemptible + m > d.deservedIn(pools)) {
                reasons.put(job.id(), new PendingReason(PendingReason.Code.NON_PREEMPTIBLE_OVER_DESERVED,
                        String.format("non-preemptible work of department %s may only use its deserved quota: "
                                        + "non-preemptible allocated %s + requested %s > deserved %s",
                                d.name, gpus(d.allocatedNonPreemptible), gpus(m), gpus(d.deservedIn(pools)))));
                return;
            }
        }
        int bestPlaced = 0;
        boolean anyCandidates = false;
        for (String pool : job.pools) {
            CycleState.GangAttempt a = state.placeGang(job, pool, true);
            if (a.success()) {
                commit(job, pool, a.allocations(), List.of());
                return;
            }
            anyCandidates |= !a.noCandidates();
            bestPlaced = Math.max(bestPlaced, a.placedPods());
        }
        if (settings.reclaimEnabled()) {
            for (String pool : job.pools) {
                Set<String> ps = Set.of(pool);
                if (p.allocatedIn(ps) + m <= p.fairShareIn(ps)) {
                    VictimSearch.Outcome o = victims.reclaim(job, pool);
                    if (o != null) {
                        commit(job, pool, o.allocations(), o.victims());
                        return;
                    }
                }
            }
        }
        if (settings.preemptionEnabled()) {
            for (String pool : job.pools) {
                VictimSearch.Outcome o = victims.preempt(job, pool);
                if (o != null) {
                    commit(job, pool, o.allocations(), o.victims());
                    return;
                }
            }
        }
        reasons.put(job.id(), classify(job, anyCandidates, bestPlaced));
    }

    private PendingReason classify(Job job, boolean anyCandidates, int bestPlaced) {
        QueueAccount p = job.project;
        Set<String> pools = Set.copyOf(job.pools);
        if (!anyCandidates) {
            return new PendingReason(PendingReason.Code.NO_MATCHING_NODE, "no ready, schedulable node in pool(s) "
                    + job.pools + " matches the workload's node selector, affinity and tolerations");
        }
        int min = job.workload.minMember();
        if (job.workload.isGang() && bestPlaced > 0) {
            return new PendingReason(PendingReason.Code.GANG_INCOMPLETE, String.format(
                    "gang waiting for %d pods: only %d of %d can be placed at once", min, bestPlaced, min));
        }
        long free = 0;
        for (String pool : job.pools) {
            free += state.freeIn(pool);
        }
        if (p.allocatedIn(pools) + job.milli > p.fairShareIn(pools)) {
            return new PendingReason(PendingReason.Code.OVER_QUOTA, String.format(
                    "over quota: project %s has %s GPUs allocated of a fair share of %s and cannot reclaim more; "
                            + "waiting for idle GPUs (%s free, %s requested)",
                    p.name, gpus(p.allocatedIn(pools)), gpus(p.fairShareIn(pools)), gpus(free), gpus(job.milli)));
        }
        if (free >= job.milli) {
            return new PendingReason(PendingReason.Code.FRAGMENTATION, String.format(
                    "%s GPUs are free in pool(s) %s but no node has room for the workload's shape (%s requested)",
                    gpus(free), job.pools, gpus(job.milli)));
        }
        if (job.workload.isGang()) {
            return new PendingReason(PendingReason.Code.GANG_INCOMPLETE, String.format(
                    "gang waiting for %d pods: %s GPUs free in pool(s) %s, %s requested",
                    min, gpus(free), job.pools, gpus(job.milli)));
        }
        return new PendingReason(PendingReason.Code.NO_ROOM_IN_POOL, String.format(
                "no room in pool(s) %s: %s GPUs free, %s requested, and no lower-priority or over-quota work "
                        + "may be evicted for it", job.pools, gpus(free), gpus(job.milli)));
    }

    private void commit(Job job, String pool, List<PodAllocation> allocations, List<RunningEntry> victimList) {
        for (RunningEntry v : victimList) {
            EvictionDecision.Kind kind = VictimSearch.kindOf(job, v);
            String why = kind == EvictionDecision.Kind.RECLAIM
                    ? String.format("reclaimed by %s/%s: project %s is above its deserved quota in pool %s",
                    job.project.name, job.id(), v.workload().project(), pool)
                    : String.format("preempted by %s (priority %d > %d) in project %s",
                    job.id(), job.workload.priority(), v.workload().priority(), job.project.name);
            evictions.add(new EvictionDecision(v.id(), v.workload().project(), kind, job.id(), job.project.name, why));
            reasons.put(v.id(), new PendingReason(PendingReason.Code.OVER_QUOTA, "evicted: " + why));
        }
        state.commit(job, pool, allocations, victimList, snapshot.time());
        placements.add(new PlacementDecision(job.id(), allocations));
    }

    private CycleResult result(QueueBook book) {
        for (Job j : jobs) {
            if (reasons.containsKey(j.id()) && j.project != null) {
                j.project.pendingMilli += j.milli;
                j.project.pendingWorkloads++;
                j.project.parent.pendingMilli += j.milli;
                j.project.parent.pendingWorkloads++;
            }
        }
        for (RunningEntry e : state.running.values()) {
            if (e.evicted) {
                QueueAccount p = book.project(e.workload().project());
                if (p != null) {
                    p.pendingMilli += e.milli;
                    p.pendingWorkloads++;
                    p.parent.pendingMilli += e.milli;
                    p.parent.pendingWorkloads++;
                }
            }
        }
        Map<String, QueueStatus> projects = new LinkedHashMap<>();
        for (QueueAccount p : book.projects()) {
            projects.put(p.name, status(p));
        }
        Map<String, QueueStatus> departments = new LinkedHashMap<>();
        for (QueueAccount d : book.departments()) {
            departments.put(d.name, status(d));
        }
        return new CycleResult(placements, evictions, projects, departments, reasons);
    }

    private static QueueStatus status(QueueAccount q) {
        Map<String, PoolShare> pools = new TreeMap<>();
        for (Map.Entry<String, QueueAccount.Pool> e : q.pools.entrySet()) {
            QueueAccount.Pool p = e.getValue();
            pools.put(e.getKey(), new PoolShare(g(p.deserved), g(p.fairShare), g(p.allocated)));
        }
        return new QueueStatus(q.name, g(q.deservedTotal()), g(q.fairShareTotal()), g(q.allocatedTotal()),
                g(q.allocatedNonPreemptible), g(q.pendingMilli), q.pendingWorkloads, pools);
    }

    private static double g(long milli) {
        return milli / (double) GpuDemand.MILLI;
    }

    private static String gpus(long milli) {
        if (milli % GpuDemand.MILLI == 0) {
            return Long.toString(milli / GpuDemand.MILLI);
        }
        return java.math.BigDecimal.valueOf(milli, 3).stripTrailingZeros().toPlainString();
    }
}
