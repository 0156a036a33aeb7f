package io.gpuq.scheduler.cost;

import java.util.List;
import java.util.Locale;

/** The capacity types a GPU can be bought as, and how node values are spelled in the price table. */
public final class CapacityTypes {
    public static final String SPOT = "spot";
    public static final String ON_DEMAND = "on-demand";
    public static final String RESERVED = "reserved";
    public static final List<String> ALL = List.of(SPOT, ON_DEMAND, RESERVED);

    private CapacityTypes() {
    }

    /**
     * Lower case with {@code _} read as {@code -} (cloud labels write {@code ON_DEMAND} or {@code SPOT});
     * empty or null means on-demand, what a node without a capacity-type label is billed as.
     */
    public static String normalize(String capacityType) {
        if (capacityType == null || capacityType.isBlank()) {
            return ON_DEMAND;
        }
        return capacityType.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
