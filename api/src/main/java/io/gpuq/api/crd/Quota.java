package io.gpuq.api.crd;

/**
 * The conventions shared by Project and Department quota fields, so that the webhook, the scheduler and
 * the simulator read an absent or negative value the same way.
 */
public final class Quota {

    /** {@code deservedGpus: -1}: the queue deserves everything it can use. */
    public static final double ALL = -1;

    /** {@code maxGpus: -1} (or absent): no ceiling. */
    public static final double UNLIMITED = -1;

    /** Share of the surplus when {@code overQuotaWeight} is absent. */
    public static final double DEFAULT_OVER_QUOTA_WEIGHT = 1;

    /** Over-quota bucket when {@code priority} is absent. */
    public static final int DEFAULT_PRIORITY = 100;

    private Quota() {
    }

    /** Any negative ceiling means "none": only -1 is documented, but no negative cap is meaningful. */
    public static boolean isUnlimited(double maxGpus) {
        return maxGpus < 0;
    }

    /** Any negative deserved quota means "all", for the same reason as {@link #isUnlimited(double)}. */
    public static boolean isAll(double deservedGpus) {
        return deservedGpus < 0;
    }
}
