package io.gpuq.scheduler.engine;

import io.gpuq.scheduler.engine.model.EvictionDecision;
import io.gpuq.scheduler.engine.model.PodAllocation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the fewest running workloads whose eviction lets a pending job be placed: reclaim from other
 * queues, or preemption of lower-priority work in the job's own queue. See RECLAIM.md.
 *
 * <p>A search takes victims one at a time until the job fits, then puts back every victim the job
 * does not need. On a large cluster that can mean hundreds of victims per search and thousands of
 * searches per cycle, so for jobs whose room {@link ShapeCapacity} can count, the search is first
 * run as a trial (see {@link Trial}) that only moves pods on a copy of the nodes and reads the count;
 * the queue accounts, failure memos and evictions are then updated as the step-by-step search would
 * have left them. {@code SearchOracleTest} holds the trials to the step-by-step search.
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
    /**
     * Counted searches that failed, by job shape and pool and what else the outcome depends on (the
     * job's GPU amount for reclaim, its priority for preemption). A cluster with thousands of pending
     * jobs that cannot get room otherwise repeats the same failing search for every one of them; a
     * remembered failure answers it as long as nothing happened since that could let it succeed (see
     * {@link #reclaimStillFails} and {@link #preemptionStillFails}).
     */
    private final Map<ReclaimKey, Failed> failedReclaims = new HashMap<>();
    private final Map<PreemptKey, Failed> failedPreemptions = new HashMap<>();

    private record ReclaimKey(String shape, long milli) {
    }

    private record PreemptKey(String shape, int priority) {
    }

    /**
     * A failed search: the cycle's commit count and the project's quiet commit count then (see
     * {@link CycleState#commit}), how far the eviction log had got (advanced as checks pass), and how
     * many of the job's pods the last placement of the search would have placed.
     */
    private static final class Failed {
        final int commits;
        final int quiet;
        int evictionsSeen;
        final int placeable;

        Failed(int commits, int quiet, int evictionsSeen, int placeable) {
            this.commits = commits;
            this.quiet = quiet;
            this.evictionsSeen = evictionsSeen;
            this.placeable = placeable;
        }
    }

    /** Whether failed searches are remembered; off only to check that remembering changes no decision. */
    private final boolean remember;
    /** Whether searches run as trials where they can; off only to check that trials change no decision. */
    private final boolean trials;
    private int answeredFromMemory;
    private int trialsRun;
    /** Scratch of {@link Trial}: what it took, kept between trials so each need not grow its own. */
    private Victims.Packed[] trialTakenFrom = new Victims.Packed[64];
    private int[] trialTakenAt = new int[64];
    private final Lowered lowered;

    VictimSearch(CycleState state, boolean remember, boolean trials) {
        this.state = state;
        this.remember = remember;
        this.trials = trials;
        this.lowered = new Lowered(state.book.accountCount());
    }

    /** How many searches this cycle were answered by a remembered failure. */
    int answeredFromMemory() {
        return answeredFromMemory;
    }

    /** How many searches this cycle ran as trials. */
    int trialsRun() {
        return trialsRun;
    }

    /** Reclaim for {@code job} in {@code pool} from other projects; null when not possible. */
    Outcome reclaim(Job job, String pool) {
        QueueAccount reclaimer = job.project;
        List<VictimQueue> found = new ArrayList<>();
        for (CycleState.VictimSource source : state.victimSources(job, pool)) {
            QueueAccount q = source.queue;
            // A project at or below its deserved quota is never a victim (see mayReclaim), and only
            // evicting its own work could change its allocation during this search: skip it unread.
            if (q == reclaimer || q.allocatedIn(pool) <= q.deservedIn(pool)) {
                continue;
            }
            Victims victims = state.victimsOf(source, job, pool);
            RunningEntry first = victims.firstAvailable();
            if (first != null) {
                found.add(VictimQueue.of(q, victims, first.seq, pool));
            }
        }
        if (found.isEmpty()) {
            return null;
        }
        // By victim queue order, then in the order their first victim runs: the order in which
        // grouping the running workloads one by one would list them.
        found.sort(VictimQueue.ORDER);
        Attempts attempts = new Attempts(job, pool);
        if (attempts.counted()) {
            ReclaimKey key = new ReclaimKey(job.memoKey(pool), job.milli);
            Failed failed = remember ? failedReclaims.get(key) : null;
            if (failed != null && reclaimStillFails(failed, reclaimer)) {
                answeredFromMemory++;
                // As the search would end: it changes the cycle only when it took a victim on the way.
                if (takesAny(found, reclaimer, pool, job.milli)) {
                    state.failedAfterEvictions(job, pool, failed.placeable);
                }
                return null;
            }
            Trial trial = new Trial(attempts);
            Outcome outcome = reclaimByTrial(trial, found);
            if (trial.failed) {
                failedReclaims.put(key, new Failed(state.commits(), state.quietCommits(reclaimer),
                        state.evictionLog().size(), trial.placeable));
            }
            return outcome;
        }
        List<RunningEntry> taken = new ArrayList<>();
        for (VictimQueue vq : found) {
            for (RunningEntry v : vq.victims().inVictimOrder) {
                if (v.evicted) {
                    continue;
                }
                if (!mayReclaim(reclaimer, vq.queue(), pool, job.milli)) {
                    break;
                }
                state.take(v);
                taken.add(v);
                CycleState.GangAttempt a = state.placeGang(job, pool, false);
                if (a.success()) {
                    return minimise(attempts, taken, a.allocations());
                }
            }
        }
        restoreAll(taken);
        return null;
    }

    /**
     * A victim queue of one search, with what orders it read once: victim queues go most over fair
     * share first, then above deserved, lower priority, more saturated, newer; then by first victim.
     */
    private record VictimQueue(QueueAccount queue, Victims victims, int firstSeq, long overFairShare,
                               boolean aboveDeserved, double saturation) {
        static final Comparator<VictimQueue> ORDER = Comparator
                .comparingLong(VictimQueue::overFairShare).reversed()
                .thenComparing((VictimQueue v) -> v.aboveDeserved() ? 0 : 1)
                .thenComparingInt(v -> v.queue().priority)
                .thenComparing(Comparator.comparingDouble(VictimQueue::saturation).reversed())
                .thenComparing(Comparator.comparingLong((VictimQueue v) -> v.queue().order).reversed())
                .thenComparingInt(VictimQueue::firstSeq);

        static VictimQueue of(QueueAccount q, Victims victims, int firstSeq, String pool) {
            long allocated = q.allocatedIn(pool);
            return new VictimQueue(q, victims, firstSeq, allocated - q.fairShareIn(pool),
                    allocated > q.deservedIn(pool), q.saturation(pool));
        }
    }

    /**
     * {@link #reclaim} as a trial. Taking a victim lowers its project's and department's allocation,
     * which the reclaim rule reads; the trial keeps those reductions aside and applies the same rule
     * to the lowered figures.
     */
    private Outcome reclaimByTrial(Trial trial, List<VictimQueue> found) {
        Job job = trial.attempts.job;
        QueueAccount reclaimer = job.project;
        String pool = trial.attempts.pool;
        lowered.reset();
        for (VictimQueue vq : found) {
            QueueAccount q = vq.queue();
            ReclaimRule rule = ReclaimRule.of(reclaimer, q, pool, job.milli, lowered);
            long takenHere = 0;
            Victims.Packed victims = vq.victims().packed();
            for (int j = 0; j < victims.size; j++) {
                if (state.evicted(victims.uid[j])) {
                    continue;
                }
                if (!rule.allows(takenHere)) {
                    break;
                }
                trial.take(victims, j);
                takenHere += victims.ruleMilli[j];
                if (trial.fits()) {
                    return trial.succeed();
                }
            }
            if (takenHere != 0) {
                lowered.add(q, takenHere);
                lowered.add(q.parent, takenHere);
            }
        }
        return trial.fail();
    }

    /**
     * Whether a remembered failed reclaim of the same shape by the same project must fail again now.
     * The search fails exactly when the job has no room on the nodes as they would be with every
     * victim the reclaim rule lets it take removed. If nothing was committed since, the cycle is as it
     * was. If only placements of the reclaimer's own project that evicted no one were committed, the
     * nodes only filled up, no victim went away and no victim queue's allocation changed, while the
     * reclaimer's side of the rule only grew: the rule lets it take the same victims or a prefix of
     * them in every queue (when departments are compared, the victim department's remaining
     * allocation is held against a threshold that only rose, so the first queue where the department
     * stops early is the last it takes from). The room can then only be smaller, so the job still
     * does not fit; the failure is reused only when that room was none, since a smaller non-zero room
     * would change the recorded pod count. Any other commit (another project's placement raises that
     * project's allocation, so the rule may allow more of its work; an eviction frees room) clears
     * the memo's use.
     */
    private boolean reclaimStillFails(Failed failed, QueueAccount reclaimer) {
        int commitsSince = state.commits() - failed.commits;
        if (commitsSince == 0) {
            return true;
        }
        return failed.placeable == 0 && state.quietCommits(reclaimer) - failed.quiet == commitsSince;
    }

    /** Whether a reclaim would take a first victim: some victim queue lets the job take from it. */
    private static boolean takesAny(List<VictimQueue> found, QueueAccount reclaimer, String pool,
                                    long jobMilli) {
        for (VictimQueue vq : found) {
            if (ReclaimRule.of(reclaimer, vq.queue(), pool, jobMilli, null).allows(0)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a remembered failed preemption of the same shape and priority in the same project must
     * fail again now. Preemption has no quota rule: it fails exactly when the job has no room with
     * every available lower-priority workload of its project (on its candidate nodes) removed.
     * Placements only fill the nodes; evicting one of those workloads moves its room from "could be
     * freed" to "free", which leaves that room as it was. Only the eviction of a workload outside that
     * set with a pod on a candidate node can add room, and clears the memo's use. Unless nothing was
     * committed since, the failure is reused only when its room was none (see {@link #reclaimStillFails}).
     */
    private boolean preemptionStillFails(Failed failed, Job job, ShapeCapacity capacity) {
        if (state.commits() == failed.commits) {
            return true;
        }
        if (failed.placeable != 0) {
            return false;
        }
        List<RunningEntry> log = state.evictionLog();
        for (int i = failed.evictionsSeen; i < log.size(); i++) {
            RunningEntry e = log.get(i);
            boolean couldBeFreed = e.workload().project().equals(job.project.name)
                    && e.workload().priority() < job.workload.priority();
            if (!couldBeFreed && state.touches(e, capacity)) {
                return false;
            }
        }
        failed.evictionsSeen = log.size();
        return true;
    }

    /** Preempt strictly lower-priority preemptible work of the job's own project; null when not possible. */
    Outcome preempt(Job job, String pool) {
        Victims.Packed victims = state.victims(job, pool, job.project.name).packed();
        Attempts attempts = null;
        Trial trial = null;
        PreemptKey key = null;
        List<RunningEntry> taken = new ArrayList<>();
        for (int j = 0; j < victims.size; j++) {
            // Victim order is lowest priority first: past the first equal or higher one, none qualifies.
            if (victims.priority[j] >= job.workload.priority()) {
                break;
            }
            if (state.evicted(victims.uid[j])) {
                continue;
            }
            RunningEntry v = victims.entries[j];
            if (attempts == null) {
                attempts = new Attempts(job, pool);
                if (attempts.counted()) {
                    key = new PreemptKey(job.memoKey(pool), job.workload.priority());
                    Failed failed = remember ? failedPreemptions.get(key) : null;
                    if (failed != null && preemptionStillFails(failed, job, attempts.capacity)) {
                        answeredFromMemory++;
                        // As the search would end, having taken this victim first.
                        state.failedAfterEvictions(job, pool, failed.placeable);
                        return null;
                    }
                    trial = new Trial(attempts);
                }
            }
            if (trial != null) {
                trial.take(victims, j);
                if (trial.fits()) {
                    return trial.succeed();
                }
                continue;
            }
            state.take(v);
            taken.add(v);
            CycleState.GangAttempt a = state.placeGang(job, pool, false);
            if (a.success()) {
                return minimise(attempts, taken, a.allocations());
            }
        }
        if (trial != null) {
            trial.fail();
            failedPreemptions.put(key, new Failed(state.commits(), state.quietCommits(job.project),
                    state.evictionLog().size(), trial.placeable));
            return null;
        }
        restoreAll(taken);
        return null;
    }

    /** The job and pool of one search, and the room tracker when the job's shape has one. */
    private final class Attempts {
        final Job job;
        final String pool;
        final ShapeCapacity capacity;

        Attempts(Job job, String pool) {
            this.job = job;
            this.pool = pool;
            ShapeCapacity c = trials ? state.capacityFor(job, pool) : null;
            // Without candidate nodes there is nothing to count; such jobs find no victims anyway.
            this.capacity = c != null && !state.noCandidates(job, pool) ? c : null;
        }

        boolean counted() {
            return capacity != null;
        }
    }

    /**
     * A search run on the nodes alone. Victims are taken and put back by moving their pods off and
     * onto a trial copy of the nodes ({@link TrialNodes}), and the job's room is read from the count
     * after each move, rather than placing the job. Pods of a counted shape are placed one by one
     * while a node has room, so the job fits exactly when the room reaches its minMember, and a failed
     * placement would have placed {@code min(room, pods)}.
     *
     * <p>The outcome is then made real as the step-by-step search would have left the cycle: after a
     * failure, nothing changed but the epoch and the job's failure memo (written after the last
     * victim); after a success, the kept victims are evicted for real and the job is placed once,
     * where it would have ended up (placing is deterministic). The memos the step-by-step search
     * writes on the way are all outdated by its later evictions, so they need not be written.
     */
    private final class Trial {
        private final Attempts attempts;
        /**
         * The victims taken, in order: victim {@code takenAt[i]} of {@code takenFrom[i]}, in arrays the
         * search keeps for its trials (one runs at a time; they take hundreds of victims each).
         */
        private Victims.Packed[] takenFrom = trialTakenFrom;
        private int[] takenAt = trialTakenAt;
        private int takenCount;
        private long room;
        /** Whether the victims ran out before the job fitted (not a placement that missed). */
        boolean failed;
        /** After a failure: how many pods the search's last placement would have placed. */
        int placeable;

        Trial(Attempts attempts) {
            trialsRun++;
            this.attempts = attempts;
            this.room = state.beginTrial(attempts.capacity);
        }

        void take(Victims.Packed victims, int j) {
            room += state.trialMove(victims, j, attempts.capacity, true);
            if (takenCount == takenAt.length) {
                takenFrom = Arrays.copyOf(takenFrom, 2 * takenCount);
                takenAt = Arrays.copyOf(takenAt, 2 * takenCount);
                trialTakenFrom = takenFrom;
                trialTakenAt = takenAt;
            }
            takenFrom[takenCount] = victims;
            takenAt[takenCount] = j;
            takenCount++;
        }

        boolean fits() {
            return room >= attempts.job.workload.minMember();
        }

        Outcome fail() {
            failed = true;
            placeable = (int) Math.min(room, attempts.job.workload.pods().size());
            if (takenCount == 0) {
                return null;
            }
            state.failedAfterEvictions(attempts.job, attempts.pool, placeable);
            return null;
        }

        /**
         * Keeps only the victims the job needs (the last taken are tried first), then makes it real.
         * A victim none of whose nodes has more room now than before the trial is not needed: putting
         * it back changes no room (see {@link CycleState#trialGains}), so it is let go unmoved. On a
         * large cluster most victims of a search are such, spread over nodes that never freed enough.
         */
        Outcome succeed() {
            ShapeCapacity capacity = attempts.capacity;
            // Kept victims, from the last taken back. As in the step-by-step search, the first one
            // taken is kept without a try when no later one was kept: a lone victim is never put back.
            List<RunningEntry> kept = new ArrayList<>();
            for (int i = takenCount - 1; i >= 0; i--) {
                Victims.Packed from = takenFrom[i];
                int j = takenAt[i];
                boolean keep;
                if (i == 0 && kept.isEmpty()) {
                    keep = true;
                } else if (!state.trialGains(from, j, capacity)) {
                    keep = false;
                } else {
                    room += state.trialMove(from, j, capacity, false);
                    keep = !fits();
                    if (keep) {
                        room += state.trialMove(from, j, capacity, true);
                    }
                }
                if (keep) {
                    kept.add(from.entries[j]);
                }
            }
            List<RunningEntry> victims = new ArrayList<>(kept.size());
            for (int i = kept.size() - 1; i >= 0; i--) {
                victims.add(kept.get(i));
            }
            for (RunningEntry v : victims) {
                state.take(v);
            }
            CycleState.GangAttempt placed = state.placeGang(attempts.job, attempts.pool, false);
            if (!placed.success()) {
                // Only a policy that misses a node with room gets here; the job then waits, evicting no one.
                restoreAll(victims);
                return null;
            }
            return new Outcome(placed.allocations(), victims);
        }
    }

    /**
     * The KAI reclaim rule, checked before each victim unit, at the level where the two queues' paths
     * part (projects of one department, otherwise their departments).
     */
    boolean mayReclaim(QueueAccount reclaimer, QueueAccount victim, String pool, long jobMilli) {
        return ReclaimRule.of(reclaimer, victim, pool, jobMilli, null).allows(0);
    }

    /** What a reclaim trial has taken from each queue so far (victim projects and their departments). */
    private static final class Lowered {
        private final long[] milli;
        /** The trial an account's amount belongs to; amounts of earlier trials read as none. */
        private final int[] stamp;
        private int trial;

        Lowered(int accounts) {
            milli = new long[accounts];
            stamp = new int[accounts];
        }

        /** Starts a trial: nothing taken yet. */
        void reset() {
            trial++;
        }

        long of(QueueAccount q) {
            return stamp[q.index] == trial ? milli[q.index] : 0;
        }

        void add(QueueAccount q, long taken) {
            if (stamp[q.index] != trial) {
                stamp[q.index] = trial;
                milli[q.index] = 0;
            }
            milli[q.index] += taken;
        }
    }

    /**
     * The reclaim rule for one victim queue, on the queues' allocations less what a trial has taken
     * from them ({@code lowered}, null for none), as a function of what is taken from the victim queue
     * next: that lowers the victim project's allocation and, when the departments are compared, the
     * victim department's; nothing on the reclaimer's side.
     */
    private record ReclaimRule(long victimAllocated, long victimDeserved, boolean departmentsCompared,
                               long rsAllocated, long rsDeserved, long rsFairShare,
                               long vsAllocated, long vsDeserved, long vsFairShare, long jobMilli) {

        static ReclaimRule of(QueueAccount reclaimer, QueueAccount victim, String pool, long jobMilli,
                              Lowered lowered) {
            boolean departments = reclaimer.parent != victim.parent;
            QueueAccount rs = departments ? reclaimer.parent : reclaimer;
            QueueAccount vs = departments ? victim.parent : victim;
            return new ReclaimRule(allocated(victim, pool, lowered), victim.deservedIn(pool), departments,
                    allocated(rs, pool, lowered), rs.deservedIn(pool), rs.fairShareIn(pool),
                    allocated(vs, pool, lowered), vs.deservedIn(pool), vs.fairShareIn(pool), jobMilli);
        }

        private static long allocated(QueueAccount q, String pool, Lowered lowered) {
            return q.allocatedIn(pool) - (lowered == null ? 0 : lowered.of(q));
        }

        boolean allows(long takenFromVictim) {
            if (victimAllocated - takenFromVictim <= victimDeserved) {
                return false;
            }
            long va = vsAllocated - takenFromVictim;
            if (departmentsCompared) {
                long after = rsAllocated + jobMilli;
                if (after > rsFairShare) {
                    double mine = rsFairShare <= 0 ? Double.MAX_VALUE : after / (double) rsFairShare;
                    if (!(mine < QueueAccount.saturation(va, vsFairShare))) {
                        return false;
                    }
                }
            }
            if (va > Math.max(vsDeserved, vsFairShare)) {
                return true;
            }
            return va > vsDeserved && rsAllocated + jobMilli <= rsDeserved;
        }
    }

    /** Keeps every victim whose eviction the placement does not need, trying the most valuable first. */
    private Outcome minimise(Attempts attempts, List<RunningEntry> taken, List<PodAllocation> placement) {
        Job job = attempts.job;
        String pool = attempts.pool;
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

    static EvictionDecision.Kind kindOf(Job job, RunningEntry victim) {
        return victim.workload().project().equals(job.project.name)
                ? EvictionDecision.Kind.PREEMPT : EvictionDecision.Kind.RECLAIM;
    }
}
