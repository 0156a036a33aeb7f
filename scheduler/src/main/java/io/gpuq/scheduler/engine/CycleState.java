package io.gpuq.scheduler.engine;

import io.gpuq.scheduler.engine.model.GpuDemand;
import io.gpuq.scheduler.engine.model.GpuNode;
import io.gpuq.scheduler.engine.model.PodAllocation;
import io.gpuq.scheduler.engine.model.PodRequest;
import io.gpuq.scheduler.engine.placement.NodeJournal;
import io.gpuq.scheduler.engine.placement.NodeState;
import io.gpuq.scheduler.engine.placement.PlacementPolicy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The mutable state of one cycle: node occupancy, queue accounts and running workloads, with the
 * operations that keep them consistent (place a gang, take and restore a victim).
 */
final class CycleState {
    /** The outcome of trying to place a gang in one pool. */
    record GangAttempt(List<PodAllocation> allocations, int placedPods, boolean noCandidates) {
        boolean success() {
            return allocations != null;
        }
    }

    final Map<String, NodeState> nodes;
    final CandidateNodes candidates;
    final QueueBook book;
    final PlacementPolicy policy;
    final Map<String, RunningEntry> running = new LinkedHashMap<>();
    /**
     * The running workloads victim searches may consider (from the snapshot and preemptible), by pool
     * and project, each list in running order. Searches used to scan every running workload for every
     * job that did not fit; with tens of thousands running that dominated the cycle.
     */
    private final Map<String, Map<String, List<RunningEntry>>> evictable = new HashMap<>();
    /**
     * Victim lists per candidate list (by identity: the lists are cached per constraint set), pool and
     * project. Only eviction changes which of their entries are available, and searches skip evicted
     * ones, so the lists stay valid for the cycle unless {@link #evictable} changes.
     */
    private final Map<List<NodeState>, Map<String, Map<String, Victims>>> victimLists = new IdentityHashMap<>();
    /** Per candidate list and pool, the projects with evictable work there; valid as long as {@link #victimLists}. */
    private final Map<List<NodeState>, Map<String, List<VictimSource>>> sourceLists = new IdentityHashMap<>();
    private final Map<String, Integer> nodeIndex = new HashMap<>();
    /** Which nodes a candidate list contains, by list identity. */
    private final Map<List<NodeState>, boolean[]> candidateMasks = new IdentityHashMap<>();
    private final Map<List<NodeState>, Map<PodShape, ShapeCapacity>> capacities = new IdentityHashMap<>();
    /** Where every node logs its changes, for {@link ShapeCapacity} to catch up on. */
    private final NodeJournal changes;
    private final TrialNodes trialNodes;
    private final ClearedNodes clearedNodes;
    private int nextSeq;
    /** Entries by {@link RunningEntry#uid}: whether evicted, for trials that read packed victim lists. */
    private boolean[] evictedByUid = new boolean[1024];
    private int nextUid;
    /** Free milli-GPU of the schedulable nodes per pool, in a holder the hot paths update in place. */
    private final Map<String, long[]> freeByPool = new HashMap<>();
    private final Map<String, Failure> failures = new HashMap<>();
    /** Bumped whenever capacity is released; a placement failure stays valid until then. */
    private int epoch;
    /** Committed placements so far; between two equal readings the cycle's state did not change. */
    private int commits;
    /** Per project, its committed placements that evicted no one. */
    private final Map<QueueAccount, int[]> quietCommits = new IdentityHashMap<>();
    /** Every workload evicted by a committed placement, in order. */
    private final List<RunningEntry> evictionLog = new ArrayList<>();

