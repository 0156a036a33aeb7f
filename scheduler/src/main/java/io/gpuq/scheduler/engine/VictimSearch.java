package io.gpuq.scheduler.engine;

import io.gpuq.scheduler.engine.model.EvictionDecision;
import io.gpuq.scheduler.engine.model.PodAllocation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the fewest running workloads whose eviction lets a pending job be placed: reclaim from other
 * queues, or preemption of lower-priority work in the job's own queue. See RECLAIM.md.
 */
final class VictimSearch {
    /** A successful search: where the job goes and whom it displaces. */
    record Outcome(List<PodAllocation> allocations, List<RunningEntry> victims) {
    }

    /** Inside a queue: lowest priority first, then the newest. */
    static final Comparator<RunningEntry> VICTIM_ORDER = Comparator
            .comparingInt((RunningEntry e) -> e.workload().priority())
            .thenComparing(Comparator.comparingLong((RunningEntry e) -> e.workload().submitTime()).reversed())
            .thenComparing(Comparator.comparingLong((RunningEntry e) -> e.workload().order()).reversed());

    private final CycleState state;

    VictimSearch(CycleState state) {
        this.state = state;
    }

    /** Reclaim for {@code job} in {@code pool} from other projects; null when not possible. */
    Outcome reclaim(Job job, String pool) {
        QueueAccount reclaimer = job.project;
        Set<String> nodeNames = state.candidateNodeNames(job, pool);
        Map<QueueAccount, List<RunningEntry>> byQueue = new LinkedHashMap<>();
        for (RunningEntry e : state.running.values()) {
            if (e.evicted || e.placedThisCycle || !e.workload().preemptible() || !pool.equals(e.pool)) {
                continue;
            }
            if (e.workload().project().equals(reclaimer.name) || !touches(e, nodeNames)) {
                continue;
            }
            QueueAccount q = state.book.project(e.workload().project());
            if (q == null) {
                continue;
            }
            byQueue.computeIfAbsent(q, k -> new ArrayList<>()).add(e);
        }
        if (byQueue.isEmpty()) {
            return null;
        }
        Set<String> pools = Set.of(pool);
        List<QueueAccount> queues = new ArrayList<>(byQueue.keySet());
        queues.sort(victimQueueOrder(pools));
        List<RunningEntry> taken = new ArrayList<>();
        for (QueueAccount q : queues) {
            List<RunningEntry> victims = byQueue.get(q);
            victims.sort(VICTIM_ORDER);
            for (RunningEntry v : victims) {
                if (!mayReclaim(reclaimer, q, pool, job.milli)) {
                    break;
                }
                state.take(v);
                taken.add(v);
                CycleState.GangAttempt attempt = state.placeGang(job, pool, false);
                if (attempt.success()) {
                    return minimise(job, pool, taken, attempt.allocations());
                }
            }
        }
        restoreAll(taken);
        return null;
    }

    /** Preempt strictly lower-priority preemptible work of the job's own project; null when not possible. */
    Outcome preempt(Job job, String pool) {
        Set<String> nodeNames = state.candidateNodeNames(job, pool);
        List<RunningEntry> victims = new ArrayList<>();
        for (RunningEntry e : state.running.values()) {
            if (e.evicted || e.placedThisCycle || !e.workload().preemptible() || !pool.equals(e.pool)) {
                continue;
            }
            if (!e.workload().project().equals(job.project.name)
                    || e.workload().priority() >= job.workload.priority() || !touches(e, nodeNames)) {
                continue;
            }
            victims.add(e);
        }
        victims.sort(VICTIM_ORDER);
        List<RunningEntry> taken = new ArrayList<>();
        for (RunningEntry v : victims) {
            state.take(v);
            taken.add(v);
            CycleState.GangAttempt attempt = state.placeGang(job, pool, false);
            if (attempt.success()) {
                return minimise(job, pool, taken, attempt.allocations());
            }
        }
        restoreAll(taken);
        return null;
    }

    /**
     * The KAI reclaim rule, checked before each victim unit, at the level where the two queues' paths
     * part (projects of one department, otherwise their departments).
     */
    boolean mayReclaim(QueueAccount reclaimer, QueueAccount victim, String pool, long jobMilli) {
        Set<String> pools = Set.of(pool);
        if (victim.allocatedIn(pools) <= victim.deservedIn(pools)) {
            return false;
        }
        QueueAccount rs = reclaimer;
        QueueAccount vs = victim;
        if (reclaimer.parent != victim.parent) {
            rs = reclaimer.parent;
            vs = victim.parent;
            long after = rs.allocatedIn(pools) + jobMilli;
            long fs = rs.fairShareIn(pools);
            if (after > fs) {
                double mine = fs <= 0 ? Double.MAX_VALUE : after / (double) fs;
                if (!(mine < vs.saturation(pools))) {
                    return false;
                }
            }
        }
        long va = vs.allocatedIn(pools);
        long vd = vs.deservedIn(pools);
        long vf = vs.fairShareIn(pools);
        if (va > Math.max(vd, vf)) {
            return true;
        }
        return va > vd && rs.allocatedIn(pools) + jobMilli <= rs.deservedIn(pools);
    }

    /** Victim queues: most over fair share first, then above deserved, lower priority, saturation, newer. */
    private static Comparator<QueueAccount> victimQueueOrder(Set<String> pools) {
        return Comparator
                .comparingLong((QueueAccount q) -> q.allocatedIn(pools) - q.fairShareIn(pools)).reversed()
                .thenComparing((QueueAccount q) -> q.allocatedIn(pools) > q.deservedIn(pools) ? 0 : 1)
                .thenComparingInt(q -> q.priority)
                .thenComparing(Comparator.comparingDouble((QueueAccount q) -> q.saturation(pools)).reversed())
                .thenComparing(Comparator.comparingLong((QueueAccount q) -> q.order).reversed());
    }

    /** Keeps every victim whose eviction the placement does not need, trying the most valuable first. */
    private Outcome minimise(Job job, String pool, List<RunningEntry> taken, List<PodAllocation> placement) {
        List<RunningEntry> victims = new ArrayList<>(taken);
        List<PodAllocation> current = placement;
        for (int i = victims.size() - 1; i >= 0 && victims.size() > 1; i--) {
            RunningEntry v = victims.get(i);
            state.undoPlacement(current);
            state.restore(v);
            CycleState.GangAttempt without = state.placeGang(job, pool, false);
            if (without.success()) {
                victims.remove(i);
                current = without.allocations();
                continue;
            }
            state.take(v);
            CycleState.GangAttempt again = state.placeGang(job, pool, false);
            if (!again.success()) {
                restoreAll(victims);
                return null;
            }
            current = again.allocations();
        }
        return new Outcome(current, victims);
    }

    private void restoreAll(List<RunningEntry> taken) {
        for (int i = taken.size() - 1; i >= 0; i--) {
            state.restore(taken.get(i));
        }
    }

    private static boolean touches(RunningEntry e, Set<String> nodeNames) {
        for (PodAllocation a : e.running.allocations()) {
            if (nodeNames.contains(a.node())) {
                return true;
            }
        }
        return false;
    }

    static EvictionDecision.Kind kindOf(Job job, RunningEntry victim) {
        return victim.workload().project().equals(job.project.name)
                ? EvictionDecision.Kind.PREEMPT : EvictionDecision.Kind.RECLAIM;
    }
}
