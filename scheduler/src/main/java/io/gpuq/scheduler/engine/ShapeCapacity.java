package io.gpuq.scheduler.engine;

import io.gpuq.scheduler.engine.model.GpuDemand;
import io.gpuq.scheduler.engine.model.PodRequest;
import io.gpuq.scheduler.engine.placement.NodeJournal;
import io.gpuq.scheduler.engine.placement.NodeState;

import java.util.Arrays;
import java.util.List;

/**
 * How many more pods of one shape a candidate list can take, kept current as the nodes change.
 *
 * <p>For a pod that needs whole GPUs, one share of a single device, or no GPU, a node's room is
 * {@code min(free whole devices / gpus, sum over devices of free milli / share, free CPU / cpu,
 * free memory / memory)}: the pod fits the node exactly when that is at least one, and placing it
 * anywhere on the node lowers it by exactly one. So placing pods of the shape one by one, where a
 * policy always finds a node when one fits (the {@link io.gpuq.scheduler.engine.placement.PlacementPolicy}
 * contract), places exactly {@code min(pods, total room)} of them. Placement attempts and victim
 * searches use this to know the outcome of an attempt that must fail without scoring every node.
 *
 * <p>Kept current lazily: the nodes log their changes in the cycle's journal, and the total catches
 * up on the logged nodes when it is read.
 */
final class ShapeCapacity {
    private static final int ROOM_CAP = 1 << 20;

    private final PodRequest pod;
    private final List<NodeState> candidates;
    /** Candidate position by node index, -1 for nodes not in the list. */
    private final int[] position;
    /** Each candidate's room, capped so that sums cannot overflow (no job asks for that many pods). */
    private final int[] room;
    private final int[] seenVersion;
    private long total;
    private int logGeneration = -1;
    private int logCursor;
    /**
     * Room of the nodes a trial moved pods on (see {@link #trialMove}), valid where the stamp is the
     * current trial's; elsewhere {@link #room} still holds, as trials never change the nodes.
     */
    private int[] trialRoom;
    private int[] trialStamp;
    private int trial;
    /** Per candidate, the milli-GPU per device a shared pod of the shape needs there (its devices' memory). */
    private int[] shareMilli;
    /** Per candidate, its room in the {@link ClearedNodes} view at the view's version in the stamp. */
    private int[] clearedRoom;
    private int[] clearedStamp;

    ShapeCapacity(PodRequest pod, List<NodeState> candidates, int[] nodeIndexes, int nodeCount) {
        this.pod = pod;
        this.candidates = candidates;
        this.position = new int[nodeCount];
        Arrays.fill(position, -1);
        for (int i = 0; i < nodeIndexes.length; i++) {
            position[nodeIndexes[i]] = i;
        }
        this.room = new int[candidates.size()];
        this.seenVersion = new int[candidates.size()];
    }

    /** Total room over the candidates, after catching up with the node changes logged since last read. */
    long total(NodeJournal log) {
        if (logGeneration != log.generation() || log.size() - logCursor > candidates.size()) {
            total = 0;
            for (int i = 0; i < room.length; i++) {
                NodeState n = candidates.get(i);
                room[i] = roomOn(n);
                seenVersion[i] = n.version();
                total += room[i];
            }
        } else {
            int[] changed = log.entries();
            for (int k = logCursor; k < log.size(); k++) {
                int i = position[changed[k]];
                if (i < 0) {
                    continue;
                }
                NodeState n = candidates.get(i);
                // A node logged several times since the last read is counted once.
                if (n.version() != seenVersion[i]) {
                    int r = roomOn(n);
                    total += r - room[i];
                    room[i] = r;
                    seenVersion[i] = n.version();
                }
            }
        }
        logGeneration = log.generation();
        logCursor = log.size();
        return total;
    }

    /** Starts a trial; {@link #total} must have been read just before, so {@link #room} is current. */
    void beginTrial() {
        if (trialRoom == null) {
            trialRoom = new int[room.length];
            trialStamp = new int[room.length];
            shareMilli = new int[room.length];
            if (pod.gpu().isShared()) {
                for (int i = 0; i < shareMilli.length; i++) {
                    shareMilli[i] = candidates.get(i).milliPerDeviceFor(pod.gpu());
                }
            }
            clearedRoom = new int[room.length];
            clearedStamp = new int[room.length];
            Arrays.fill(clearedStamp, -1);
        }
        trial++;
    }