    /** {@code nodes} are numbered in iteration order and log their changes in {@code journal}. */
    CycleState(Map<String, NodeState> nodes, NodeJournal journal, QueueBook book, PlacementPolicy policy) {
        this.nodes = nodes;
        this.book = book;
        this.policy = policy;
        List<NodeState> schedulable = new ArrayList<>();
        NodeState[] byIndex = new NodeState[nodes.size()];
        for (NodeState n : nodes.values()) {
            if (n.journal() != journal || n.id() != nodeIndex.size()) {
                throw new IllegalArgumentException("node " + n.name() + " must log in the cycle's journal as "
                        + nodeIndex.size() + ", logs as " + n.id());
            }
            byIndex[nodeIndex.size()] = n;
            nodeIndex.put(n.name(), nodeIndex.size());
            GpuNode g = n.node();
            if (g.ready() && !g.unschedulable()) {
                schedulable.add(n);
                freeByPool.computeIfAbsent(g.pool(), k -> new long[1])[0] += n.freeMilliTotal();
            }
        }
        this.candidates = new CandidateNodes(schedulable);
        this.changes = journal;
        this.trialNodes = new TrialNodes(byIndex);
        this.clearedNodes = new ClearedNodes(byIndex);
    }

    /** A failed placement of a shape, valid while {@link #epoch} has not moved. */
    private record Failure(int epoch, GangAttempt attempt) {
    }

    /** What a pod's room on a node depends on, besides the node. */
    private record PodShape(GpuDemand gpu, long cpuMillis, long memoryMiB) {
    }

    long freeIn(String pool) {
        long[] free = freeByPool.get(pool);
        return free == null ? 0 : free[0];
    }

    private static boolean schedulable(NodeState n) {
        return n.node().ready() && !n.node().unschedulable();
    }

    private void applyAllocation(PodAllocation a) {
        NodeState n = nodes.get(a.node());
        n.apply(a);
        clearedNodes.placed(n.id(), a, true);
        if (schedulable(n)) {
            freeByPool.get(n.node().pool())[0] -= a.gpuMilli();
        }
    }

    private void releaseAllocation(PodAllocation a) {
        NodeState n = nodes.get(a.node());
        n.release(a);
        clearedNodes.placed(n.id(), a, false);
        if (schedulable(n)) {
            freeByPool.get(n.node().pool())[0] += a.gpuMilli();
        }
    }

    /**
     * Looks up, once per entry, what taking and restoring it touch: its nodes, their indexes, the
     * milli-GPU of each pod and the free counter of its pool. Victim searches take and restore the
     * same entries many times.
     */
    private void resolve(RunningEntry e) {
        if (e.nodeStates != null) {
            return;
        }
        List<PodAllocation> allocations = e.running.allocations();
        int n = allocations.size();
        NodeState[] states = new NodeState[n];
        int[] indexes = new int[n];
        long[] milli = new long[n];
        long[][] poolFree = new long[n][];
        int[][] shares = new int[n][];
        long[] cpu = new long[n];
        long[] memory = new long[n];
        for (int i = 0; i < n; i++) {
            PodAllocation a = allocations.get(i);
            NodeState s = nodes.get(a.node());
            states[i] = s;
            indexes[i] = s == null ? -1 : nodeIndex.get(a.node());
            milli[i] = a.gpuMilli();
            poolFree[i] = s != null && schedulable(s) ? freeByPool.get(s.node().pool()) : null;
            int[] pairs = new int[2 * a.devices().size()];
            for (int k = 0; k < a.devices().size(); k++) {
                pairs[2 * k] = a.devices().get(k).index();
                pairs[2 * k + 1] = a.devices().get(k).milli();
            }
            shares[i] = pairs;
            cpu[i] = a.cpuMillis();
            memory[i] = a.memoryMiB();
        }
        e.podShares = shares;
        e.podCpu = cpu;
        e.podMemory = memory;
        QueueAccount p = book.project(e.workload().project());
        e.account = p != null && p.hasPool(e.pool) ? p : null;
        e.podMilli = milli;
        e.poolFree = poolFree;
        e.nodeIndexes = indexes;
        e.nodeStates = states;
    }

