package io.gpuq.scheduler.cluster;

/** Told the outcome of binds and evictions (the metrics count them). */
public interface WriteObserver {
    /** {@code result}: success, conflict or error. */
    void bindResult(String result);

    /** {@code reason}: reclaim, preempt or orphan. */
    void evicted(String reason);

    WriteObserver NONE = new WriteObserver() {
        @Override
        public void bindResult(String result) {
        }

        @Override
        public void evicted(String reason) {
        }
    };
}
