package io.gpuq.scheduler.engine.placement;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Finds a node's memo fast. The engine hands the same candidate list (same object, same order) to
 * every pod with the same constraints, so a memo row aligned with that list answers most lookups with
 * one array read; the identity map behind it covers lists seen for the first time. Both maps are
 * bounded: node states belong to one cycle, and a policy that outlives the cycle must not keep them.
 */
final class MemoStore<M extends NodeMemo> {
    private static final int MAX_ROWS = 256;

    /** Memos aligned with one candidate list, and what a policy derived from the list as a whole. */
    static final class Row {
        final NodeMemo[] memos;
        /** Per-candidate cost per milli-GPU added; null until computed, reset when the list changes. */
        double[] bias;

        Row(int size) {
            memos = new NodeMemo[size];
        }
    }

    private final Function<NodeState, M> factory;
    private final Map<NodeState, M> byNode = new IdentityHashMap<>();
    private final Map<List<NodeState>, Row> rows = new IdentityHashMap<>();
    private int largestRow;

    MemoStore(Function<NodeState, M> factory) {
        this.factory = factory;
    }

    /** The row for this candidate list with every memo resolved to the list's current content. */
    Row row(List<NodeState> candidates) {
        Row row = rows.get(candidates);
        if (row == null || row.memos.length != candidates.size()) {
            if (rows.size() >= MAX_ROWS) {
                rows.clear();
            }
            row = new Row(candidates.size());
            rows.put(candidates, row);
            largestRow = Math.max(largestRow, row.memos.length);
        }
        NodeMemo[] memos = row.memos;
        for (int i = 0; i < memos.length; i++) {
            NodeState node = candidates.get(i);
            if (memos[i] == null || memos[i].node != node) {
                memos[i] = memoFor(node);
                row.bias = null;
            }
        }
        return row;
    }

    private M memoFor(NodeState node) {
        M memo = byNode.get(node);
        if (memo == null) {
            if (byNode.size() >= Math.max(4096, 4 * largestRow)) {
                byNode.clear();
            }
            memo = factory.apply(node);
            byNode.put(node, memo);
        }
        return memo;
    }
}