    /**
     * Places every pod of the job in {@code pool}, or at least minMember of them; otherwise leaves the
     * nodes as they were. Identical shapes that failed since the last release fail at once.
     */
    GangAttempt placeGang(Job job, String pool, boolean useMemo) {
        if (useMemo) {
            Failure f = failures.get(job.memoKey(pool));
            if (f != null && f.epoch() == epoch) {
                return f.attempt();
            }
        }
        ShapeCapacity capacity = capacityFor(job, pool);
        if (capacity != null) {
            // Most attempts in a full cluster fail; the count says so (and how many pods would have
            // been placed) without scoring every candidate node for every pod.
            if (noCandidates(job, pool)) {
                return recordFailure(job, pool, 0, true);
            }
            long room = capacity.total(changes);
            if (room < job.workload.minMember()) {
                return recordFailure(job, pool, (int) room, false);
            }
        }
        Set<String> pools = Set.of(pool);
        List<PodAllocation> placed = new ArrayList<>();
        boolean noCandidates = false;
        for (PodRequest pod : job.workload.pods()) {
            List<NodeState> cands = candidates.forPod(pools, pod);
            if (cands.isEmpty()) {
                noCandidates = true;
                break;
            }
            PodAllocation a = policy.place(pod, cands);
            if (a == null) {
                break;
            }
            applyAllocation(a);
            placed.add(a);
        }
        if (placed.size() >= job.workload.minMember() && !noCandidates) {
            return new GangAttempt(placed, placed.size(), false);
        }
        for (PodAllocation a : placed) {
            releaseAllocation(a);
        }
        return recordFailure(job, pool, placed.size(), noCandidates);
    }

    /**
     * Remembers a failed placement of the job's shape, as {@link #placeGang} does; for attempts whose
     * failure is known without placing (see {@link ShapeCapacity}).
     */
    GangAttempt recordFailure(Job job, String pool, int placedPods, boolean noCandidates) {
        GangAttempt failed = new GangAttempt(null, placedPods, noCandidates);
        failures.put(job.memoKey(pool), new Failure(epoch, failed));
        return failed;
    }

    /**
     * The room tracker for the job's pods in {@code pool}, or null when the job's pods differ or are
     * of a kind whose room is not a simple count (shares spanning several devices).
     */
    ShapeCapacity capacityFor(Job job, String pool) {
        PodRequest pod = job.uniformPod;
        if (pod == null || !ShapeCapacity.predictable(pod)) {
            return null;
        }
        List<NodeState> cands = candidates.forPod(Set.of(pool), pod);
        return capacities.computeIfAbsent(cands, k -> new HashMap<>())
                .computeIfAbsent(new PodShape(pod.gpu(), pod.cpuMillis(), pod.memoryMiB()), k -> {
                    int[] indexes = new int[cands.size()];
                    for (int i = 0; i < indexes.length; i++) {
                        indexes[i] = nodeIndex.get(cands.get(i).name());
                    }
                    return new ShapeCapacity(pod, cands, indexes, nodeIndex.size());
                });
    }

    /**
     * Moves the entry's pods off ({@code off}) or back onto the capacity's candidate nodes as the
     * current trial sees them (see {@link TrialNodes}), and nothing else: the node states, quotas,
     * memos and epoch stay as they are, so a victim search can try evictions and put them back
     * cheaply. Returns the change in the capacity's room. Only within a trial begun by
     * {@link #beginTrial}, and a move back only undoes this trial's move off.
     */
    long trialMove(Victims.Packed victims, int j, ShapeCapacity capacity, boolean off) {
        long delta = 0;
        for (int p = victims.podStart[j]; p < victims.podStart[j + 1]; p++) {
            delta += capacity.trialMove(victims, p, off, trialNodes, clearedNodes);
        }
        return delta;
    }

    /**
     * Whether a pod of the entry is on a candidate node that has, in the current trial, more room than
     * before the trial. Putting back a victim only lowers the room of its nodes, never below what it
     * was before the trial: on nodes that are back at that, it changes nothing.
     */
    boolean trialGains(Victims.Packed victims, int j, ShapeCapacity capacity) {
        for (int p = victims.podStart[j]; p < victims.podStart[j + 1]; p++) {
            if (capacity.gainedInTrial(victims.podNode[p])) {
                return true;
            }
        }
        return false;
    }

    /** Whether the entry (by {@link RunningEntry#uid}) is evicted; as {@link RunningEntry#evicted}. */
    boolean evicted(int uid) {
        return evictedByUid[uid];
    }

