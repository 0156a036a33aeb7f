package io.gpuq.scheduler.engine.placement;

import java.util.Arrays;

/**
 * The order in which the nodes of one cycle changed, by node id, for readers that keep something per
 * node current (room counts, node rankings) to catch up on only the nodes that changed since they
 * last looked. Node states created with a journal log every change of their occupancy here. When the
 * journal fills up it starts a new generation, and readers of an older one rebuild from scratch.
 */
public final class NodeJournal {
    private final int nodeCount;
    private final int limit;
    private int[] entries = new int[1024];
    private int size;
    private int generation;

    /** A journal for nodes with ids {@code 0..nodeCount-1}. */
    public NodeJournal(int nodeCount) {
        this(nodeCount, Math.max(1 << 16, 8 * nodeCount));
    }

    NodeJournal(int nodeCount, int limit) {
        if (nodeCount < 0 || limit < 1) {
            throw new IllegalArgumentException("journal needs nodeCount >= 0 and limit >= 1, was "
                    + nodeCount + " and " + limit);
        }
        this.nodeCount = nodeCount;
        this.limit = limit;
    }

    /** How many node ids the journal covers. */
    public int nodeCount() {
        return nodeCount;
    }

    void add(int nodeId) {
        if (size == limit) {
            size = 0;
            generation++;
        }
        if (size == entries.length) {
            entries = Arrays.copyOf(entries, Math.min(limit, entries.length * 2));
        }
        entries[size++] = nodeId;
    }

    /** The ids logged in this generation, in order; valid up to {@link #size()}. Read only. */
    public int[] entries() {
        return entries;
    }

    public int size() {
        return size;
    }

    public int generation() {
        return generation;
    }
}
