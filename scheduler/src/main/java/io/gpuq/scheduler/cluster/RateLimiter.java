package io.gpuq.scheduler.cluster;

/**
 * A token bucket shared by every write the scheduler makes, like client-go's client QPS and burst:
 * {@code qps} tokens per second refill a bucket of {@code burst}. {@link #acquire()} blocks the
 * calling worker (never an informer or cycle thread) until a token is free.
 */
final class RateLimiter {
    private final double qps;
    private final double burst;
    private double tokens;
    private long lastNanos;

    RateLimiter(double qps, int burst) {
        if (!(qps > 0)) {
            throw new IllegalArgumentException("client QPS must be > 0, was " + qps);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("client burst must be >= 1, was " + burst);
        }
        this.qps = qps;
        this.burst = burst;
        this.tokens = burst;
        this.lastNanos = System.nanoTime();
    }

    void acquire() throws InterruptedException {
        while (true) {
            long waitNanos;
            synchronized (this) {
                refill();
                if (tokens >= 1) {
                    tokens -= 1;
                    return;
                }
                waitNanos = (long) ((1 - tokens) / qps * 1e9);
            }
            Thread.sleep(Math.max(1, waitNanos / 1_000_000));
        }
    }

    private void refill() {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - lastNanos) / 1e9 * qps);
        lastNanos = now;
    }
}