    /**
     * Leaves the cycle as a victim search that evicted and then restored workloads without placing
     * the job leaves it: capacity was released on the way (an older failure is stale), and the job's
     * last failed placement, with {@code placedPods} placed, is remembered.
     */
    void failedAfterEvictions(Job job, String pool, int placedPods) {
        epoch++;
        recordFailure(job, pool, placedPods, false);
    }

    /** Reads the room of the tracked shape now and starts a trial of moves on it. */
    long beginTrial(ShapeCapacity capacity) {
        long room = capacity.total(changes);
        capacity.beginTrial();
        trialNodes.begin(changes);
        if (clearedNodes.stale()) {
            List<RunningEntry> all = new ArrayList<>();
            for (Map<String, List<RunningEntry>> byProject : evictable.values()) {
                for (List<RunningEntry> list : byProject.values()) {
                    for (RunningEntry e : list) {
                        resolve(e);
                        all.add(e);
                    }
                }
            }
            clearedNodes.build(all);
        }
        return room;
    }

    /** Whether the job's pods have no candidate node in the pool (they share one list when tracked). */
    boolean noCandidates(Job job, String pool) {
        return candidates.forPod(Set.of(pool), job.uniformPod).isEmpty();
    }

    void undoPlacement(List<PodAllocation> allocations) {
        for (PodAllocation a : allocations) {
            releaseAllocation(a);
        }
        epoch++;
    }

    /**
     * Accounts a committed placement as running (it is not a victim candidate in this cycle); the
     * victims it needed have been taken already.
     */
    RunningEntry commit(Job job, String pool, List<PodAllocation> allocations, List<RunningEntry> victims,
                        long now) {
        commits++;
        if (victims.isEmpty()) {
            quietCommits.computeIfAbsent(job.project, k -> new int[1])[0]++;
        } else {
            evictionLog.addAll(victims);
        }
        long milli = 0;
        for (PodAllocation a : allocations) {
            milli += a.gpuMilli();
        }
        job.project.addAllocation(pool, milli, !job.preemptible());
        RunningEntry e = new RunningEntry(
                new io.gpuq.scheduler.engine.model.RunningWorkload(job.workload, allocations, now), pool, milli, true);
        track(e);
        return e;
    }

    /**
     * Puts the entry in {@link #running}; an entry with the same id is replaced and gives up its place
     * in the running order to the new one, as the map does.
     */
    private void track(RunningEntry e) {
        e.uid = nextUid++;
        if (e.uid == evictedByUid.length) {
            evictedByUid = Arrays.copyOf(evictedByUid, 2 * evictedByUid.length);
        }
        RunningEntry old = running.put(e.id(), e);
        if (old == null) {
            e.seq = nextSeq++;
        } else {
            e.seq = old.seq;
            unindex(old);
        }
        if (!e.placedThisCycle && e.movable && e.workload().preemptible()) {
            List<RunningEntry> list = evictable.computeIfAbsent(e.pool, k -> new HashMap<>())
                    .computeIfAbsent(e.workload().project(), k -> new ArrayList<>());
            int at = list.size();
            while (at > 0 && list.get(at - 1).seq > e.seq) {
                at--;
            }
            list.add(at, e);
            victimLists.clear();
            sourceLists.clear();
            clearedNodes.invalidate();
        }
    }

    private void unindex(RunningEntry e) {
        Map<String, List<RunningEntry>> byProject = evictable.get(e.pool);
        if (byProject != null) {
            List<RunningEntry> list = byProject.get(e.workload().project());
            if (list != null && list.remove(e)) {
                victimLists.clear();
                sourceLists.clear();
                clearedNodes.invalidate();
            }
        }
    }

    int commits() {
        return commits;
    }

    /** How many of the committed placements so far were the project's own and evicted no one. */
    int quietCommits(QueueAccount project) {
        int[] n = quietCommits.get(project);
        return n == null ? 0 : n[0];
    }

    /** Workloads evicted by committed placements, in order; read only. */
    List<RunningEntry> evictionLog() {
        return evictionLog;
    }

