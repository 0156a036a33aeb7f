package io.gpuq.scheduler.engine.placement;

import java.util.Arrays;

/**
 * The cheapest fitting candidate of one candidate list for one pod shape, kept current as nodes
 * change: a tournament tree over the list's positions, each inner entry holding the winner of its
 * two halves. The winner of two is the cheaper one, and on equal cost the earlier one, so the root
 * is the candidate a scan in list order picks. When a node changes, only its path to the root is
 * replayed: a placement then costs the nodes that changed since the shape was last placed, times
 * the tree's depth, instead of a pass over every candidate.
 *
 * <p>Costs are kept here as {@link Evaluation#cheaperThan} compares them: the primary cost with the
 * candidate's bias already added, then the secondary and tertiary costs.
 */
final class Ranking {
    private static final int NONE = -1;

    private final int leaves;
    /** Inner entries at 1..leaves-1, leaf of position p at leaves + p; the winning position or NONE. */
    private final int[] winner;
    private final boolean[] fits;
    private final double[] cost;
    private final double[] secondary;
    private final double[] tertiary;
    /** The node version each position's costs were taken at. */
    private final int[] seenVersion;
    /** Where in the node journal this ranking has caught up to; generation -1 before the first build. */
    int generation = -1;
    int cursor;

    Ranking(int size) {
        int l = 1;
        while (l < size) {
            l <<= 1;
        }
        this.leaves = l;
        this.winner = new int[2 * l];
        Arrays.fill(winner, NONE);
        this.fits = new boolean[size];
        this.cost = new double[size];
        this.secondary = new double[size];
        this.tertiary = new double[size];
        this.seenVersion = new int[size];
        Arrays.fill(seenVersion, Integer.MIN_VALUE);
    }

    /** Whether position {@code p} holds the costs of the node at {@code version}. */
    boolean isCurrent(int p, int version) {
        return seenVersion[p] == version;
    }

    /**
     * Takes position {@code p}'s costs from a fresh evaluation; {@link #replay} or {@link #rebuild}
     * then update the tree.
     */
    void set(int p, Evaluation e, double bias, int version) {
        fits[p] = e.fits;
        cost[p] = e.primary + bias * e.addedMilli;
        secondary[p] = e.secondary;
        tertiary[p] = e.tertiary;
        seenVersion[p] = version;
    }

    /** Replays the matches on position {@code p}'s path after its costs changed. */
    void replay(int p) {
        int i = leaves + p;
        winner[i] = fits[p] ? p : NONE;
        for (i >>= 1; i >= 1; i >>= 1) {
            winner[i] = better(winner[2 * i], winner[2 * i + 1]);
        }
    }

    /** Replays every match, after any number of positions changed. */
    void rebuild() {
        for (int p = 0; p < fits.length; p++) {
            winner[leaves + p] = fits[p] ? p : NONE;
        }
        for (int i = leaves - 1; i >= 1; i--) {
            winner[i] = better(winner[2 * i], winner[2 * i + 1]);
        }
    }

    /** The cheapest fitting position, the earliest among equals; -1 when none fits. */
    int best() {
        return winner[1];
    }

    /** The winner of an earlier position {@code a} and a later one {@code b}: {@code b} only if strictly cheaper. */
    private int better(int a, int b) {
        if (b == NONE) {
            return a;
        }
        if (a == NONE) {
            return b;
        }
        if (cost[b] != cost[a]) {
            return cost[b] < cost[a] ? b : a;
        }
        if (secondary[b] != secondary[a]) {
            return secondary[b] < secondary[a] ? b : a;
        }
        return tertiary[b] < tertiary[a] ? b : a;
    }
}
