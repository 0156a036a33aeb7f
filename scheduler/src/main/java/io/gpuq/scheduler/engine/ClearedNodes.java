package io.gpuq.scheduler.engine;

import io.gpuq.scheduler.engine.model.PodAllocation;
import io.gpuq.scheduler.engine.placement.NodeState;

/**
 * Each node as it would be with every workload a victim search may take moved off (every evictable
 * workload not evicted yet): no search can make more room on a node than there is here. A trial skips
 * the victims on nodes where even this view has no more room for the job's shape than the node has
 * now: taking them cannot change the job's room (see {@link ShapeCapacity#trialMove}).
 *
 * <p>Evicting a workload does not change this view (its pods leave the node and the evictable work
 * alike); placing or unplacing a pod does, and bumps the node's version. The view is built when first
 * needed and again after the set of evictable workloads changed.
 */
final class ClearedNodes {
    private final NodeState[] nodes;
    private final NodeTable table;
    private final int[] version;
    private boolean built;

    ClearedNodes(NodeState[] nodes) {
        this.nodes = nodes;
        this.table = new NodeTable(nodes);
        this.version = new int[nodes.length];
    }

    /** Whether the view must be built before use: never built, or the evictable workloads changed since. */
    boolean stale() {
        return !built;
    }

    /** Builds the view from the nodes as they are and the evictable workloads (evicted ones skipped). */
    void build(Iterable<RunningEntry> evictable) {
        for (int n = 0; n < nodes.length; n++) {
            table.copy(n, nodes[n]);
            version[n]++;
        }
        for (RunningEntry e : evictable) {
            if (e.evicted) {
                continue;
            }
            for (int pod = 0; pod < e.nodeIndexes.length; pod++) {
                int n = e.nodeIndexes[pod];
                if (n >= 0) {
                    table.move(n, e, pod, true);
                }
            }
        }
        built = true;
    }

    /** The set of evictable workloads changed: the view is rebuilt on next use. */
    void invalidate() {
        built = false;
    }

    /** A pod was placed on node {@code n} ({@code added}) or taken off again. */
    void placed(int n, PodAllocation a, boolean added) {
        if (built) {
            table.move(n, a, !added);
            version[n]++;
        }
    }

    /** Changes whenever node {@code n}'s view changes. */
    int version(int n) {
        return version[n];
    }

    NodeTable table() {
        return table;
    }
}
