package io.gpuq.scheduler.engine.placement;

import java.util.Arrays;

/**
 * Per-node cache of the fragmentation-aware policy: the node's compiled view of the expected demand
 * (fixed for the node), and its sorted free capacities and fragmentation at the node's current
 * version, shared by every pod shape evaluated against that version.
 */
final class FragmentationMemo extends NodeMemo {
    final FragmentationProfile profile;
    final int[] freeAscending;
    private int stateVersion = Integer.MIN_VALUE;
    private double fragmentation;

    FragmentationMemo(NodeState node, FragmentationProfile profile) {
        super(node);
        this.profile = profile;
        this.freeAscending = new int[node.gpuCount()];
    }

    /** Fragmentation of the node as it is now; also refreshes {@link #freeAscending}. */
    double fragmentationNow() {
        if (stateVersion != node.version()) {
            for (int d = 0; d < freeAscending.length; d++) {
                freeAscending[d] = node.freeMilli(d);
            }
            Arrays.sort(freeAscending);
            fragmentation = profile.fragmentation(freeAscending, freeAscending.length, node.cpuFree(),
                    node.memoryFree());
            stateVersion = node.version();
        }
        return fragmentation;
    }
}
