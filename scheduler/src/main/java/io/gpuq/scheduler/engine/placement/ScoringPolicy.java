package io.gpuq.scheduler.engine.placement;

import io.gpuq.scheduler.engine.model.PodAllocation;
import io.gpuq.scheduler.engine.model.PodRequest;

import java.util.List;

/**
 * A policy that scores every candidate node and takes the cheapest, ties going to the earlier
 * candidate. Scores are cached per (node, pod shape) and recomputed only when the node's version
 * changes. When the candidates log their changes in one {@link NodeJournal} (the engine's nodes do),
 * each pod shape keeps a {@link Ranking} of the list that replays only the nodes that changed since
 * the shape was last placed, so placing a pod costs those nodes rather than a pass over thousands of
 * candidates; otherwise every candidate is scanned. Both name the same node. Not thread-safe, like
 * the node states.
 */
abstract class ScoringPolicy<M extends NodeMemo> implements PlacementPolicy {
    private static final double[] NO_BIAS = new double[0];

    private final ShapeIndex shapes = new ShapeIndex();
    private final MemoStore<M> memos = new MemoStore<>(this::newMemo);

    /** Creates the per-node cache; policies that precompute per-node data extend {@link NodeMemo}. */
    protected abstract M newMemo(NodeState node);

    /**
     * Fills {@code out} with whether the pod fits the node as it is now, which devices it would take
     * and its cost. Must not change the node.
     */
    protected abstract void evaluate(NodeState node, M memo, PodRequest pod, Evaluation out);

    /**
     * A cost per milli-GPU added for each candidate that depends on the candidate list as a whole
     * (not on node occupancy), added to the primary cost; null for none. Computed once per list.
     */
    protected double[] biasPerMilli(List<M> candidates) {
        return null;
    }

    @Override
    public final PodAllocation place(PodRequest pod, List<NodeState> candidates) {
        int shape = shapes.idOf(pod);
        MemoStore.Row row = memos.row(candidates);
        @SuppressWarnings("unchecked")
        M[] memo = (M[]) row.memos;
        if (row.bias == null) {
            double[] b = biasPerMilli(List.of(memo));
            row.bias = b == null ? NO_BIAS : b;
        }
        if (row.journal != null) {
            return placeRanked(pod, shape, row, memo);
        }
        double[] bias = row.bias;
        Evaluation best = null;
        double bestBias = 0;
        NodeState bestNode = null;
        for (int i = 0; i < memo.length; i++) {
            M m = memo[i];
            NodeState node = m.node;
            Evaluation e = fresh(m, shape, pod);
            if (!e.fits) {
                continue;
            }
            double b = bias.length == 0 ? 0 : bias[i];
            if (best == null || e.cheaperThan(b, best, bestBias)) {
                best = e;
                bestBias = b;
                bestNode = node;
            }
        }
        return best == null ? null : best.toAllocation(pod, bestNode);
    }

    /**
     * {@link #place} through the shape's {@link Ranking} of the list: it catches up on the candidates
     * that changed since (from the nodes' journal), or is rebuilt when that is most of them, and names
     * the same candidate as the scan in list order.
     */
    private PodAllocation placeRanked(PodRequest pod, int shape, MemoStore.Row row, M[] memo) {
        Ranking ranking = row.ranking(shape);
        NodeJournal journal = row.journal;
        int backlog = journal.size() - ranking.cursor;
        if (ranking.generation != journal.generation() || backlog > memo.length / 4) {
            for (int i = 0; i < memo.length; i++) {
                rank(ranking, i, memo[i], shape, pod, row.bias);
            }
            ranking.rebuild();
        } else {
            int[] changed = journal.entries();
            int[] positionOf = row.positionOf;
            for (int k = ranking.cursor; k < journal.size(); k++) {
                int i = positionOf[changed[k]];
                if (i >= 0 && rank(ranking, i, memo[i], shape, pod, row.bias)) {
                    ranking.replay(i);
                }
            }
        }
        ranking.generation = journal.generation();
        ranking.cursor = journal.size();
        int best = ranking.best();
        if (best < 0) {
            return null;
        }
        M m = memo[best];
        return m.evaluation(shape).toAllocation(pod, m.node);
    }

    /** Brings position {@code i} of the ranking up to its node's state; false when it already was. */
    private boolean rank(Ranking ranking, int i, M m, int shape, PodRequest pod, double[] bias) {
        int version = m.node.version();
        if (ranking.isCurrent(i, version)) {
            return false;
        }
        ranking.set(i, fresh(m, shape, pod), bias.length == 0 ? 0 : bias[i], version);
        return true;
    }

    /** The memo's verdict for the shape on the node as it is now, evaluated only when the node changed. */
    private Evaluation fresh(M m, int shape, PodRequest pod) {
        NodeState node = m.node;
        Evaluation e = m.evaluation(shape);
        if (!e.isFreshFor(node)) {
            evaluate(node, m, pod, e);
            e.version = node.version();
        }
        return e;
    }
}
