package io.gpuq.scheduler.engine;

import io.gpuq.scheduler.engine.placement.NodeJournal;
import io.gpuq.scheduler.engine.placement.NodeState;

/**
 * The nodes as a victim search's trial sees them: each node's occupancy, copied on its first touch in
 * a trial, with the trial's victims moved off and back on the copy. The node states themselves do not
 * change during a trial, so the placement policies' per-node scores and the room counts stay valid,
 * and ending a trial costs nothing: the next one copies afresh.
 *
 * <p>Copies are made from {@link #current}, a flat copy of every node state that catches up on the
 * nodes that changed (from the nodes' journal) when a trial begins: trials touch hundreds of nodes
 * each, and reading them from the node states, spread over the heap, dominated their cost.
 */
final class TrialNodes {
    private final NodeState[] nodes;
    private final NodeTable current;
    private final NodeTable trial;
    /** The trial a node's copy in {@link #trial} belongs to; copies of earlier trials are stale. */
    private final int[] stamp;
    private int trialNumber;
    private int generation = -1;
    private int cursor;

    TrialNodes(NodeState[] nodes) {
        this.nodes = nodes;
        this.current = new NodeTable(nodes);
        this.trial = new NodeTable(nodes);
        this.stamp = new int[nodes.length];
    }

    /** Starts a trial on the nodes as they are now; {@code journal} is where they log their changes. */
    void begin(NodeJournal journal) {
        if (generation != journal.generation() || journal.size() - cursor > nodes.length) {
            for (int n = 0; n < nodes.length; n++) {
                current.copy(n, nodes[n]);
            }
        } else {
            int[] changed = journal.entries();
            for (int k = cursor; k < journal.size(); k++) {
                int n = changed[k];
                current.copy(n, nodes[n]);
            }
        }
        generation = journal.generation();
        cursor = journal.size();
        trialNumber++;
    }

    /** Moves pod {@code p} of the packed victims off node {@code n} ({@code off}) or back onto it. */
    void move(int n, Victims.Packed victims, int p, boolean off) {
        if (stamp[n] != trialNumber) {
            trial.copy(n, current);
            stamp[n] = trialNumber;
        }
        trial.move(n, victims.shares, victims.shareStart[p], victims.shareStart[p + 1], victims.podCpu[p],
                victims.podMemory[p], off);
    }

    /** The nodes as the current trial sees them; only nodes it moved pods on are current. */
    NodeTable table() {
        return trial;
    }
}
