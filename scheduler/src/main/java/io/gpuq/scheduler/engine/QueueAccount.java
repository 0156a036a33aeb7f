package io.gpuq.scheduler.engine;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A queue's numbers during one cycle, per node pool, in milli-GPU: deserved, fair share, allocation,
 * and the request that fair share is computed from. Projects have a department as parent.
 */
final class QueueAccount {
    static final class Pool {
        long deserved;
        long fairShare;
        long allocated;
        long request;
    }

    final String name;
    /** Dense number of the account in its book (departments and projects alike), for per-account arrays. */
    final int index;
    final QueueAccount parent;
    final double overQuotaWeight;
    final int priority;
    final long order;
    /** Hard limit over all pools; negative = unlimited. */
    final long max;
    final Map<String, Pool> pools = new HashMap<>();
    long allocatedNonPreemptible;
    /** Sum of the pools' allocations, kept with them: queue ordering reads it for every attempt. */
    private long allocatedSum;
    /** Totals fixed by {@link #freezeShares}, once fair shares are computed; -1 while not frozen. */
    private long deservedSum = -1;
    private long fairShareSum = -1;
    long pendingMilli;
    int pendingWorkloads;

    QueueAccount(String name, int index, QueueAccount parent, double overQuotaWeight, int priority, long order,
                 long max) {
        this.name = name;
        this.index = index;
        this.parent = parent;
        this.overQuotaWeight = overQuotaWeight;
        this.priority = priority;
        this.order = order;
        this.max = max;
    }

    Pool pool(String pool) {
        return pools.computeIfAbsent(pool, p -> new Pool());
    }

    boolean hasPool(String pool) {
        return pools.containsKey(pool);
    }

    long allocatedTotal() {
        return allocatedSum;
    }

    /**
     * Fixes the deserved and fair-share totals: they do not change once fair shares are computed, and
     * summing them for every comparison of the allocation loop was a measurable share of a cycle.
     */
    void freezeShares() {
        deservedSum = -1;
        fairShareSum = -1;
        long d = deservedTotal();
        long f = fairShareTotal();
        deservedSum = d;
        fairShareSum = f;
    }

    long deservedTotal() {
        if (deservedSum >= 0) {
            return deservedSum;
        }
        long s = 0;
        for (Pool p : pools.values()) {
            s += p.deserved;
        }
        return s;
    }

    long fairShareTotal() {
        if (fairShareSum >= 0) {
            return fairShareSum;
        }
        long s = 0;
        for (Pool p : pools.values()) {
            s += p.fairShare;
        }
        return s;
    }

    /** In one pool; as the set forms with a set of that pool alone, without building the set. */
    long allocatedIn(String pool) {
        Pool p = pools.get(pool);
        return p == null ? 0 : p.allocated;
    }

    long deservedIn(String pool) {
        Pool p = pools.get(pool);
        return p == null ? 0 : p.deserved;
    }

    long fairShareIn(String pool) {
        Pool p = pools.get(pool);
        return p == null ? 0 : p.fairShare;
    }

    double saturation(String pool) {
        return saturation(allocatedIn(pool), fairShareIn(pool));
    }

    long allocatedIn(Set<String> poolNames) {
        return sumIn(poolNames, p -> p.allocated);
    }

    long deservedIn(Set<String> poolNames) {
        return sumIn(poolNames, p -> p.deserved);
    }

    long fairShareIn(Set<String> poolNames) {
        return sumIn(poolNames, p -> p.fairShare);
    }

    private long sumIn(Set<String> poolNames, java.util.function.ToLongFunction<Pool> field) {
        long s = 0;
        for (String n : poolNames) {
            Pool p = pools.get(n);
            if (p != null) {
                s += field.applyAsLong(p);
            }
        }
        return s;
    }

    /** allocated / fair share; a queue with nothing fair-shared but something allocated sorts last. */
    double saturation(Set<String> poolNames) {
        return saturation(allocatedIn(poolNames), fairShareIn(poolNames));
    }

    static double saturation(long allocated, long fairShare) {
        if (fairShare <= 0) {
            return allocated > 0 ? Double.MAX_VALUE : 0;
        }
        return allocated / (double) fairShare;
    }

    void addAllocation(String pool, long milli, boolean nonPreemptible) {
        pool(pool).allocated += milli;
        allocatedSum += milli;
        if (nonPreemptible) {
            allocatedNonPreemptible += milli;
        }
        if (parent != null) {
            parent.addAllocation(pool, milli, nonPreemptible);
        }
    }
}