    /** Whether a pod of the entry is on one of the capacity's candidate nodes. */
    boolean touches(RunningEntry e, ShapeCapacity capacity) {
        resolve(e);
        for (int i : e.nodeIndexes) {
            if (capacity.covers(i)) {
                return true;
            }
        }
        return false;
    }

    /** A project that has evictable work in a pool, and its victims for one candidate list (read lazily). */
    static final class VictimSource {
        final QueueAccount queue;
        final String project;
        private Victims victims;

        VictimSource(QueueAccount queue, String project) {
            this.queue = queue;
            this.project = project;
        }
    }

    /**
     * The projects with evictable work in {@code pool} (and an account), for a reclaim search by the
     * job. Kept per candidate list and pool, like the victim lists, when every pod of the job has the
     * same candidates.
     */
    List<VictimSource> victimSources(Job job, String pool) {
        List<NodeState> shared = sharedCandidates(job, pool);
        if (shared == null) {
            return collectSources(pool);
        }
        return sourceLists.computeIfAbsent(shared, k -> new HashMap<>())
                .computeIfAbsent(pool, this::collectSources);
    }

    private List<VictimSource> collectSources(String pool) {
        List<VictimSource> out = new ArrayList<>();
        for (String project : evictableIn(pool).keySet()) {
            QueueAccount q = book.project(project);
            if (q != null) {
                out.add(new VictimSource(q, project));
            }
        }
        return out;
    }

    /** The source's victims for the job in {@code pool}, as {@link #victims} has them. */
    Victims victimsOf(VictimSource source, Job job, String pool) {
        if (source.victims == null) {
            source.victims = victims(job, pool, source.project);
        }
        return source.victims;
    }

    /** Evictable entries of one pool by project name; see {@link #evictable}. */
    Map<String, List<RunningEntry>> evictableIn(String pool) {
        return evictable.getOrDefault(pool, Map.of());
    }

    /**
     * Evictable workloads of {@code project} in {@code pool} with a pod on a node any pod of the job
     * could use; evicted ones included (callers skip them).
     */
    Victims victims(Job job, String pool, String project) {
        List<NodeState> shared = sharedCandidates(job, pool);
        if (shared == null) {
            return collectVictims(candidateMask(job, pool), pool, project);
        }
        return victimLists.computeIfAbsent(shared, k -> new HashMap<>())
                .computeIfAbsent(pool, k -> new HashMap<>())
                .computeIfAbsent(project, k -> collectVictims(maskOf(shared), pool, project));
    }

    private Victims collectVictims(boolean[] mask, String pool, String project) {
        List<RunningEntry> out = new ArrayList<>();
        for (RunningEntry e : evictableIn(pool).getOrDefault(project, List.of())) {
            if (touches(e, mask)) {
                out.add(e);
            }
        }
        return new Victims(out);
    }

    /** The one candidate list every pod of the job has in {@code pool}, or null when they differ. */
    private List<NodeState> sharedCandidates(Job job, String pool) {
        Set<String> pools = Set.of(pool);
        List<NodeState> first = null;
        for (PodRequest pod : job.workload.pods()) {
            List<NodeState> cands = candidates.forPod(pools, pod);
            if (first == null) {
                first = cands;
            } else if (cands != first) {
                return null;
            }
        }
        return first;
    }

    /** Adds an already-running workload found in the snapshot. */
    void addRunning(RunningEntry e) {
        for (PodAllocation a : e.running.allocations()) {
            if (!nodes.containsKey(a.node())) {
                continue;
            }
            try {
                applyAllocation(a);
            } catch (IllegalStateException conflict) {
                // A stale or conflicting allocation (a device already held): whatever part of it still
                // fits is held, so nothing it claims is handed out again; the workload keeps its quota
                // but is never moved this cycle, since taking it would release devices it does not hold.
                applyAllocation(fittingPart(a));
                e.movable = false;
            }
        }
        track(e);
        QueueAccount p = book.project(e.workload().project());
        if (p != null && p.hasPool(e.pool)) {
            p.addAllocation(e.pool, e.milli, !e.workload().preemptible());
        }
    }

