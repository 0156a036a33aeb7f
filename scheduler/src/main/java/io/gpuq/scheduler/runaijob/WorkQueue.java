package io.gpuq.scheduler.runaijob;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A queue of keys to reconcile, with the guarantees Kubernetes controllers rely on (client-go's work
 * queue has the same ones):
 * <ul>
 *   <li>a key waits in the queue at most once, however many events name it;</li>
 *   <li>a key is handed to at most one worker at a time; added again while a worker holds it, it is
 *       queued once that worker calls {@link #done};</li>
 *   <li>a key that failed comes back after a delay that doubles with each consecutive failure, up to a
 *       ceiling, until {@link #forget} resets it.</li>
 * </ul>
 * Thread-safe. After {@link #shutDown()} nothing is handed out any more.
 *
 * @param <K> the key, with value equality
 */
final class WorkQueue<K> {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition available = lock.newCondition();
    private final ArrayDeque<K> queue = new ArrayDeque<>();
    /** Keys that need processing: queued, or re-added while a worker holds them. */
    private final Set<K> dirty = new HashSet<>();
    private final Set<K> processing = new HashSet<>();
    private final Map<K, Integer> failures = new HashMap<>();
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final ScheduledExecutorService timer;
    private boolean shutDown;

    WorkQueue(Duration baseDelay, Duration maxDelay, String timerThreadName) {
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, timerThreadName);
            t.setDaemon(true);
            return t;
        });
        // A delayed key of a stopped queue must not keep its timer thread alive.
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setRemoveOnCancelPolicy(true);
        this.timer = executor;
    }

    /** Queues {@code key} unless it is already waiting. */
    void add(K key) {
        lock.lock();
        try {
            if (shutDown || !dirty.add(key)) {
                return;
            }
            if (!processing.contains(key)) {
                queue.addLast(key);
                available.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Queues {@code key} once {@code delay} has passed. */
    void addAfter(K key, Duration delay) {
        if (delay.isZero() || delay.isNegative()) {
            add(key);
            return;
        }
        lock.lock();
        try {
            if (shutDown) {
                return;
            }
            timer.schedule(() -> add(key), delay.toNanos(), TimeUnit.NANOSECONDS);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues {@code key} after its backoff: the base delay doubled for each failure since the last
     * {@link #forget}, at most the ceiling.
     *
     * @return the delay chosen, for the log line that says when the retry comes
     */
    Duration addRateLimited(K key) {
        Duration delay;
        lock.lock();
        try {
            int n = failures.merge(key, 1, Integer::sum);
            delay = backoff(n);
        } finally {
            lock.unlock();
        }
        addAfter(key, delay);
        return delay;
    }

    /** Failures of {@code key} since it last succeeded. */
    int failures(K key) {
        lock.lock();
        try {
            return failures.getOrDefault(key, 0);
        } finally {
            lock.unlock();
        }
    }

    /** The key succeeded: its next failure starts from the base delay again. */
    void forget(K key) {
        lock.lock();
        try {
            failures.remove(key);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for a key and hands it to the caller, who must call {@link #done} with it afterwards.
     *
     * @return the key, or {@code null} once the queue is shut down
     */
    K take() throws InterruptedException {
        lock.lock();
        try {
            while (queue.isEmpty() && !shutDown) {
                available.await();
            }
            if (shutDown) {
                return null;
            }
            K key = queue.removeFirst();
            dirty.remove(key);
            processing.add(key);
            return key;
        } finally {
            lock.unlock();
        }
    }

    /** The worker is finished with {@code key}; if it was added meanwhile it is queued now. */
    void done(K key) {
        lock.lock();
        try {
            processing.remove(key);
            if (dirty.contains(key) && !shutDown) {
                queue.addLast(key);
                available.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Keys waiting now, for tests and logs. */
    int size() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiting worker with {@code null}, drops what is queued and cancels delayed keys. */
    void shutDown() {
        lock.lock();
        try {
            shutDown = true;
            queue.clear();
            dirty.clear();
            available.signalAll();
        } finally {
            lock.unlock();
        }
        timer.shutdownNow();
    }

    private Duration backoff(int failures) {
        // Compared before shifting, so a long run of failures cannot overflow into a short delay.
        int shift = Math.min(failures - 1, 30);
        long nanos = baseDelay.toNanos();
        long max = maxDelay.toNanos();
        long delay = nanos > (max >> shift) ? max : nanos << shift;
        return Duration.ofNanos(Math.min(delay, max));
    }
}
