package io.gpuq.scheduler.engine.placement;

import java.util.Arrays;
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
        /** The nodes the memos are for, to check the list against without reading the memos. */
        final NodeState[] nodes;
        /** Per-candidate cost per milli-GPU added; null until computed, reset when the list changes. */
        double[] bias;
        /**
         * The journal every candidate logs its changes in, when they share one and appear once each;
         * null otherwise, and the policy then scans the candidates. Reset when the list changes.
         */
        NodeJournal journal;
        /** With a journal: each node id's position in the list, -1 for nodes not in it. */
        int[] positionOf;
        /** With a journal: per pod shape id, the candidates ranked for it (see {@link Ranking}). */
        Ranking[] rankings = new Ranking[0];

        Row(int size) {
            memos = new NodeMemo[size];
            nodes = new NodeState[size];
        }

        /** The ranking of the candidates for a shape, created empty (never built) on first use. */
        Ranking ranking(int shape) {
            if (shape >= rankings.length) {
                rankings = Arrays.copyOf(rankings, Math.max(shape + 1, 2 * rankings.length));
            }
            Ranking r = rankings[shape];
            if (r == null) {
                r = new Ranking(memos.length);
                rankings[shape] = r;
            }
            return r;
        }

        private void listChanged() {
            bias = null;
            rankings = new Ranking[0];
            journal = null;
            positionOf = null;
            NodeJournal shared = nodes.length == 0 ? null : nodes[0].journal();
            if (shared == null) {
                return;
            }
            int[] positions = new int[shared.nodeCount()];
            Arrays.fill(positions, -1);
            for (int i = 0; i < nodes.length; i++) {
                NodeState n = nodes[i];
                if (n.journal() != shared || positions[n.id()] >= 0) {
                    return;
                }
                positions[n.id()] = i;
            }
            journal = shared;
            positionOf = positions;
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
        if (row != null && candidates instanceof CandidateList) {
            // Built from this very list, which cannot have changed since.
            return row;
        }
        if (row == null || row.memos.length != candidates.size()) {
            if (rows.size() >= MAX_ROWS) {
                rows.clear();
            }
            row = new Row(candidates.size());
            rows.put(candidates, row);
            largestRow = Math.max(largestRow, row.memos.length);
        }
        NodeMemo[] memos = row.memos;
        NodeState[] nodes = row.nodes;
        boolean changed = false;
        for (int i = 0; i < memos.length; i++) {
            NodeState node = candidates.get(i);
            if (nodes[i] != node) {
                memos[i] = memoFor(node);
                nodes[i] = node;
                changed = true;
            }
        }
        if (changed) {
            row.listChanged();
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