    /** The shares of {@code a} that its node can still take, one device at a time. */
    private PodAllocation fittingPart(PodAllocation a) {
        NodeState n = nodes.get(a.node());
        List<io.gpuq.scheduler.engine.model.DeviceShare> fits = new ArrayList<>();
        boolean[] seen = new boolean[n.gpuCount()];
        for (io.gpuq.scheduler.engine.model.DeviceShare share : a.devices()) {
            int d = share.index();
            if (d >= n.gpuCount() || seen[d]) {
                continue;
            }
            boolean free = share.isWhole() ? n.usedMilli(d) == 0 : n.canShare(d, share.milli());
            if (free) {
                fits.add(share);
                seen[d] = true;
            }
        }
        long cpu = Math.min(a.cpuMillis(), Math.max(0, n.cpuFree()));
        long mem = Math.min(a.memoryMiB(), Math.max(0, n.memoryFree()));
        return new PodAllocation(a.pod(), a.node(), fits, cpu, mem);
    }

    /** Tentatively evicts a running workload: frees its devices and its quota. */
    void take(RunningEntry e) {
        resolve(e);
        List<PodAllocation> allocations = e.running.allocations();
        for (int i = 0; i < e.nodeStates.length; i++) {
            NodeState n = e.nodeStates[i];
            if (n != null) {
                n.release(allocations.get(i));
                if (e.poolFree[i] != null) {
                    e.poolFree[i][0] += e.podMilli[i];
                }
            }
        }
        if (e.account != null) {
            e.account.addAllocation(e.pool, -e.milli, !e.workload().preemptible());
        }
        e.evicted = true;
        evictedByUid[e.uid] = true;
        epoch++;
    }

    /** Undoes {@link #take}. */
    void restore(RunningEntry e) {
        resolve(e);
        List<PodAllocation> allocations = e.running.allocations();
        for (int i = 0; i < e.nodeStates.length; i++) {
            NodeState n = e.nodeStates[i];
            if (n != null) {
                n.apply(allocations.get(i));
                if (e.poolFree[i] != null) {
                    e.poolFree[i][0] -= e.podMilli[i];
                }
            }
        }
        if (e.account != null) {
            e.account.addAllocation(e.pool, e.milli, !e.workload().preemptible());
        }
        e.evicted = false;
        evictedByUid[e.uid] = false;
    }

    /**
     * The nodes any pod of the job could use in {@code pool}, as a mask over node indexes. Shared
     * between calls: callers must not change it.
     */
    private boolean[] candidateMask(Job job, String pool) {
        Set<String> pools = Set.of(pool);
        List<NodeState> first = null;
        boolean[] mask = null;
        boolean owned = false;
        for (PodRequest pod : job.workload.pods()) {
            List<NodeState> cands = candidates.forPod(pools, pod);
            if (first == null) {
                first = cands;
                mask = maskOf(cands);
            } else if (cands != first) {
                if (!owned) {
                    mask = mask.clone();
                    owned = true;
                }
                for (NodeState n : cands) {
                    mask[nodeIndex.get(n.name())] = true;
                }
            }
        }
        return mask == null ? new boolean[nodeIndex.size()] : mask;
    }

    private boolean[] maskOf(List<NodeState> cands) {
        boolean[] mask = candidateMasks.get(cands);
        if (mask == null) {
            mask = new boolean[nodeIndex.size()];
            for (NodeState n : cands) {
                mask[nodeIndex.get(n.name())] = true;
            }
            candidateMasks.put(cands, mask);
        }
        return mask;
    }

    /** Whether a pod of the running workload is on a node of the mask. */
    private boolean touches(RunningEntry e, boolean[] mask) {
        resolve(e);
        for (int i : e.nodeIndexes) {
            if (i >= 0 && mask[i]) {
                return true;
            }
        }
        return false;
    }

    static long milliOf(GpuDemand d, long deviceMemoryMiB) {
        return d.totalMilliOn(deviceMemoryMiB);
    }
}
