package io.gpuq.scheduler.engine.placement;

import java.util.AbstractList;
import java.util.Collection;
import java.util.RandomAccess;

/**
 * A candidate list that cannot change. Policies keep per-list state (memos, rankings) by the list's
 * identity and must otherwise check on every placement that a list still holds the nodes it held, a
 * pass over every candidate; for this list they need not.
 */
public final class CandidateList extends AbstractList<NodeState> implements RandomAccess {
    private final NodeState[] nodes;

    private CandidateList(NodeState[] nodes) {
        this.nodes = nodes;
    }

    /** The nodes in iteration order; null elements are rejected. */
    public static CandidateList of(Collection<NodeState> nodes) {
        NodeState[] array = nodes.toArray(new NodeState[0]);
        for (int i = 0; i < array.length; i++) {
            if (array[i] == null) {
                throw new IllegalArgumentException("candidate " + i + " is null");
            }
        }
        return new CandidateList(array);
    }

    @Override
    public NodeState get(int index) {
        return nodes[index];
    }

    @Override
    public int size() {
        return nodes.length;
    }
}