    /**
     * Moves pod {@code p} of the packed victims off its node ({@code off}) or back on, as the current
     * trial sees the nodes, and returns the change in room. Pods on nodes that are not candidates are
     * not moved. Nor are pods on nodes that have no more room in the cleared view than now: room only
     * grows as pods leave a node, so no trial can make more there, and the move would change nothing
     * the trial reads.
     */
    int trialMove(Victims.Packed victims, int p, boolean off, TrialNodes nodes, ClearedNodes cleared) {
        int n = victims.podNode[p];
        int i = n < 0 ? -1 : position[n];
        if (i < 0) {
            return 0;
        }
        int v = cleared.version(n);
        if (clearedStamp[i] != v) {
            clearedRoom[i] = roomOn(cleared.table(), n, i);
            clearedStamp[i] = v;
        }
        if (clearedRoom[i] <= room[i]) {
            return 0;
        }
        nodes.move(n, victims, p, off);
        int before = trialStamp[i] == trial ? trialRoom[i] : room[i];
        int after = roomOn(nodes.table(), n, i);
        trialRoom[i] = after;
        trialStamp[i] = trial;
        return after - before;
    }

    /** Whether the node (by index) is a candidate with more room in the current trial than before it. */
    boolean gainedInTrial(int nodeIndex) {
        int i = nodeIndex < 0 ? -1 : position[nodeIndex];
        return i >= 0 && trialStamp[i] == trial && trialRoom[i] > room[i];
    }

    /** Whether the node (by index) is one of the candidates. */
    boolean covers(int nodeIndex) {
        return nodeIndex >= 0 && position[nodeIndex] >= 0;
    }

    /**
     * How many pods of the shape fit the node as it is now. The GPU room is read first: on a full
     * cluster it is nought on most nodes, and the CPU and memory divisions are then not needed.
     */
    int roomOn(NodeState n) {
        long r;
        GpuDemand g = pod.gpu();
        switch (g.kind()) {
            case WHOLE:
                r = n.freeWholeDevices() / g.wholeGpus();
                break;
            case FRACTION:
            case MEMORY:
                int milli = n.milliPerDeviceFor(g);
                if (milli > GpuDemand.MILLI) {
                    return 0;
                }
                long shares = 0;
                for (int d = 0; d < n.gpuCount(); d++) {
                    int free = n.freeMilli(d);
                    if (free >= milli) {
                        shares += free / milli;
                    }
                }
                r = shares;
                break;
            default:
                r = ROOM_CAP;
                break;
        }
        return limitByCpuAndMemory(r, n.cpuFree(), n.memoryFree());
    }

    /** {@link #roomOn(NodeState)} for the node (by index, at candidate position {@code i}) as a table has it. */
    private int roomOn(NodeTable nodes, int n, int i) {
        long r;
        GpuDemand g = pod.gpu();
        switch (g.kind()) {
            case WHOLE:
                r = nodes.freeWholeDevices(n) / g.wholeGpus();
                break;
            case FRACTION:
            case MEMORY:
                int milli = shareMilli[i];
                if (milli > GpuDemand.MILLI) {
                    return 0;
                }
                long shares = 0;
                for (int d = 0, count = nodes.gpuCount(n); d < count; d++) {
                    int free = nodes.freeMilli(n, d);
                    if (free >= milli) {
                        shares += free / milli;
                    }
                }
                r = shares;
                break;
            default:
                r = ROOM_CAP;
                break;
        }
        return limitByCpuAndMemory(r, nodes.cpuFree(n), nodes.memoryFree(n));
    }

    private int limitByCpuAndMemory(long gpuRoom, long cpuFree, long memoryFree) {
        if (gpuRoom == 0) {
            return 0;
        }
        long r = Math.min(gpuRoom, ROOM_CAP);
        if (pod.cpuMillis() > 0) {
            r = Math.min(r, Math.max(0, cpuFree) / pod.cpuMillis());
        }
        if (pod.memoryMiB() > 0) {
            r = Math.min(r, Math.max(0, memoryFree) / pod.memoryMiB());
        }
        return (int) r;
    }

    /** Whether every pod of the job is this shape's kind: whole GPUs, a single-device share or no GPU. */
    static boolean predictable(PodRequest pod) {
        GpuDemand g = pod.gpu();
        switch (g.kind()) {
            case NONE:
            case WHOLE:
                return true;
            default:
                return g.devices() == 1;
        }
    }
}
