package io.gpuq.scheduler.engine.fairshare;

/**
 * One sibling queue's input to a fair-share division, in milli-GPU. {@code deserved} is already
 * resolved (−1 "all" replaced by the capacity); {@code requestable} is min(request, max).
 * {@code order} is the creation order: lower is older and wins ties.
 */
public record QueueDemand(String name, long deserved, long requestable, double overQuotaWeight, int priority,
                          long order) {
    public QueueDemand {
        if (deserved < 0 || requestable < 0) {
            throw new IllegalArgumentException("queue " + name + ": deserved and requestable must be >= 0");
        }
        if (overQuotaWeight < 0 || Double.isNaN(overQuotaWeight)) {
            throw new IllegalArgumentException("queue " + name + ": overQuotaWeight must be >= 0");
        }
    }
}
