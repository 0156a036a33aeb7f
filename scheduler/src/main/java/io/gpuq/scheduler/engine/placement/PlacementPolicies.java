package io.gpuq.scheduler.engine.placement;

import io.gpuq.scheduler.engine.model.PodRequest;

import java.util.Collection;
import java.util.List;

/** The placement policies by name. */
public final class PlacementPolicies {
    /** Fragmentation-aware placement; see the class comment of the implementation. */
    public static final String DEFAULT = FragmentationAwarePolicy.NAME;
    public static final String BINPACK = BinpackPolicy.NAME;
    public static final String SPREAD = SpreadPolicy.NAME;

    /** Every accepted policy name, the default first. */
    public static final List<String> NAMES = List.of(DEFAULT, BINPACK, SPREAD);

    private PlacementPolicies() {
    }

    /**
     * A new policy instance. {@code demandSample} is the demand the cluster expects (pending and
     * recently seen pods, or a whole trace); the fragmentation-aware policy measures fragmentation
     * against its distribution of pod shapes, the others ignore it. An empty sample makes the default
     * policy fall back to binpacking order. Instances cache per-node scores, so create one per cycle
     * (or per benchmark run) and use it from one thread.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static PlacementPolicy create(String name, Collection<PodRequest> demandSample) {
        if (DEFAULT.equals(name)) {
            return new FragmentationAwarePolicy(DemandDistribution.of(demandSample == null ? List.of() : demandSample));
        }
        if (BINPACK.equals(name)) {
            return new BinpackPolicy();
        }
        if (SPREAD.equals(name)) {
            return new SpreadPolicy();
        }
        throw new IllegalArgumentException("unknown placement policy '" + name + "'; allowed: "
                + String.join(", ", NAMES));
    }
}
