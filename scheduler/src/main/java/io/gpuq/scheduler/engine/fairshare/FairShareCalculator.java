package io.gpuq.scheduler.engine.fairshare;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * Divides a capacity among sibling queues (see FAIR-SHARE.md beside this class).
 *
 * <p>Amounts are milli-GPU; the surplus is handed out in whole units ({@link #UNIT}) so that the
 * result matches the integer arithmetic of the documented examples, with a final partial unit going
 * to the largest remainder.
 */
public final class FairShareCalculator {
    /** One GPU in milli-GPU: the granularity of surplus flooring. */
    public static final long UNIT = 1000;

    private FairShareCalculator() {
    }

    /** Returns each queue's fair share, in the order of {@code queues}. */
    public static long[] divide(long capacity, List<QueueDemand> queues) {
        int n = queues.size();
        long[] share = new long[n];
        if (n == 0 || capacity <= 0) {
            return share;
        }
        long guaranteedTotal = 0;
        long[] guaranteed = new long[n];
        for (int i = 0; i < n; i++) {
            QueueDemand q = queues.get(i);
            guaranteed[i] = Math.min(q.deserved(), q.requestable());
            guaranteedTotal += guaranteed[i];
        }
        if (guaranteedTotal > capacity) {
            // Over-committed quotas: nobody can get all of its deserved, so the capacity is split in
            // proportion to what each may claim, by the same flooring and remainder rules.
            return proportional(capacity, guaranteed, queues);
        }
        System.arraycopy(guaranteed, 0, share, 0, n);
        long remaining = capacity - guaranteedTotal;

        TreeMap<Integer, List<Integer>> buckets = new TreeMap<>(Comparator.reverseOrder());
        for (int i = 0; i < n; i++) {
            buckets.computeIfAbsent(queues.get(i).priority(), k -> new ArrayList<>()).add(i);
        }
        for (List<Integer> bucket : buckets.values()) {
            if (remaining <= 0) {
                break;
            }
            remaining = splitSurplus(remaining, bucket, queues, share);
        }
        return share;
    }

    /** Splits {@code surplus} inside one priority bucket by weight in rounds; returns what is left. */
    private static long splitSurplus(long surplus, List<Integer> bucket, List<QueueDemand> queues, long[] share) {
        List<Integer> active = new ArrayList<>();
        for (int i : bucket) {
            if (queues.get(i).overQuotaWeight() > 0 && want(i, queues, share) > 0) {
                active.add(i);
            }
        }
        double[] remainder = new double[queues.size()];
        while (surplus > 0 && !active.isEmpty()) {
            double totalWeight = 0;
            for (int i : active) {
                totalWeight += queues.get(i).overQuotaWeight();
            }
            boolean someoneSatisfied = false;
            List<Integer> still = new ArrayList<>();
            long given = 0;
            for (int i : active) {
                double slice = surplus * queues.get(i).overQuotaWeight() / totalWeight;
                long want = want(i, queues, share);
                if (want <= slice) {
                    share[i] += want;
                    given += want;
                    someoneSatisfied = true;
                } else {
                    still.add(i);
                }
            }
            surplus -= given;
            active = still;
            if (someoneSatisfied) {
                continue;
            }
            // Nobody is capped by its demand: floor every slice to whole units, keep the remainders.
            long floorTotal = 0;
            for (int i : active) {
                double slice = surplus * queues.get(i).overQuotaWeight() / totalWeight;
                long floored = (long) Math.floor(slice / UNIT) * UNIT;
                share[i] += floored;
                floorTotal += floored;
                remainder[i] = slice - floored;
            }
            surplus -= floorTotal;
            break;
        }
        if (surplus > 0) {
            surplus = handOutLeftovers(surplus, active, remainder, queues, share);
        }
        return surplus;
    }

    /** Leftover units one at a time to the largest remembered remainders; ties to the older queue. */
    private static long handOutLeftovers(long surplus, List<Integer> active, double[] remainder,
                                         List<QueueDemand> queues, long[] share) {
        List<Integer> byRemainder = new ArrayList<>(active);
        byRemainder.sort((a, b) -> {
            int c = Double.compare(remainder[b], remainder[a]);
            return c != 0 ? c : Long.compare(queues.get(a).order(), queues.get(b).order());
        });
        boolean progress = true;
        while (surplus > 0 && progress) {
            progress = false;
            for (int i : byRemainder) {
                if (surplus <= 0) {
                    break;
                }
                long want = want(i, queues, share);
                if (want <= 0) {
                    continue;
                }
                long give = Math.min(Math.min(UNIT, surplus), want);
                share[i] += give;
                surplus -= give;
                progress = true;
            }
        }
        return surplus;
    }

    private static long want(int i, List<QueueDemand> queues, long[] share) {
        return Math.max(0, queues.get(i).requestable() - share[i]);
    }

    private static long[] proportional(long capacity, long[] claim, List<QueueDemand> queues) {
        int n = claim.length;
        long total = 0;
        for (long c : claim) {
            total += c;
        }
        long[] share = new long[n];
        double[] remainder = new double[n];
        long given = 0;
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double exact = (double) capacity * claim[i] / total;
            share[i] = (long) Math.floor(exact / UNIT) * UNIT;
            remainder[i] = exact - share[i];
            given += share[i];
            all.add(i);
        }
        long left = capacity - given;
        all.sort((a, b) -> {
            int c = Double.compare(remainder[b], remainder[a]);
            return c != 0 ? c : Long.compare(queues.get(a).order(), queues.get(b).order());
        });
        boolean progress = true;
        while (left > 0 && progress) {
            progress = false;
            for (int i : all) {
                if (left <= 0) {
                    break;
                }
                long room = claim[i] - share[i];
                if (room <= 0) {
                    continue;
                }
                long give = Math.min(Math.min(UNIT, left), room);
                share[i] += give;
                left -= give;
                progress = true;
            }
        }
        return share;
    }
}
